/** Sales on the single table: pipelines, deals (on their pipeline's board index) and tasks (by due time). */
import type { ContactsWrite } from '#contacts/store.js';
import { contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { addDeltas, guardedPut, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { type CrmTask, type Deal, DealSchema, type Pipeline, PipelineSchema, TaskSchema } from './model.js';
import type { StageCounters } from './stage-history.js';
import type { SalesReads, SalesStore, SalesWrite } from './store.js';

/**
 * A stage's history counters are spread over this many items (chosen by the deal), summed on read:
 * moves of different deals out of one busy stage rarely meet on one item (a transaction conflict).
 */
export const STAGE_STATS_SHARDS = 8;
/** Between a stage name and its shard number (sorts before any printable character). */
const SHARD_SEPARATOR = '\u001f';
const shardOf = (dealId: string) => {
  let h = 0;
  for (const c of dealId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return String(h % STAGE_STATS_SHARDS).padStart(2, '0');
};

export const salesKeys = {
  stageStats: (pipelineId: string, stage: string, shard: string): Key => ({
    PK: `STAGESTATS#${pipelineId}`,
    SK: `${stage}${SHARD_SEPARATOR}${shard}`,
  }),
  task: (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' }),
  pipeline: (id: string): Key => ({ PK: `PIPELINE#${id}`, SK: 'PIPELINE' }),
  deal: (id: string): Key => ({ PK: `DEAL#${id}`, SK: 'DEAL' }),
};

export const salesIndexes = {
  allPipelines: (id: string) => ({ GSI1PK: 'PIPELINES', GSI1SK: id }),
  /** A pipeline's board: deals grouped by stage. */
  dealsOnBoard: (pipelineId: string, stage: string, dealId: string) => ({
    GSI1PK: `BOARD#${pipelineId}`,
    GSI1SK: `${stage}#${dealId}`,
  }),
  tasksByDue: (status: string, dueAt: string, id: string) => ({
    GSI1PK: `TASKS#${status}`,
    GSI1SK: `${dueAt}#${id}`,
  }),
  /** GSI2: a second view of tasks, per owner. */
  tasksOfOwner: (owner: string, status: string, dueAt: string, id: string) => ({
    GSI2PK: `OWNER#${owner}#TASKS#${status}`,
    GSI2SK: `${dueAt}#${id}`,
  }),
  partitions: {
    allPipelines: 'PIPELINES',
    board: (pipelineId: string) => `BOARD#${pipelineId}`,
    tasksByDue: (status: string) => `TASKS#${status}`,
    tasksOfOwner: (owner: string, status: string) => `OWNER#${owner}#TASKS#${status}`,
    stageStats: (pipelineId: string) => `STAGESTATS#${pipelineId}`,
  },
};

const decodeTask = (item: Item): CrmTask => decode(TaskSchema, item);
const decodeDeal = (item: Item): Deal => decode(DealSchema, item);
const decodePipeline = (item: Item): Pipeline => decode(PipelineSchema, item);

export const salesTranslators: Translators<Exclude<SalesWrite, ContactsWrite | Emit>> = {
  putTask: ({ task, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.task(task.id),
        ...salesIndexes.tasksByDue(task.status, task.dueAt, task.id),
        ...(task.owner ? salesIndexes.tasksOfOwner(task.owner, task.status, task.dueAt, task.id) : {}),
        ...stamp('Task'),
        ...task,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
  putPipeline: ({ pipeline }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.pipeline(pipeline.id),
        ...salesIndexes.allPipelines(pipeline.id),
        ...stamp('Pipeline'),
        ...pipeline,
      },
      { attribute: 'PK', expected: undefined },
    ),
  putDeal: ({ deal, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.deal(deal.id),
        ...salesIndexes.dealsOnBoard(deal.pipelineId, deal.stage, deal.id),
        ...stamp('Deal'),
        ...deal,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
  addStageStats: ({ pipelineId, stage, dealId, deltas }, TableName) => [
    addDeltas(TableName, salesKeys.stageStats(pipelineId, stage, shardOf(dealId)), 'StageStats', {
      ...deltas,
    }),
  ],
};

/** Sums the shards of each stage (the stage is the sort key before its last separator). */
function sumStageStats(items: Item[]): StageCounters[] {
  const byStage = new Map<string, StageCounters>();
  for (const item of items) {
    const sk = String(item.SK);
    const stage = sk.slice(0, sk.lastIndexOf(SHARD_SEPARATOR));
    const c = byStage.get(stage) ?? { stage, left: 0, timeMs: 0, won: 0, lost: 0 };
    for (const key of ['left', 'timeMs', 'won', 'lost'] as const) c[key] += Number(item[key] ?? 0);
    byStage.set(stage, c);
  }
  return [...byStage.values()];
}

export function salesReads(table: Table): SalesReads {
  return {
    async getPipeline(id) {
      const item = await table.get(salesKeys.pipeline(id));
      return item ? decodePipeline(item) : undefined;
    },
    listPipelines: (options) =>
      table.page({ index: 'GSI1', partition: salesIndexes.partitions.allPipelines }, options, decodePipeline),
    async getDeal(id) {
      const item = await table.get(salesKeys.deal(id));
      return item ? decodeDeal(item) : undefined;
    },
    async listDealsOnBoard(pipelineId) {
      const items = await table.all({
        index: 'GSI1',
        partition: salesIndexes.partitions.board(pipelineId),
        ascending: true,
      });
      return items.map(decodeDeal);
    },
    async listStageStats(pipelineId) {
      return sumStageStats(await table.all({ partition: salesIndexes.partitions.stageStats(pipelineId) }));
    },
    async getTask(id) {
      const item = await table.get(salesKeys.task(id));
      return item ? decodeTask(item) : undefined;
    },
    listTasks(query) {
      const partition = query.owner
        ? ({
            index: 'GSI2',
            partition: salesIndexes.partitions.tasksOfOwner(query.owner, query.status),
          } as const)
        : ({ index: 'GSI1', partition: salesIndexes.partitions.tasksByDue(query.status) } as const);
      // The sort key is `<dueAt>#<id>`: `< dueBefore` on it is exact for ISO-8601 UTC timestamps.
      return table.page(
        { ...partition, ascending: true, ...(query.dueBefore ? { before: query.dueBefore } : {}) },
        query,
        decodeTask,
      );
    },
  };
}

export const salesStore = (table: Table): SalesStore =>
  storeOf<SalesWrite>({ ...contactsTranslators, ...salesTranslators })(table, {
    ...contactsReads(table),
    ...salesReads(table),
  });
