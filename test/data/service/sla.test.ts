/**
 * SLAs on DynamoDB Local: settings checked and version-guarded; a new case gets its targets and
 * their schedules; a target missed is recorded once (CaseSlaBreached) and escalated (priority raised,
 * reassigned, the team lead emailed); a met, moved or paused target does nothing when its schedule fires.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import type { ScheduledAction } from '#platform/scheduler.js';
import { updateCase, viewCase } from '#service/cases.js';
import { type InboundEmail, receiveEmail } from '#service/inbound.js';
import { replyToCase } from '#service/replies.js';
import { DEFAULT_SERVICE_SETTINGS } from '#service/sla-model.js';
import { getServiceSettings, saveServiceSettings } from '#service/sla-settings.js';
import { fireSlaTimer } from '#service/sla-timers.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
// Monday 7 December 2026, 09:00 UTC; moved by the tests.
let now = new Date('2026-12-07T09:00:00.000Z');
const mailer = new RecordingMailer();
const scheduler = new RecordingScheduler();
const ctx = {
  mailer,
  signingSecret: async () => 's',
  publicUrl: 'https://crm.example.com',
  supportAddress: 'support@example.com',
};
let n = 0;
const email = (over: Partial<InboundEmail> = {}): InboundEmail => ({
  inboundId: `sla-${++n}`,
  from: { address: `customer${n}@example.com` },
  to: ['support@example.com'],
  subject: `Question ${n}`,
  text: 'Hello',
  references: [],
  automatic: false,
  verdict: 'trusted',
  attachments: [],
  ...over,
});
const open = async () => {
  const out = await receiveEmail(t.deps, { ownAddresses: [], scheduler }, email());
  assert.ok('caseId' in out);
  return out.caseId;
};
const timerOf = (caseId: string, target: string): Extract<ScheduledAction, { kind: 'caseSla' }> => {
  const found = [...scheduler.schedules.values()]
    .map((s) => s.action)
    .filter(
      (a): a is Extract<ScheduledAction, { kind: 'caseSla' }> =>
        a.kind === 'caseSla' && a.caseId === caseId && a.target === target,
    )
    .sort((a, b) => b.dueAt.localeCompare(a.dueAt));
  assert.ok(found[0], `a ${target} timer for ${caseId}`);
  return found[0];
};

before(async () => {
  t = await createTestTable(() => now);
});

describe('SLA settings', () => {
  it('are the defaults until saved, refuse bad hours and a stale version', async () => {
    assert.equal((await getServiceSettings(t.deps)).version, 0);
    const { version: _, updatedAt: __, ...input } = DEFAULT_SERVICE_SETTINGS;
    await assert.rejects(
      saveServiceSettings(t.deps, {
        ...input,
        timeZone: 'Mars/Olympus',
        businessHours: [{ day: 'mon', start: '17:00', end: '09:00' }],
      }),
      (err: DomainError) => {
        assert.deepEqual(
          (err.details as Array<{ path: string }>).map((d) => d.path),
          ['timeZone', 'businessHours.0.end'],
        );
        return true;
      },
    );
    const saved = await saveServiceSettings(t.deps, {
      ...input,
      escalation: { raisePriority: true, assignTo: 'lead@example.com', notify: 'Lead@Example.com' },
      expectedVersion: 0,
    });
    assert.equal(saved.version, 1);
    assert.equal(saved.escalation.notify, 'lead@example.com');
    await assert.rejects(
      saveServiceSettings(t.deps, { ...input, expectedVersion: 0 }),
      (err: DomainError) => err.code === 'version_conflict',
    );
  });
});

describe('SLA timers', () => {
  it('records a missed first response once and escalates it', async () => {
    const caseId = await open();
    const before = await viewCase(t.deps, caseId);
    assert.equal(before.case.sla?.firstResponseDue, '2026-12-07T17:00:00.000Z', 'normal: 8 business hours');
    const timer = timerOf(caseId, 'first_response');
    now = new Date(timer.dueAt);
    // The schedule delivered twice at once: one attempt notifies, the other is retried later.
    const sentBefore = mailer.sent.length;
    const both = await Promise.allSettled([
      fireSlaTimer(t.deps, ctx, timer),
      fireSlaTimer(t.deps, ctx, timer),
    ]);
    const done = both.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    assert.ok(done.includes('breached: first_response, notified 1 of 1'), JSON.stringify(both));
    assert.equal(mailer.sent.length, sentBefore + 1, 'the team lead is emailed once');
    const after = (await viewCase(t.deps, caseId)).case;
    assert.deepEqual(after.sla?.breached, ['first_response']);
    assert.equal(after.priority, 'high');
    assert.equal(after.assignee, 'lead@example.com');
    assert.equal(mailer.sent.at(-1)?.to, 'lead@example.com');
    assert.match(String(mailer.sent.at(-1)?.subject), /^SLA missed: first response of case \[#/);
    assert.equal(await fireSlaTimer(t.deps, ctx, timer), 'ignored: already breached');
    const events = (await outboxEvents(t))
      .filter((e) => e.detailType === 'CaseSlaBreached')
      .map((e) => parseEvent('CaseSlaBreached', e.detail).detail);
    assert.equal(events.filter((e) => 'caseId' in e && e.caseId === caseId).length, 1);
  });

  it('does nothing for a met, moved or paused target', async () => {
    now = new Date('2026-12-08T09:00:00.000Z');
    const answered = await open();
    await replyToCase(t.deps, ctx, answered, { text: 'On it', internal: false }, scheduler);
    assert.equal(await fireSlaTimer(t.deps, ctx, timerOf(answered, 'first_response')), 'ignored: met');

    const moved = await open();
    const old = timerOf(moved, 'first_response');
    await updateCase(t.deps, moved, { priority: 'urgent' }, scheduler);
    assert.equal(await fireSlaTimer(t.deps, ctx, old), 'ignored: superseded');
    const due = (await viewCase(t.deps, moved)).case.sla?.firstResponseDue;
    assert.equal(due, '2026-12-08T10:00:00.000Z', 'urgent: one business hour from the opening');
    assert.ok(
      [...scheduler.schedules.values()].some(
        (s) => s.action.kind === 'caseSla' && s.action.caseId === moved && s.action.dueAt === due,
      ),
      'scheduled at the new due time',
    );

    const paused = await open();
    await updateCase(t.deps, paused, { status: 'pending' }, scheduler);
    assert.equal(await fireSlaTimer(t.deps, ctx, timerOf(paused, 'resolution')), 'ignored: paused');
    now = new Date('2026-12-09T09:00:00.000Z');
    await updateCase(t.deps, paused, { status: 'open' }, scheduler);
    const resumed = (await viewCase(t.deps, paused)).case;
    // Due Monday 14 December 17:00 (40 business hours), moved on by the 8 waited: Tuesday 15, 17:00.
    assert.equal(resumed.sla?.resolutionDue, '2026-12-15T17:00:00.000Z');
    assert.equal(timerOf(paused, 'resolution').dueAt, resumed.sla?.resolutionDue);
  });
});
