/** Pipelines, deals, tasks and follow-ups on DynamoDB Local, with recording mailer and scheduler. */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { unsubscribe } from '#messaging/feedback.js';
import { fireFollowUp } from '#messaging/follow-up-delivery.js';
import * as followUps from '#messaging/follow-ups.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { derivedUlid, ULID_PATTERN } from '#platform/ids.js';
import * as sales from '#sales/pipelines.js';
import * as tasks from '#sales/tasks.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
let now = new Date('2026-11-23T09:00:00.000Z');
let scheduler: RecordingScheduler;
let mailer: RecordingMailer;
const ctx = () => ({
  mailer,
  signingSecret: async () => 'sales-secret-sales-secret-sales',
  publicUrl: 'https://crm.test',
});
const rejects = (promise: Promise<unknown>, status: number, code?: string) =>
  assert.rejects(
    promise,
    (err) => err instanceof DomainError && STATUS_OF[err.kind] === status && (!code || err.code === code),
  );

before(async () => {
  t = await createTestTable(() => now);
});
beforeEach(() => {
  scheduler = new RecordingScheduler();
  mailer = new RecordingMailer();
});

describe('pipelines and deals', () => {
  it('serves the board from the pipeline partition with per-currency totals and a weighted forecast', async () => {
    const pipeline = await sales.createPipeline(t.deps, {
      name: 'New business',
      stages: [
        { name: 'Lead', probability: 0.1 },
        { name: 'Proposal', probability: 0.5 },
      ],
    });
    const other = await sales.createPipeline(t.deps, {
      name: 'Other',
      stages: [{ name: 'Lead', probability: 1 }],
    });
    await sales.createDeal(t.deps, {
      title: 'A',
      amount: 100.5,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Lead',
    });
    await sales.createDeal(t.deps, {
      title: 'B',
      amount: 200,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Proposal',
    });
    await sales.createDeal(t.deps, {
      title: 'C',
      amount: 50,
      currency: 'USD',
      pipelineId: pipeline.id,
      stage: 'Proposal',
    });
    await sales.createDeal(t.deps, {
      title: 'Elsewhere',
      amount: 9,
      currency: 'EUR',
      pipelineId: other.id,
      stage: 'Lead',
    });

    const board = await sales.pipelineBoard(t.deps, pipeline.id);
    assert.deepEqual(
      board.stages.map((s) => [s.name, s.count, s.totals]),
      [
        ['Lead', 1, [{ currency: 'EUR', amount: 100.5, weighted: 10.05 }]],
        [
          'Proposal',
          2,
          [
            { currency: 'EUR', amount: 200, weighted: 100 },
            { currency: 'USD', amount: 50, weighted: 25 },
          ],
        ],
      ],
    );
    assert.deepEqual(board.totals, [
      { currency: 'EUR', amount: 300.5, weighted: 110.05 },
      { currency: 'USD', amount: 50, weighted: 25 },
    ]);
  });

  it('refuses unknown stages, pipelines, contacts and duplicate stage names with 400s', async () => {
    const pipeline = await sales.createPipeline(t.deps, {
      name: 'P',
      stages: [{ name: 'Open', probability: 0.3 }],
    });
    const base = { title: 'X', amount: 1, currency: 'EUR', pipelineId: pipeline.id, stage: 'Open' };
    await rejects(sales.createDeal(t.deps, { ...base, stage: 'Nope' }), 400, 'invalid_stage');
    await rejects(
      sales.createDeal(t.deps, { ...base, pipelineId: '01JF0000000000000000000000' }),
      400,
      'invalid_reference',
    );
    await rejects(
      sales.createDeal(t.deps, { ...base, contactId: '01JF0000000000000000000000' }),
      400,
      'invalid_reference',
    );
    await rejects(
      sales.createPipeline(t.deps, {
        name: 'Dup',
        stages: [
          { name: 'A', probability: 0 },
          { name: 'a', probability: 1 },
        ],
      }),
      400,
    );
  });

  it('records a stage move on the contact timeline and as DealStageChanged, with optimistic concurrency', async () => {
    const contact = await contacts.createContact(t.deps, { email: 'deal@example.com' });
    const pipeline = await sales.createPipeline(t.deps, {
      name: 'Moves',
      stages: [
        { name: 'Open', probability: 0.2 },
        { name: 'Won', probability: 1 },
      ],
    });
    const deal = await sales.createDeal(t.deps, {
      title: 'Big one',
      amount: 1000,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Open',
      contactId: contact.id,
    });
    const moved = await sales.updateDeal(t.deps, deal.id, { version: 1, stage: 'Won', amount: 1200 });
    assert.equal(moved.version, 2);
    await rejects(sales.updateDeal(t.deps, deal.id, { version: 1, title: 'stale' }), 409, 'version_conflict');
    await rejects(sales.updateDeal(t.deps, deal.id, { version: 2, stage: 'Lost' }), 400, 'invalid_stage');

    const timeline = await contacts.listActivities(t.deps, contact.id, { limit: 10 });
    assert.equal(timeline.items[0]?.type, 'deal_stage_changed');
    assert.match(String(timeline.items[0]?.body), /from Open to Won/);
    const events = (await outboxEvents(t)).filter((e) => e.detail.dealId === deal.id);
    assert.deepEqual(
      events.map((e) => e.detailType),
      ['DealCreated', 'DealStageChanged'],
    );
    assert.deepEqual(events[1]?.detail.previous, { stage: 'Open', amount: 1000, currency: 'EUR' });
    assert.deepEqual(events[1]?.detail.current, { stage: 'Won', amount: 1200, currency: 'EUR' });
    const board = await sales.pipelineBoard(t.deps, pipeline.id);
    assert.deepEqual(
      board.stages.map((s) => s.count),
      [0, 1],
    );
  });
});

describe('tasks', () => {
  it('schedules a reminder at dueAt, moves it with the due time, cancels it when done', async () => {
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Call',
      dueAt: '2026-11-24T10:00:00Z',
      owner: 'kim',
    });
    const first = tasks.reminderName(task);
    assert.deepEqual(scheduler.schedules.get(first)?.action, {
      kind: 'taskReminder',
      taskId: task.id,
      dueAt: task.dueAt,
    });
    assert.equal(scheduler.schedules.get(first)?.at.toISOString(), '2026-11-24T10:00:00.000Z');

    const moved = await tasks.updateTask(t.deps, scheduler, task.id, {
      version: 1,
      dueAt: '2026-11-25T10:00:00Z',
    });
    assert.equal(scheduler.schedules.has(first), false);
    assert.ok(scheduler.schedules.has(tasks.reminderName(moved)));

    const done = await tasks.updateTask(t.deps, scheduler, task.id, { version: 2, status: 'done' });
    assert.equal(done.status, 'done');
    assert.ok(done.completedAt);
    assert.equal(scheduler.schedules.size, 0);
    await rejects(tasks.updateTask(t.deps, scheduler, task.id, { version: 2, title: 'x' }), 409);
  });

  it('creates a workflow step task once, with a ULID the tasks API accepts, however often the step retries', async () => {
    const enrollmentId = '01JF0000000000000000000ENR';
    const id = derivedUlid(enrollmentId, `${enrollmentId}/call-step`);
    assert.match(id, ULID_PATTERN);
    const source = { workflowId: 'wf', enrollmentId, stepId: 'call-step' };
    const input = { title: 'Call the lead', dueAt: '2026-11-30T09:00:00Z' };
    const first = await tasks.createTask(t.deps, scheduler, input, { id, source });
    const again = await tasks.createTask(t.deps, scheduler, input, { id, source });
    assert.deepEqual(again, first);
    assert.equal(scheduler.schedules.size, 1);
    assert.deepEqual((await tasks.getTask(t.deps, id)).source, source);
    assert.equal(
      (await outboxEvents(t)).filter((e) => e.detailType === 'TaskCreated' && e.detail.taskId === id).length,
      1,
    );
  });

  it('lists by status and owner, soonest first, and before a due time', async () => {
    for (const [title, dueAt, owner] of [
      ['late', '2026-12-03T00:00:00Z', 'lee'],
      ['soon', '2026-12-01T00:00:00Z', 'lee'],
      ['other', '2026-12-02T00:00:00Z', 'max'],
    ] as const) {
      await tasks.createTask(t.deps, scheduler, { title, dueAt, owner });
    }
    const lee = await tasks.listTasks(t.deps, { status: 'open', owner: 'lee', limit: 10 });
    assert.deepEqual(
      lee.items.map((x) => x.title),
      ['soon', 'late'],
    );
    const before = await tasks.listTasks(t.deps, {
      status: 'open',
      dueBefore: '2026-12-02T12:00:00.000Z',
      limit: 50,
    });
    assert.ok(before.items.every((x) => x.dueAt < '2026-12-02T12:00:00.000Z'));
    assert.ok(before.items.some((x) => x.title === 'other'));
    assert.ok(!before.items.some((x) => x.title === 'late'));
    const page1 = await tasks.listTasks(t.deps, { status: 'open', owner: 'lee', limit: 1 });
    const page2 = await tasks.listTasks(t.deps, {
      status: 'open',
      owner: 'lee',
      limit: 1,
      cursor: page1.nextCursor,
    });
    assert.deepEqual([page1.items[0]?.title, page2.items[0]?.title], ['soon', 'late']);
    await rejects(
      tasks.listTasks(t.deps, { status: 'open', owner: 'max', limit: 1, cursor: page1.nextCursor }),
      400,
      'invalid_cursor',
    );
  });

  it('fires the reminder once onto the timeline; a rescheduled or done task ignores an old reminder', async () => {
    const contact = await contacts.createContact(t.deps, { email: 'remind@example.com' });
    const task = await tasks.createTask(t.deps, scheduler, {
      title: 'Send quote',
      dueAt: '2026-11-23T12:00:00Z',
      contactId: contact.id,
    });
    assert.equal(
      await tasks.fireTaskReminder(t.deps, task.id, '2026-11-23T11:00:00.000Z'),
      'ignored: task rescheduled',
    );
    assert.equal(await tasks.fireTaskReminder(t.deps, task.id, task.dueAt), 'reminded');
    assert.equal(await tasks.fireTaskReminder(t.deps, task.id, task.dueAt), 'ignored: already reminded');
    const timeline = await contacts.listActivities(t.deps, contact.id, { limit: 5 });
    assert.deepEqual(
      timeline.items.filter((a) => a.type === 'task_due').map((a) => a.body),
      ['Task due: Send quote'],
    );
    const events = (await outboxEvents(t))
      .filter((e) => e.detail.taskId === task.id)
      .map((e) => e.detailType);
    assert.deepEqual(events, ['TaskCreated', 'TaskDue']);
  });
});

describe('follow-ups', () => {
  async function setup(email: string) {
    const contact = await contacts.createContact(t.deps, { email, firstName: 'Flo' });
    const template = await createTemplate(t.deps, {
      name: 'FU',
      subject: 'Hi {{ contact.firstName }}',
      html: '<p>Hi</p>',
    });
    return { contact, template };
  }

  it('schedules at sendAt, sends once when fired, with unsubscribe headers, and closes as sent', async () => {
    const { contact, template } = await setup('flo@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-23T15:00:00Z',
    });
    assert.deepEqual(scheduler.schedules.get(fu.scheduleName)?.action, {
      kind: 'followUp',
      followUpId: fu.id,
    });
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'sent');
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'ignored: sent');
    assert.equal(mailer.sent.length, 1);
    assert.equal(mailer.sent[0]?.subject, 'Hi Flo');
    assert.equal(mailer.sent[0]?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    const [listed] = (await followUps.listFollowUps(t.deps, contact.id, { limit: 10 })).items;
    assert.equal(listed?.status, 'sent');
    assert.ok(listed?.messageId);
  });

  it('refuses a past sendAt, an unknown template and an unsubscribed contact', async () => {
    const { contact, template } = await setup('past@example.com');
    await rejects(
      followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
        templateId: template.id,
        sendAt: '2026-11-23T08:59:59Z',
      }),
      400,
      'send_at_in_past',
    );
    await rejects(
      followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
        templateId: '01JF0000000000000000000000',
        sendAt: '2026-11-24T00:00:00Z',
      }),
      400,
      'invalid_reference',
    );
    await unsubscribe(t.deps, contact.id, 'test');
    await rejects(
      followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
        templateId: template.id,
        sendAt: '2026-11-24T00:00:00Z',
      }),
      409,
      'contact_unsubscribed',
    );
    assert.equal(scheduler.schedules.size, 0, 'nothing scheduled for refused requests');
  });

  it('skips a follow-up whose contact unsubscribed meanwhile, and cancels only scheduled ones', async () => {
    const { contact, template } = await setup('late@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    await unsubscribe(t.deps, contact.id, 'test');
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'skipped: unsubscribed');
    assert.equal(mailer.sent.length, 0);
    await rejects(followUps.cancelFollowUp(t.deps, scheduler, fu.id), 409, 'follow_up_closed');

    const other = await setup('cancel@example.com');
    const fu2 = await followUps.scheduleFollowUp(t.deps, scheduler, other.contact.id, {
      templateId: other.template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    const cancelled = await followUps.cancelFollowUp(t.deps, scheduler, fu2.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(scheduler.cancelled, [fu2.scheduleName]);
    assert.equal(await fireFollowUp(t.deps, ctx(), fu2.id), 'ignored: cancelled');
    now = new Date('2026-11-23T09:00:00.000Z');
  });

  it('refuses to cancel while the email is going out, and records the send in full', async () => {
    const { contact, template } = await setup('midsend@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    let cancelDuringSend: Promise<unknown> | undefined;
    const slowMailer = {
      send: async (email: Parameters<RecordingMailer['send']>[0]) => {
        cancelDuringSend = followUps.cancelFollowUp(t.deps, scheduler, fu.id);
        await rejects(cancelDuringSend, 409, 'follow_up_sending');
        return mailer.send(email);
      },
    };
    assert.equal(await fireFollowUp(t.deps, { ...ctx(), mailer: slowMailer }, fu.id), 'sent');
    assert.ok(cancelDuringSend, 'the cancel ran while sending');
    assert.equal(mailer.sent.length, 1);
    const [listed] = (await followUps.listFollowUps(t.deps, contact.id, { limit: 10 })).items;
    assert.equal(listed?.status, 'sent');
    const timeline = await contacts.listActivities(t.deps, contact.id, { limit: 10 });
    assert.ok(timeline.items.some((a) => a.type === 'email' && a.data?.followUpId === fu.id));
  });

  it('sends nothing when a cancel lands between reading the follow-up and claiming the send', async () => {
    const { contact, template } = await setup('between@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    // The firing Lambda read the follow-up while it was still scheduled; the cancel commits after that read.
    let reads = 0;
    const stale: typeof t.deps.store = Object.assign(Object.create(t.deps.store), {
      getFollowUp: async (id: string) => (reads++ === 0 ? fu : t.deps.store.getFollowUp(id)),
    });
    await followUps.cancelFollowUp(t.deps, scheduler, fu.id);
    const outcome = await fireFollowUp({ ...t.deps, store: stale }, ctx(), fu.id);
    assert.equal(outcome, 'ignored: cancelled');
    assert.equal(mailer.sent.length, 0);
    const [listed] = (await followUps.listFollowUps(t.deps, contact.id, { limit: 10 })).items;
    assert.equal(listed?.status, 'cancelled');
  });

  it('puts a follow-up back to scheduled when the send fails and can be retried', async () => {
    const { contact, template } = await setup('retry-fu@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    mailer.failures = 1;
    await assert.rejects(fireFollowUp(t.deps, ctx(), fu.id), /slow down/);
    assert.equal((await t.deps.store.getFollowUp(fu.id))?.status, 'scheduled');
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'sent');
    assert.equal(mailer.sent.length, 1);
  });
});
