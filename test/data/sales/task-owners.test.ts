/**
 * Tasks owned by users, on DynamoDB Local: editing with the version guard, the owner's emails
 * (assigned, due) sent once through the notice ledger whatever the retries, and refused sends
 * recorded and counted.
 */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import type { User } from '#access/model.js';
import { resolveOwner, type UserDirectory } from '#access/users.js';
import * as contacts from '#contacts/rules.js';
import type { Mailer, OutgoingEmail } from '#messaging/mailer.js';
import { DomainError, RetryableError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { MetricsBuffer } from '#platform/logger.js';
import { fireAssignedNotice, remindOwner, type TaskNoticeContext } from '#sales/task-notices.js';
import * as tasks from '#sales/tasks.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
let now = new Date('2026-11-23T09:00:00.000Z');
let scheduler: RecordingScheduler;
let mailer: RecordingMailer;
const sam: User = { id: 'user-sam', name: 'Sam Seller', email: 'sam@example.com' };
const kim: User = { id: 'user-kim', name: 'Kim', email: 'kim@example.com' };
const users: UserDirectory = {
  list: async () => [kim, sam],
  get: async (id) => [kim, sam].find((u) => u.id === id),
  add: async () => {
    throw new Error('not here');
  },
};
const ctx = (m: Mailer = mailer): TaskNoticeContext => ({ users, mailer: m, publicUrl: 'https://crm.test' });
const inHours = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

before(async () => {
  t = await createTestTable(() => now);
});
beforeEach(() => {
  scheduler = new RecordingScheduler();
  mailer = new RecordingMailer();
});

/** The assigned notice scheduled for a task (there must be exactly one), as it will fire. */
function assignedAction(taskId: string) {
  const found = [...scheduler.schedules.entries()].filter(
    ([, s]) => s.action.kind === 'taskAssigned' && s.action.taskId === taskId,
  );
  assert.equal(found.length, 1, `one assigned notice scheduled for ${taskId}`);
  const [name, { at, action }] = found[0] as (typeof found)[number];
  assert.equal(action.kind, 'taskAssigned');
  return { name, at, action: action as Extract<typeof action, { kind: 'taskAssigned' }> };
}

describe('editing a task', () => {
  it('changes title, due, owner and notes at the current version; a stale version is a clear 409', async () => {
    const task = await tasks.createTask(t.deps, scheduler, { title: 'Call Ada', dueAt: inHours(2) });
    const edited = await tasks.updateTask(t.deps, scheduler, task.id, {
      version: 1,
      title: 'Call Ada back',
      dueAt: inHours(5),
      owner: sam.id,
      notes: 'About the renewal',
    });
    assert.deepEqual(
      [edited.title, edited.dueAt, edited.owner, edited.notes, edited.version],
      ['Call Ada back', inHours(5), sam.id, 'About the renewal', 2],
    );
    assert.deepEqual(await tasks.getTask(t.deps, task.id), edited);
    // The reminder moved with the due time.
    assert.ok(scheduler.schedules.has(tasks.reminderName(edited)));
    assert.ok(!scheduler.schedules.has(tasks.reminderName(task)));

    await assert.rejects(
      tasks.updateTask(t.deps, scheduler, task.id, { version: 1, title: 'Lost' }),
      (err) => {
        assert.ok(err instanceof DomainError);
        assert.equal(STATUS_OF[err.kind], 409);
        assert.match(err.message, /changed by someone else.*version 2.*reload/);
        return true;
      },
    );
    assert.equal((await tasks.getTask(t.deps, task.id)).title, 'Call Ada back', 'nothing written');

    const cleared = await tasks.updateTask(t.deps, scheduler, task.id, {
      version: 2,
      notes: null,
      owner: null,
    });
    assert.equal(cleared.notes, undefined);
    assert.equal(cleared.owner, undefined);
  });

  it('checks a new owner against the users, and keeps an old free-text owner untouched', async () => {
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Legacy',
      dueAt: inHours(1),
      owner: 'sam',
    });
    const check = (owner: string) => resolveOwner(users, owner);
    // Unchanged legacy owner: not checked (another field edited).
    const renamed = await tasks.updateTask(
      t.deps,
      scheduler,
      task.id,
      { version: 1, title: 'Legacy 2', owner: 'sam' },
      check,
    );
    assert.equal(renamed.owner, 'sam');
    await assert.rejects(
      tasks.updateTask(t.deps, scheduler, task.id, { version: 2, owner: 'kim' }, check),
      (err) => err instanceof DomainError && STATUS_OF[err.kind] === 400 && err.code === 'invalid_reference',
    );
    const byEmail = await tasks.updateTask(
      t.deps,
      scheduler,
      task.id,
      { version: 2, owner: 'KIM@example.com' },
      check,
    );
    assert.equal(byEmail.owner, kim.id);
  });

  it('lists tasks due in a range (at or after dueAfter, before dueBefore), done ones latest first', async () => {
    const owner = `range-${Date.now()}`;
    const made = [];
    for (const h of [1, 30, 50, 80]) {
      made.push(await tasks.createTask(t.deps, scheduler, { title: `in ${h}h`, dueAt: inHours(h), owner }));
    }
    const titles = async (q: Partial<Parameters<typeof tasks.listTasks>[1]>) =>
      (await tasks.listTasks(t.deps, { status: 'open', owner, limit: 10, ...q })).items.map((x) => x.title);
    assert.deepEqual(await titles({ dueAfter: inHours(30), dueBefore: inHours(80) }), ['in 30h', 'in 50h']);
    assert.deepEqual(await titles({ dueAfter: inHours(31) }), ['in 50h', 'in 80h']);
    assert.deepEqual(await titles({ dueBefore: inHours(30) }), ['in 1h']);
    for (const task of made.slice(0, 3))
      await tasks.updateTask(t.deps, scheduler, task.id, { version: 1, status: 'done' });
    assert.deepEqual(await titles({ status: 'done' }), ['in 50h', 'in 30h', 'in 1h']);
  });
});

describe("the owner's emails", () => {
  it('tells the owner of a new task once, however often the schedule fires', async () => {
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Send the quote',
      dueAt: inHours(3),
      owner: sam.id,
      notes: 'Two options',
    });
    const { name, at, action } = assignedAction(task.id);
    assert.equal(name, `task-${task.id}-assigned-1`);
    assert.equal(at.getTime(), now.getTime() + tasks.ASSIGNED_NOTICE_DELAY_MS, 'a few seconds later');
    assert.match(await fireAssignedNotice(t.deps, t.deps, ctx(), action), /sent/);
    assert.match(await fireAssignedNotice(t.deps, t.deps, ctx(), action), /already sent/);
    assert.equal(mailer.sent.length, 1);
    const [email] = mailer.sent as [OutgoingEmail];
    assert.equal(email.to, 'sam@example.com');
    assert.equal(email.subject, 'Task assigned to you: Send the quote');
    assert.match(email.text, /Notes: Two options/);
    assert.match(email.text, /https:\/\/crm\.test\/#\/tasks/);
    assert.equal(email.headers['X-Tendril-Send-Id'], `task.${task.id}.assigned.1`);

    const none = await tasks.createTask(t.deps, scheduler, { title: 'Nobody', dueAt: inHours(3) });
    assert.ok(
      ![...scheduler.schedules.values()].some(
        (s) => s.action.kind === 'taskAssigned' && s.action.taskId === none.id,
      ),
    );
  });

  it('tells the new owner of a reassigned task, and not the one it was taken from', async () => {
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Visit',
      dueAt: inHours(3),
      owner: sam.id,
    });
    const first = assignedAction(task.id);
    scheduler.schedules.delete(first.name);
    await tasks.updateTask(t.deps, scheduler, task.id, { version: 1, owner: kim.id });
    const second = assignedAction(task.id);
    assert.equal(second.name, `task-${task.id}-assigned-2`);
    assert.equal(await fireAssignedNotice(t.deps, t.deps, ctx(), first.action), 'ignored: reassigned since');
    assert.match(await fireAssignedNotice(t.deps, t.deps, ctx(), second.action), /sent/);
    assert.deepEqual(
      mailer.sent.map((m) => m.to),
      ['kim@example.com'],
    );
    // Another edit that keeps the owner tells nobody.
    scheduler.schedules.clear();
    await tasks.updateTask(t.deps, scheduler, task.id, { version: 2, title: 'Visit them' });
    assert.equal([...scheduler.schedules.values()].filter((s) => s.action.kind === 'taskAssigned').length, 0);
  });

  it('waits for an assignment not committed yet, then gives up on one that never was', async () => {
    const action = { taskId: 'never-made', owner: sam.id, version: 1, plannedAt: now.toISOString() };
    await assert.rejects(fireAssignedNotice(t.deps, t.deps, ctx(), action), RetryableError);
    later(10 * 60_000);
    assert.match(await fireAssignedNotice(t.deps, t.deps, ctx(), action), /never committed/);
    assert.equal(mailer.sent.length, 0);
  });

  it('retries a throttled send: a live claim holds other attempts off, its lease ending lets the retry send', async () => {
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Throttled',
      dueAt: inHours(3),
      owner: sam.id,
    });
    const { action } = assignedAction(task.id);
    mailer.failures = 1;
    await assert.rejects(fireAssignedNotice(t.deps, t.deps, ctx(), action), RetryableError);
    await assert.rejects(fireAssignedNotice(t.deps, t.deps, ctx(), action), /another attempt/);
    later(61_000);
    assert.match(await fireAssignedNotice(t.deps, t.deps, ctx(), action), /sent/);
    assert.equal(mailer.sent.length, 1);
  });

  it('records a send refused for good, counts it (EmailRejected, via task-notice) and never sends it again', async () => {
    Object.assign(process.env, {
      SENDER_EMAIL: 'hello@tendril.test',
      SES_CONFIGURATION_SET: 'test',
      PUBLIC_API_URL: 'https://crm.test',
      TABLE_NAME: t.tableName,
      SIGNING_SECRET: 'task-owners-secret-task-owners-secret',
    });
    const { countedMailer, emailContext } = await import('#app/email-context.js');
    let attempts = 0;
    emailContext.mailer = {
      async send() {
        attempts++;
        throw Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
      },
    };
    const metrics = new MetricsBuffer();
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Refused',
      dueAt: inHours(3),
      owner: sam.id,
    });
    const { action } = assignedAction(task.id);
    const counted = ctx(countedMailer(metrics, 'task-notice'));
    assert.match(await fireAssignedNotice(t.deps, t.deps, counted, action), /rejected/);
    assert.match(await fireAssignedNotice(t.deps, t.deps, counted, action), /already sent/);
    assert.equal(attempts, 1);
    assert.deepEqual(metrics.records, [
      { name: 'EmailRejected', value: 1, dimensions: { via: 'task-notice' } },
    ]);
  });

  it('emails the owner when the reminder fires (once), and no one for an owner who is not a user', async () => {
    const contact = await contacts.createContact(t.deps, { email: `due-${Date.now()}@example.com` });
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Renewal call',
      dueAt: inHours(1),
      owner: sam.id,
      contactId: contact.id,
    });
    later(3_600_000);
    assert.equal(await tasks.fireTaskReminder(t.deps, task.id, task.dueAt), 'reminded');
    assert.match(await remindOwner(t.deps, t.deps, ctx(), task.id, task.dueAt), /due notice: sent/);
    // The schedule fires again (a retry): the reminder and the email are not repeated.
    assert.match(await tasks.fireTaskReminder(t.deps, task.id, task.dueAt), /already reminded/);
    assert.match(await remindOwner(t.deps, t.deps, ctx(), task.id, task.dueAt), /already sent/);
    assert.deepEqual(
      mailer.sent.map((m) => [m.to, m.subject]),
      [['sam@example.com', 'Task due: Renewal call']],
    );

    const legacy = await tasks.createTask(t.deps, scheduler, {
      title: 'Old',
      dueAt: inHours(1),
      owner: 'sam',
    });
    later(3_600_000);
    await tasks.fireTaskReminder(t.deps, legacy.id, legacy.dueAt);
    assert.match(await remindOwner(t.deps, t.deps, ctx(), legacy.id, legacy.dueAt), /not a user/);
    assert.equal(mailer.sent.length, 1);
  });
});
