/**
 * What the contact page reads and writes beyond the basics: calls and meetings with their details,
 * the lifecycle stage on the erasure event, and the contact's deals and tasks by name.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ActivityBody } from '#contacts/routes.js';
import * as contacts from '#contacts/rules.js';
import { contactsReads } from '#contacts/store-dynamo.js';
import { Table } from '#platform/dynamo/table.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { contactDealReads } from '#sales/contact-deals.js';
import { dealsOfContact, tasksOfContact } from '#sales/contact-records.js';
import { contactTaskReads } from '#sales/contact-tasks.js';
import * as sales from '#sales/pipelines.js';
import * as tasks from '#sales/tasks.js';
import { setStage } from '#scoring/scoring.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
let table: Table;
before(async () => {
  t = await createTestTable();
  table = new Table(t.doc, t.tableName);
});

const notFound = (p: Promise<unknown>) =>
  assert.rejects(p, (e: unknown) => e instanceof DomainError && STATUS_OF[e.kind] === 404);

describe('calls and meetings on the timeline', () => {
  it('keeps a call’s outcome and duration and a meeting’s attendees, newest first', async () => {
    const c = await contacts.createContact(t.deps, { email: 'caller@example.com' });
    const call = ActivityBody.parse({ type: 'call', outcome: 'left_voicemail', durationMinutes: 3 });
    await contacts.recordActivity(t.deps, c.id, { ...call, occurredAt: '2026-11-01T10:00:00.000Z' });
    const meeting = ActivityBody.parse({
      type: 'meeting',
      body: 'Demo',
      occurredAt: '2026-11-02T10:00:00Z',
      durationMinutes: 45,
      attendees: ['Sam', 'kim@example.com'],
    });
    await contacts.recordActivity(t.deps, c.id, meeting);
    const timeline = await contacts.listActivities(t.deps, c.id, { limit: 10 });
    assert.deepEqual(
      timeline.items.map((a) => [a.type, a.outcome, a.durationMinutes, a.attendees, a.body]),
      [
        ['meeting', undefined, 45, ['Sam', 'kim@example.com'], 'Demo'],
        ['call', 'left_voicemail', 3, undefined, undefined],
      ],
    );
  });

  it('refuses details that do not belong to the activity’s type, and a note without a body', () => {
    const problems = (input: unknown) => {
      const r = ActivityBody.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    assert.deepEqual(problems({ type: 'note', body: 'x', outcome: 'busy' }), ['outcome']);
    assert.deepEqual(problems({ type: 'note' }), ['body']);
    assert.deepEqual(problems({ type: 'call', attendees: ['a'] }), ['attendees']);
    assert.deepEqual(problems({ type: 'email', body: 'x', durationMinutes: 5 }), ['durationMinutes']);
    assert.deepEqual(problems({ type: 'call', outcome: 'hung_up' }), ['outcome']);
    assert.deepEqual(problems({ type: 'call', durationMinutes: 0 }), ['durationMinutes']);
    // What clients sent before stays valid.
    assert.deepEqual(problems({ type: 'note', body: 'Spoke about pricing' }), []);
    assert.deepEqual(problems({ type: 'purchase', body: 'Plan', amount: 10, currency: 'EUR' }), []);
  });
});

describe('erasure event', () => {
  it('carries the lifecycle stage the contact had, and none when it had none', async () => {
    const staged = await contacts.createContact(t.deps, { email: 'staged@example.com' });
    await setStage(t.deps, staged.id, { stage: 'opportunity' });
    const plain = await contacts.createContact(t.deps, { email: 'plain@example.com' });
    await contacts.deleteContact(t.deps, staged.id);
    await contacts.deleteContact(t.deps, plain.id);
    const deleted = (await outboxEvents(t)).filter((e) => e.detailType === 'ContactDeleted');
    const byId = new Map(deleted.map((e) => [e.detail.contactId, e.detail]));
    assert.equal(byId.get(staged.id)?.lifecycleStage, 'opportunity');
    assert.equal(byId.get(plain.id)?.lifecycleStage, undefined);
    assert.ok(byId.has(plain.id));
  });
});

describe('a contact’s deals and tasks', () => {
  it('lists the contact’s deals and its open tasks by name, and 404s an unknown contact', async () => {
    const c = await contacts.createContact(t.deps, { email: 'buyer@example.com' });
    const other = await contacts.createContact(t.deps, { email: 'other@example.com' });
    const pipeline = await sales.createPipeline(t.deps, {
      name: 'Sales',
      stages: [{ name: 'Qualified', probability: 0.2 }],
    });
    const deal = await sales.createDeal(t.deps, {
      title: 'Acme renewal',
      amount: 1200,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Qualified',
      contactId: c.id,
    });
    // The companies consumer indexes a deal under its contact (sales/contact-deals.ts).
    await t.deps.store.commit([{ kind: 'putContactDeal', contactId: c.id, dealId: deal.id }]);
    const scheduler = new RecordingScheduler();
    const later = await tasks.createTask(t.deps, scheduler, {
      title: 'Send the quote',
      dueAt: '2026-12-10T09:00:00Z',
      contactId: c.id,
    });
    const sooner = await tasks.createTask(t.deps, scheduler, {
      title: 'Call back',
      dueAt: '2026-12-05T09:00:00Z',
      contactId: c.id,
    });
    await tasks.createTask(t.deps, scheduler, {
      title: 'Not theirs',
      dueAt: '2026-12-01T09:00:00Z',
      contactId: other.id,
    });
    await tasks.updateTask(t.deps, scheduler, later.id, { version: later.version, status: 'done' });

    const deps = {
      store: { ...contactsReads(table), ...contactDealReads(table), ...contactTaskReads(table) },
    };
    const deals = await dealsOfContact(deps, c.id);
    assert.deepEqual(
      deals.items.map((d) => [d.title, d.stage, d.amount]),
      [['Acme renewal', 'Qualified', 1200]],
    );
    const open = await tasksOfContact(deps, c.id, 'open');
    assert.deepEqual(
      open.items.map((x) => x.title),
      [sooner.title],
    );
    const done = await tasksOfContact(deps, c.id, 'done');
    assert.deepEqual(
      done.items.map((x) => x.title),
      ['Send the quote'],
    );
    await notFound(dealsOfContact(deps, '01JF0000000000000000000000'));
    await notFound(tasksOfContact(deps, '01JF0000000000000000000000', 'open'));
  });
});
