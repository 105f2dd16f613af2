/** Sales on the single table: pipelines, deals (on their pipeline's board index) and tasks (by due time). */

import type { ContactsWrite } from '#contacts/store.js';
import { contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { encodeCursor } from '#platform/dynamo/cursor.js';
import { decode, type IndexQuery, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import {
  addDeltas,
  guardedPut,
  storeOf,
  type Translators,
  versionedDelete,
} from '#platform/dynamo/unit-of-work.js';
import { shardOf } from '#platform/shard.js';
import type { Emit, Page } from '#platform/store.js';
import { contactTaskParts } from './contact-tasks.js';
import { type CrmTask, type Deal, DealSchema, type Pipeline, PipelineSchema, TaskSchema } from './model.js';
import type { StageCounters } from './stage-history.js';
import type { DealQuery, SalesReads, SalesStore, SalesWrite } from './store.js';

/**
 * A stage's history counters are spread over this many items (chosen by the deal), summed on read:
 * moves of different deals out of one busy stage rarely meet on one item (a transaction conflict).
 */
export const STAGE_STATS_SHARDS = 8;
/** Between a stage name and its shard number (sorts before any printable character). */
const SHARD_SEPARATOR = '\u001f';
const stageShard = (dealId: string) => String(shardOf(dealId, STAGE_STATS_SHARDS)).padStart(2, '0');

/** An owner's part of the deal list's sort key (the separator sorts before any printable character). */
export const dealOwnerPrefix = (owner: string | undefined) => `${owner ?? ''}${SHARD_SEPARATOR}`;

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
  /**
   * GSI2: the deal list by status, then owner (none first), then close date (none last): one owner's
   * deals are a prefix of their status's partition.
   */
  dealsByStatus: (deal: Deal) => ({
    GSI2PK: `DEALS#${deal.outcome ?? 'open'}`,
    GSI2SK: `${dealOwnerPrefix(deal.owner)}${deal.closeDate ?? '9999-12-31'}#${deal.id}`,
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
    dealsByStatus: (status: string) => `DEALS#${status}`,
    tasksByDue: (status: string) => `TASKS#${status}`,
    tasksOfOwner: (owner: string, status: string) => `OWNER#${owner}#TASKS#${status}`,
    stageStats: (pipelineId: string) => `STAGESTATS#${pipelineId}`,
  },
};

const decodeTask = (item: Item): CrmTask => decode(TaskSchema, item);
const decodeDeal = (item: Item): Deal => decode(DealSchema, item);
const decodePipeline = (item: Item): Pipeline => decode(PipelineSchema, item);

export const salesTranslators: Translators<Exclude<SalesWrite, ContactsWrite | Emit>> = {
  putTask: ({ task, expectedVersion }, TableName) => [
    ...guardedPut(
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
    // The contact's index of its tasks (contact-tasks.ts).
    ...contactTaskParts(TableName, task),
  ],
  putPipeline: ({ pipeline, expectedVersion }, TableName) => {
    const Item = {
      ...salesKeys.pipeline(pipeline.id),
      ...salesIndexes.allPipelines(pipeline.id),
      ...stamp('Pipeline'),
      ...pipeline,
    };
    if (expectedVersion === undefined)
      return guardedPut(TableName, Item, { attribute: 'PK', expected: undefined });
    // A pipeline saved before versions has none: it is version 1.
    const legacy = expectedVersion === 1 ? ' OR (attribute_exists(PK) AND attribute_not_exists(#v))' : '';
    return [
      {
        item: {
          Put: {
            TableName,
            Item,
            ConditionExpression: `#v = :v${legacy}`,
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': expectedVersion },
          },
        },
      },
    ];
  },
  putDeal: ({ deal, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...salesKeys.deal(deal.id),
        ...salesIndexes.dealsOnBoard(deal.pipelineId, deal.stage, deal.id),
        ...salesIndexes.dealsByStatus(deal),
        ...stamp('Deal'),
        ...deal,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
  deleteDeal: ({ dealId, expectedVersion }, TableName) => [
    versionedDelete(TableName, salesKeys.deal(dealId), expectedVersion),
  ],
  moveStageStats: ({ pipelineId, from, to, counters }, TableName) => [
    ...Array.from({ length: STAGE_STATS_SHARDS }, (_, i) => ({
      item: {
        Delete: { TableName, Key: salesKeys.stageStats(pipelineId, from, String(i).padStart(2, '0')) },
      },
    })),
    ...(to && counters
      ? [
          addDeltas(TableName, salesKeys.stageStats(pipelineId, to, '00'), 'StageStats', {
            left: counters.left,
            timeMs: counters.timeMs,
            won: counters.won,
            lost: counters.lost,
          }),
        ]
      : []),
  ],
  addStageStats: ({ pipelineId, stage, dealId, deltas }, TableName) => [
    addDeltas(TableName, salesKeys.stageStats(pipelineId, stage, stageShard(dealId)), 'StageStats', {
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

/** Raw items examined per deal list request at most (a sparse filter answers a short page and a cursor). */
const DEAL_LIST_MAX_EXAMINED = 1000;

/** A page of the deal list: one index partition read in pages, filtered as it is read. */
async function listDeals(table: Table, query: DealQuery): Promise<Page<Deal>> {
  const byBoard = query.pipelineId !== undefined;
  const q: IndexQuery = byBoard
    ? {
        index: 'GSI1',
        partition: salesIndexes.partitions.board(query.pipelineId ?? ''),
        ascending: true,
        ...(query.stage !== undefined ? { prefix: `${query.stage}#` } : {}),
      }
    : {
        index: 'GSI2',
        partition: salesIndexes.partitions.dealsByStatus(query.status ?? 'open'),
        ascending: true,
        ...(query.owner !== undefined ? { prefix: dealOwnerPrefix(query.owner) } : {}),
      };
  const stages = query.stages ? new Set(query.stages) : undefined;
  const keep = (d: Deal) =>
    (!byBoard || query.owner === undefined || d.owner === query.owner) && (!stages || stages.has(d.stage));
  const items: Deal[] = [];
  let cursor = query.cursor;
  let examined = 0;
  while (items.length < query.limit && examined < DEAL_LIST_MAX_EXAMINED) {
    const page = await table.query(q, { limit: 100, cursor });
    let stoppedAt: Item | undefined;
    for (const item of page.items) {
      examined++;
      const deal = decodeDeal(item);
      if (keep(deal)) items.push(deal);
      if (items.length === query.limit) {
        stoppedAt = item;
        break;
      }
    }
    // Full before the end of the page read: the next page starts after the last deal given.
    cursor =
      stoppedAt && stoppedAt !== page.items[page.items.length - 1]
        ? encodeCursor(pick(stoppedAt, byBoard ? BOARD_CURSOR_KEYS : STATUS_CURSOR_KEYS))
        : page.nextCursor;
    if (!cursor) break;
  }
  return { items, ...(cursor ? { nextCursor: cursor } : {}) };
}

const BOARD_CURSOR_KEYS = ['PK', 'SK', 'GSI1PK', 'GSI1SK'];
const STATUS_CURSOR_KEYS = ['PK', 'SK', 'GSI2PK', 'GSI2SK'];
const pick = (item: Item, keys: string[]) => Object.fromEntries(keys.map((k) => [k, item[k]]));

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
    listDeals: (query) => listDeals(table, query),
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
      // The sort key is `<dueAt>#<id>`: `< dueBefore` and `>= dueAfter` on it are exact for ISO-8601
      // UTC timestamps (BETWEEN's upper bound `dueBefore` is below every key due at that time).
      const range = query.dueAfter
        ? { from: query.dueAfter, ...(query.dueBefore ? { to: query.dueBefore } : {}) }
        : query.dueBefore
          ? { before: query.dueBefore }
          : {};
      return table.page({ ...partition, ascending: query.status !== 'done', ...range }, query, decodeTask);
    },
  };
}

export const salesStore = (table: Table): SalesStore =>
  storeOf<SalesWrite>({ ...contactsTranslators, ...salesTranslators })(table, {
    ...contactsReads(table),
    ...salesReads(table),
  });
