/**
 * Date-based triggers on DynamoDB Local: a contact created with a date, or whose date changes, gets a
 * one-time schedule for its day in each dateReached workflow on that field (days before or after, at
 * a time in the workflow's time zone); the schedule enrolls it once; a date moved since, a day
 * already past, or a field that is not a date field does not.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { dateChangesOf, fireDateTrigger, scheduleDateTriggers } from '#automation/date-trigger.js';
import { createFieldDefinition } from '#contacts/field-definitions.js';
import { createContact, getContact, updateContact } from '#contacts/rules.js';
import { DomainError, type ErrorDetail } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import type { ScheduledAction } from '#platform/scheduler.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
let now = new Date('2026-12-01T08:00:00.000Z');
const engine = new RecordingEngine();
const scheduler = new RecordingScheduler();
let kit: ReturnType<typeof workflowKit>;
type DateAction = Extract<ScheduledAction, { kind: 'workflowDate' }>;
const wait = [{ id: 'w', type: 'wait', duration: 'P1D' }];

before(async () => {
  t = await createTestTable(() => now);
  kit = workflowKit(t, engine);
  await createFieldDefinition(t.deps, { name: 'renewal', label: 'Renewal date', type: 'date' });
  await createFieldDefinition(t.deps, { name: 'plan', label: 'Plan', type: 'text' });
});

/** What the enroller does with the contact's last ContactCreated/ContactUpdated event. */
async function onLastChange(contactId: string) {
  const events = (await outboxEvents(t)).filter(
    (e) =>
      (e.detailType === 'ContactCreated' || e.detailType === 'ContactUpdated') &&
      (e.detail as { contactId: string }).contactId === contactId,
  );
  const last = events.at(-1);
  assert.ok(last, 'an event about the contact');
  const change = dateChangesOf(parseEvent(last.detailType, last.detail));
  return change ? scheduleDateTriggers(t.deps, scheduler, change) : 0;
}

/** An edit as the API makes it: of the contact's current version. */
async function update(id: string, patch: { fields: Record<string, string> }) {
  const current = await getContact(t.deps, id);
  return updateContact(t.deps, id, { version: current.version, ...patch });
}

const scheduledFor = (contactId: string) =>
  [...scheduler.schedules.values()]
    .filter((s): s is { at: Date; action: DateAction } => s.action.kind === 'workflowDate')
    .filter((s) => s.action.contactId === contactId);

describe('dateReached triggers', () => {
  it('refuse a field that is not a date field', async () => {
    const refused = await kit
      .publishedWorkflow({ name: 'Bad', trigger: { type: 'dateReached', field: 'plan' }, steps: wait })
      .catch((err: unknown) => err);
    assert.ok(refused instanceof DomainError);
    assert.deepEqual(
      (refused.details as ErrorDetail[]).map((d) => d.path),
      ['trigger.field'],
    );
  });

  it('schedule a contact’s day when its date is set, and enroll it once on that day', async () => {
    const before = await kit.publishedWorkflow({
      name: 'Renewal reminder',
      timezone: 'Europe/Berlin',
      trigger: { type: 'dateReached', field: 'renewal', days: -7, time: '10:30' },
      steps: wait,
    });
    const onDay = await kit.publishedWorkflow({
      name: 'Renewal day',
      trigger: { type: 'dateReached', field: 'renewal' },
      steps: wait,
    });

    const created = await createContact(t.deps, {
      email: 'renews@example.com',
      fields: { renewal: '2027-01-15' },
    });
    assert.equal(await onLastChange(created.id), 2, 'both workflows, from ContactCreated');
    const days = scheduledFor(created.id).sort((a, b) => a.at.getTime() - b.at.getTime());
    assert.deepEqual(
      days.map((s) => [s.action.workflowId, s.at.toISOString()]),
      [
        // Seven days before, 10:30 in Berlin (UTC+1 in January).
        [before.id, '2027-01-08T09:30:00.000Z'],
        // On the day, at 09:00 in the workflow's default time zone (UTC).
        [onDay.id, '2027-01-15T09:00:00.000Z'],
      ],
    );
    const first = days[0]?.action as DateAction;
    now = new Date(first.at);
    assert.match(await fireDateTrigger(t.deps, engine, first), /^enrolled: /);
    const enrolled = await fireDateTrigger(t.deps, engine, first);
    // The schedule delivered again: the same instant is the same enrollment (its execution started again: a no-op).
    assert.equal(await fireDateTrigger(t.deps, engine, first), enrolled);
    const names = new Set(engine.started.filter((s) => s.name.startsWith(before.id)).map((s) => s.name));
    assert.equal(names.size, 1);
  });

  it('do nothing for a date moved since, a day already past, or a change of another field', async () => {
    now = new Date('2026-12-01T08:00:00.000Z');
    await kit.publishedWorkflow({
      name: 'Renewal follow-up',
      trigger: { type: 'dateReached', field: 'renewal', days: 3, time: '08:00' },
      steps: wait,
    });
    const c = await createContact(t.deps, { email: 'moves@example.com', fields: { plan: 'pro' } });
    assert.equal(await onLastChange(c.id), 0, 'no date yet');
    await update(c.id, { fields: { renewal: '2027-03-01' } });
    assert.ok((await onLastChange(c.id)) >= 1);
    const old = scheduledFor(c.id).find((s) => s.at.toISOString() === '2027-03-04T08:00:00.000Z');
    assert.ok(old, 'three days after, at 08:00 UTC');

    await update(c.id, { fields: { renewal: '2027-04-01' } });
    assert.ok((await onLastChange(c.id)) >= 1);
    now = new Date(old.at);
    assert.equal(await fireDateTrigger(t.deps, engine, old.action), 'ignored: the date moved');

    await update(c.id, { fields: { plan: 'team' } });
    const count = scheduledFor(c.id).length;
    assert.equal(await onLastChange(c.id), 0, 'a change of another field schedules nothing');

    now = new Date('2027-05-01T00:00:00.000Z');
    await update(c.id, { fields: { renewal: '2027-04-20' } });
    assert.equal(await onLastChange(c.id), 0, 'a day already past is not scheduled');
    assert.equal(scheduledFor(c.id).length, count);
  });
});
