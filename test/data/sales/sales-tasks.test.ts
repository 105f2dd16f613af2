/** Pipelines, deals and tasks on DynamoDB Local, with a recording scheduler. */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { derivedUlid, ULID_PATTERN } from '#platform/ids.js';
import * as sales from '#sales/pipelines.js';
import * as tasks from '#sales/tasks.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
const now = new Date('2026-11-23T09:00:00.000Z');
let scheduler: RecordingScheduler;
let mailer: RecordingMailer;
const _ctx = () => ({
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
    // No reminder left (the owner's "assigned" email stays scheduled: it finds the task done, moot).
    assert.deepEqual(
      [...scheduler.schedules.values()].map((s) => s.action.kind),
      ['taskAssigned'],
    );
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
