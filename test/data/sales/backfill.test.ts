/**
 * Sales' backfill on DynamoDB Local: tasks and deals written as they were before their indexes (no
 * item in the contact's task index, no deal list keys) are not listed; the backfill (in small pages,
 * interrupted by a budget and by a crash mid-page, resumed) puts each in once — never for an erased
 * contact, never over a deal saved meanwhile —; run again it reads one item and changes nothing; a
 * new layout sweeps again and writes nothing that is already right.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as contacts from '#contacts/rules.js';
import { stamp, Table } from '#platform/dynamo/table.js';
import { runSalesBackfill, SALES_INDEX_VERSION } from '#sales/backfill.js';
import { salesBackfillKey, salesBackfillStore } from '#sales/backfill-dynamo.js';
import type { SalesBackfillDeps, SalesBackfillStore } from '#sales/backfill-store.js';
import { contactTaskReads } from '#sales/contact-tasks.js';
import type { CrmTask, Deal } from '#sales/model.js';
import * as sales from '#sales/pipelines.js';
import { salesIndexes, salesKeys } from '#sales/store-dynamo.js';
import * as tasks from '#sales/tasks.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
let table: Table;
let deps: SalesBackfillDeps;
const now = new Date('2026-11-23T09:00:00.000Z');
const at = now.toISOString();
let n = 0;
const id = (prefix: string) => `${prefix}${String(++n).padStart(4, '0')}`;

/** A task as it was written before the contact's task index: its own item only. */
async function oldTask(over: Partial<CrmTask>): Promise<CrmTask> {
  const task: CrmTask = {
    id: id('01OLDTASK'),
    title: `Old task ${n}`,
    dueAt: `2026-12-${String((n % 27) + 1).padStart(2, '0')}T09:00:00.000Z`,
    status: 'open',
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
  await t.doc.send(
    new PutCommand({
      TableName: t.tableName,
      Item: {
        ...salesKeys.task(task.id),
        ...salesIndexes.tasksByDue(task.status, task.dueAt, task.id),
        ...stamp('Task'),
        ...task,
      },
    }),
  );
  return task;
}

/** A deal as it was written before the deal list index: on its board only. */
async function oldDeal(pipelineId: string, over: Partial<Deal> = {}): Promise<Deal> {
  const deal: Deal = {
    id: id('01OLDDEAL'),
    title: `Old deal ${n}`,
    amount: 100,
    currency: 'EUR',
    pipelineId,
    stage: 'Lead',
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
  await t.doc.send(
    new PutCommand({
      TableName: t.tableName,
      Item: {
        ...salesKeys.deal(deal.id),
        ...salesIndexes.dealsOnBoard(deal.pipelineId, deal.stage, deal.id),
        ...stamp('Deal'),
        ...deal,
      },
    }),
  );
  return deal;
}

const tasksOf = async (contactId: string) =>
  (await contactTaskReads(table).listTasksOfContact(contactId, 100)).map((x) => x.id).sort();
const dealList = async (status: 'open' | 'won' | 'lost') =>
  (await t.deps.store.listDeals({ status, limit: 100 })).items.map((d) => d.id).sort();
/** Every item but the backfill's progress. */
const records = async () =>
  (await t.items()).filter((i) => !(i.PK === salesBackfillKey.PK && i.SK === salesBackfillKey.SK));
const progress = () => deps.store.getSalesBackfill();

/** The store, dying (like a crashed Lambda) after `writes` index writes. */
function crashingAfter(writes: number): SalesBackfillDeps {
  let left = writes;
  const store: SalesBackfillStore = {
    ...deps.store,
    async commit(ws) {
      if (ws.some((w) => w.kind !== 'putSalesBackfill') && left-- <= 0) throw new Error('crashed');
      return deps.store.commit(ws);
    },
  };
  return { ...deps, store };
}

const expected = {
  adaTasks: [] as string[],
  lenaTasks: [] as string[],
  open: [] as string[],
  won: [] as string[],
};
let adaId: string;
let recentTaskId: string;
let lenaId: string;
let orphan: CrmTask;
let movedMeanwhile: Deal;

before(async () => {
  t = await createTestTable(() => now);
  table = new Table(t.doc, t.tableName);
  deps = { store: salesBackfillStore(table), clock: { now: () => now }, ids: t.deps.ids };
  const ada = await contacts.createContact(t.deps, { email: 'ada@backfill.example' });
  const lena = await contacts.createContact(t.deps, { email: 'lena@backfill.example' });
  const gone = await contacts.createContact(t.deps, { email: 'gone@backfill.example' });
  adaId = ada.id;
  lenaId = lena.id;
  const stages = [
    { name: 'Lead', probability: 0.2 },
    { name: 'Won', probability: 1 },
  ];
  const first = await sales.createPipeline(t.deps, { name: 'First', stages });
  const second = await sales.createPipeline(t.deps, { name: 'Second', stages });
  await sales.createPipeline(t.deps, { name: 'Empty', stages });

  for (let i = 0; i < 5; i++) expected.adaTasks.push((await oldTask({ contactId: ada.id })).id);
  expected.adaTasks.push((await oldTask({ contactId: ada.id, status: 'done', completedAt: at })).id);
  expected.lenaTasks.push((await oldTask({ contactId: lena.id, status: 'done', completedAt: at })).id);
  await oldTask({}); // no contact: nothing to index
  // A task of a contact erased since: its partition is not started again.
  orphan = await oldTask({ contactId: gone.id });
  await contacts.deleteContact(t.deps, gone.id);
  // Written today: indexed already.
  const recent = await tasks.createTask(t.deps, new RecordingScheduler(), {
    title: 'New task',
    dueAt: '2026-12-30T09:00:00.000Z',
    contactId: ada.id,
  });
  expected.adaTasks.push(recent.id);
  recentTaskId = recent.id;

  for (let i = 0; i < 3; i++) expected.open.push((await oldDeal(first.id)).id);
  expected.won.push((await oldDeal(second.id, { stage: 'Won', outcome: 'won' })).id);
  expected.open.push((await oldDeal(second.id, { owner: 'user-sam', closeDate: '2027-01-31' })).id);
  movedMeanwhile = await oldDeal(second.id);
  const recentDeal = await sales.createDeal(t.deps, {
    title: 'New deal',
    amount: 5,
    currency: 'EUR',
    pipelineId: first.id,
    stage: 'Lead',
  });
  expected.open.push(recentDeal.id);
  for (const list of Object.values(expected)) list.sort();
});

describe('sales backfill', () => {
  it('lists nothing written before the indexes until it runs', async () => {
    assert.deepEqual(await tasksOf(adaId), [recentTaskId], 'only the task created today');
    assert.deepEqual(await tasksOf(lenaId), []);
    assert.deepEqual(await dealList('won'), []);
    assert.equal((await dealList('open')).length, 1, 'only the deal saved today');
    assert.equal(await progress(), undefined);
  });

  it('stops at its budget, dies mid-page, resumes where it was and fills each entry once', async () => {
    // A stretch of 4 records, 2 a page: stopped in the open tasks, its place kept.
    const first = await runSalesBackfill(deps, { budget: 4, page: 2 });
    assert.deepEqual([first.phase, first.swept, first.indexed], ['tasks-open', 4, 4]);
    const kept = await progress();
    assert.ok(kept?.cursor, 'its place in the collection is kept');
    assert.deepEqual(
      [kept.phase, kept.swept, kept.indexed, kept.indexVersion],
      ['tasks-open', 4, 4, SALES_INDEX_VERSION],
    );
    assert.equal((await tasksOf(adaId)).length, 5, 'four old tasks and the new one');

    // The next run dies in its first page (3 tasks: Ada's last old open one, one without a contact,
    // the erased contact's) after its first write: the progress is not moved past that page.
    await assert.rejects(runSalesBackfill(crashingAfter(1), { page: 3 }), /crashed/);
    assert.equal((await progress())?.version, kept.version);
    assert.equal((await tasksOf(adaId)).length, 6, 'the write before the crash is there');

    // Meanwhile a deal is saved (with its keys): the backfill's conditional write does not undo it.
    await t.deps.store.commit([
      {
        kind: 'putDeal',
        deal: { ...movedMeanwhile, title: 'Saved meanwhile', version: 2 },
        expectedVersion: 1,
      },
    ]);
    expected.open.push(movedMeanwhile.id);
    expected.open.sort();

    const rest = await runSalesBackfill(deps, { page: 2 });
    assert.equal(rest.phase, 'done');
    const done = await progress();
    assert.equal(done?.phase, 'done');
    assert.ok(done?.finishedAt);
    assert.deepEqual(await tasksOf(adaId), expected.adaTasks);
    assert.deepEqual(await tasksOf(lenaId), expected.lenaTasks);
    assert.deepEqual(await dealList('open'), expected.open);
    assert.deepEqual(await dealList('won'), expected.won);
    assert.equal(
      (await t.deps.store.listDeals({ status: 'open', owner: 'user-sam', limit: 10 })).items.length,
      1,
      "an owner's deals are a prefix of the list",
    );
    assert.equal((await t.deps.store.getDeal(movedMeanwhile.id))?.title, 'Saved meanwhile');
    const orphanItems = (await t.items()).filter((i) => i.PK === `CONTACT#${orphan.contactId}`);
    assert.deepEqual(orphanItems, [], "an erased contact's partition is not started again");
    // Counted once each: 7 old tasks of live contacts (less the one the run that died wrote), and 6
    // old deals (less the one saved meanwhile).
    assert.equal(done.indexed, 7 - 1 + (6 - 1));
  });

  it('changes nothing when run again, and a new layout sweeps again without rewriting', async () => {
    const before = await t.items();
    assert.deepEqual(await runSalesBackfill(deps), { phase: 'done', swept: 0, indexed: 0 });
    assert.deepEqual(await t.items(), before, 'one read, no write');

    // A progress item of an older layout: everything is read again, nothing needs writing.
    const done = await progress();
    assert.ok(done);
    await deps.store.commit([
      {
        kind: 'putSalesBackfill',
        state: { ...done, indexVersion: SALES_INDEX_VERSION - 1, version: done.version + 1 },
        expectedVersion: done.version,
      },
    ]);
    const recordsBefore = await records();
    const again = await runSalesBackfill(deps);
    assert.equal(again.phase, 'done');
    assert.equal(again.indexed, 0);
    assert.ok(again.swept >= 10, `swept ${again.swept}`);
    assert.deepEqual(await records(), recordsBefore);
  });

  it('lets one of two runs at once keep the progress; the other stops', async () => {
    const done = await progress();
    assert.ok(done);
    await deps.store.commit([
      {
        kind: 'putSalesBackfill',
        state: { ...done, indexVersion: SALES_INDEX_VERSION - 1, version: done.version + 1 },
        expectedVersion: done.version,
      },
    ]);
    const recordsBefore = await records();
    const both = await Promise.all([
      runSalesBackfill(deps, { page: 2 }),
      runSalesBackfill(deps, { page: 2 }),
    ]);
    // One started the sweep again and ran it to its end; the other found the progress moved and stopped.
    const after = await progress();
    assert.equal(after?.phase, 'done', JSON.stringify(both));
    assert.equal(after.indexVersion, SALES_INDEX_VERSION);
    assert.equal(
      both.reduce((sum, r) => sum + r.swept, 0),
      after.swept,
      'the records were read by one run only (the other stopped at its first save)',
    );
    assert.deepEqual(await records(), recordsBefore);
  });
});
