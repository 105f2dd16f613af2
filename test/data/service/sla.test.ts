/**
 * SLAs on DynamoDB Local: settings checked and version-guarded (the escalation's agent a user, by id
 * or email; anyone else a 400 with nothing saved); a new case gets its targets and their schedules; a
 * target missed is recorded once (CaseSlaBreached) and escalated (priority raised, reassigned to the
 * user, the team lead and the assignee emailed); a setting saved before assignees were users that
 * names no user reassigns nothing; a met, moved or paused target does nothing when its schedule fires.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { User } from '#access/model.js';
import { resolveOwner, type UserDirectory } from '#access/users.js';
import { type DomainError, RetryableError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import type { ScheduledAction } from '#platform/scheduler.js';
import { CommitConflict } from '#platform/store.js';
import { updateCase, viewCase } from '#service/cases.js';
import { type InboundEmail, receiveEmail } from '#service/inbound.js';
import { replyToCase } from '#service/replies.js';
import { commitWithSla } from '#service/sla.js';
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
const lead: User = { id: 'user-lead', name: 'Lee Lead', email: 'lead@example.com' };
const grace: User = { id: 'user-grace', name: 'Grace', email: 'Grace@Example.com' };
const users: UserDirectory = {
  list: async () => [grace, lead],
  get: async (id) => [grace, lead].find((u) => u.id === id),
  add: async () => {
    throw new Error('not here');
  },
};
/** The API's checks (cases-api). */
const assigneeAt = (path: string) => (assignee: string) => resolveOwner(users, assignee, path);
const ctx = {
  mailer,
  signingSecret: async () => 's',
  publicUrl: 'https://crm.example.com',
  supportAddress: 'support@example.com',
  users,
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
/** The case's first response and resolutions as announced, and whether each came after its target was missed. */
const answersOf = async (caseId: string) =>
  (await outboxEvents(t))
    .filter(
      (e) =>
        e.detail.caseId === caseId &&
        (e.detailType === 'CaseResolved' || (e.detailType === 'CaseReplied' && e.detail.first)),
    )
    .map((e) => [e.detailType, e.detail.late]);
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
    // The escalation's agent must be a user: anyone else is refused, nothing saved.
    await assert.rejects(
      saveServiceSettings(
        t.deps,
        { ...input, escalation: { raisePriority: true, assignTo: 'Tier 2' }, expectedVersion: 0 },
        assigneeAt('escalation.assignTo'),
      ),
      (err: DomainError) => {
        assert.equal(err.code, 'invalid_reference');
        assert.deepEqual(
          (err.details as Array<{ path: string }>).map((d) => d.path),
          ['escalation.assignTo'],
        );
        return true;
      },
    );
    assert.equal((await getServiceSettings(t.deps)).version, 0);
    // A user's email is taken as them: the id is saved.
    const saved = await saveServiceSettings(
      t.deps,
      {
        ...input,
        escalation: { raisePriority: true, assignTo: 'lead@example.com', notify: 'Lead@Example.com' },
        expectedVersion: 0,
      },
      assigneeAt('escalation.assignTo'),
    );
    assert.equal(saved.version, 1);
    assert.equal(saved.escalation.assignTo, lead.id);
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
    await updateCase(t.deps, caseId, { assignee: grace.id }, scheduler, assigneeAt('assignee'));
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
    assert.ok(done.includes('breached: first_response, notified 2 of 2'), JSON.stringify(both));
    assert.equal(mailer.sent.length, sentBefore + 2, 'the team lead and the assignee are emailed once');
    const after = (await viewCase(t.deps, caseId)).case;
    assert.deepEqual(after.sla?.breached, ['first_response']);
    assert.equal(after.priority, 'high');
    assert.equal(after.assignee, lead.id, 'reassigned to the user of the settings');
    assert.deepEqual(
      mailer.sent.slice(-2).map((m) => m.to),
      ['lead@example.com', 'grace@example.com'],
      "the team lead, and the assignee at the user's address",
    );
    assert.match(String(mailer.sent.at(-1)?.subject), /^SLA missed: first response of case \[#/);
    const reassigned = (await outboxEvents(t))
      .filter((e) => e.detailType === 'CaseAssigned' && e.detail.caseId === caseId)
      .map((e) => [e.detail.from, e.detail.to]);
    assert.deepEqual(reassigned.at(-1), [grace.id, lead.id]);
    assert.equal(await fireSlaTimer(t.deps, ctx, timer), 'ignored: already breached');
    const events = (await outboxEvents(t))
      .filter((e) => e.detailType === 'CaseSlaBreached')
      .map((e) => parseEvent('CaseSlaBreached', e.detail).detail);
    assert.equal(events.filter((e) => 'caseId' in e && e.caseId === caseId).length, 1);
    // Answered and resolved after their targets were missed: the dashboard counts them late.
    await replyToCase(t.deps, ctx, caseId, { text: 'Sorry for the wait', internal: false }, scheduler);
    now = new Date(timerOf(caseId, 'resolution').dueAt);
    await fireSlaTimer(t.deps, ctx, timerOf(caseId, 'resolution'));
    await updateCase(t.deps, caseId, { status: 'resolved' }, scheduler);
    assert.deepEqual(await answersOf(caseId), [
      ['CaseReplied', true],
      ['CaseResolved', true],
    ]);
  });

  it('does nothing for a met, moved or paused target', async () => {
    now = new Date('2026-12-08T09:00:00.000Z');
    const answered = await open();
    await replyToCase(t.deps, ctx, answered, { text: 'On it', internal: false }, scheduler);
    assert.equal(await fireSlaTimer(t.deps, ctx, timerOf(answered, 'first_response')), 'ignored: met');
    await updateCase(t.deps, answered, { status: 'resolved' }, scheduler);
    assert.deepEqual(await answersOf(answered), [
      ['CaseReplied', false],
      ['CaseResolved', false],
    ]);

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

  it('waits for the write that set a due time; a write that fails leaves no schedule of its own', async () => {
    now = new Date('2026-12-09T10:00:00.000Z');
    const caseId = await open();
    const timer = timerOf(caseId, 'first_response');
    assert.equal(timer.version, 1, 'the version that set it');
    // Fired before its commit landed (a slow commit; a scaled local clock): retried, not dropped.
    await assert.rejects(fireSlaTimer(t.deps, ctx, { ...timer, caseId: 'not-landed' }), RetryableError);
    await assert.rejects(fireSlaTimer(t.deps, ctx, { ...timer, version: 2 }), RetryableError);
    assert.equal(
      await fireSlaTimer(t.deps, ctx, { ...timer, caseId: 'gone', version: undefined }),
      'ignored: no such case',
      'a schedule from before versions were recorded',
    );

    const current = (await viewCase(t.deps, caseId)).case;
    const kept = [...scheduler.schedules.keys()].filter((k) => k.includes(caseId));
    const urgent = { ...current, priority: 'urgent' as const, version: current.version + 1 };
    await assert.rejects(
      commitWithSla(t.deps, scheduler, current, urgent, now, (saved) => [
        { kind: 'putCase', case: saved, expectedVersion: current.version - 1 },
      ]),
      CommitConflict,
    );
    assert.deepEqual(
      [...scheduler.schedules.keys()].filter((k) => k.includes(caseId)),
      kept,
      "the failed write's new due times are unscheduled; the case's own stay",
    );
    assert.equal((await viewCase(t.deps, caseId)).case.priority, 'normal');
  });

  it('keeps a setting saved before assignees were users: it reassigns nothing, the rest applies', async () => {
    now = new Date('2026-12-10T09:00:00.000Z');
    const current = await getServiceSettings(t.deps);
    // As saved before: free text, no check.
    await t.deps.store.commit([
      {
        kind: 'putServiceSettings',
        settings: {
          ...current,
          escalation: { raisePriority: true, assignTo: 'Tier 2', notify: 'lead@example.com' },
          version: current.version + 1,
        },
        expectedVersion: current.version,
      },
    ]);
    // Saved again with it unchanged: kept as it is (checked only when changed).
    const { version: _, updatedAt: __, ...input } = await getServiceSettings(t.deps);
    const kept = await saveServiceSettings(t.deps, input, assigneeAt('escalation.assignTo'));
    assert.equal(kept.escalation.assignTo, 'Tier 2');

    const caseId = await open();
    // A case assigned to an address before assignees were users: still emailed there.
    const c = (await viewCase(t.deps, caseId)).case;
    await t.deps.store.commit([
      {
        kind: 'putCase',
        case: { ...c, assignee: 'ops@example.com', version: c.version + 1 },
        expectedVersion: c.version,
      },
    ]);
    const timer = timerOf(caseId, 'first_response');
    now = new Date(timer.dueAt);
    const sentBefore = mailer.sent.length;
    assert.equal(await fireSlaTimer(t.deps, ctx, timer), 'breached: first_response, notified 2 of 2');
    assert.deepEqual(
      mailer.sent.slice(sentBefore).map((m) => m.to),
      ['lead@example.com', 'ops@example.com'],
    );
    const after = (await viewCase(t.deps, caseId)).case;
    assert.deepEqual([after.priority, after.assignee], ['high', 'ops@example.com'], 'not reassigned');
  });
});
