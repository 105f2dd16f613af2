/** The bulk context on the single table: its keys (docs/data-model.md), write translators and reads. */
import { automationStoreReads, automationStoreTranslators } from '#automation/store-dynamo-composed.js';
import type { InsightsWrite } from '#insights/store.js';
import { insightsReads, insightsTranslators } from '#insights/store-dynamo.js';
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { type Part, setExpression, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import { type BulkJob, BulkJobSchema } from './model.js';
import type { BulkReads, BulkStore, BulkWrite } from './store.js';

const partition = (id: string) => `BULK#${id}`;

export const bulkKeys = {
  job: (id: string): Key => ({ PK: partition(id), SK: 'BULK' }),
  chunk: (id: string, chunk: number): Key => ({
    PK: partition(id),
    SK: `CHUNK#${String(chunk).padStart(10, '0')}`,
  }),
  /** A stored list's member: one item per contact, in a partition of the list. */
  listMember: (listId: string, contactId: string): Key => ({
    PK: listPartition(listId),
    SK: `CONTACT#${contactId}`,
  }),
};

const listPartition = (listId: string) => `LIST#${listId}`;

type OwnWrite = Extract<
  BulkWrite,
  { kind: 'createBulkJob' | 'updateBulkJob' | 'countBulkChunk' | 'finishBulkJob' | 'addToList' }
>;

const update = (
  TableName: string,
  id: string,
  u: ReturnType<typeof setExpression>,
  condition: string,
  extra: Record<string, unknown>,
): Part => ({
  item: {
    Update: {
      TableName,
      Key: bulkKeys.job(id),
      UpdateExpression: u.expression,
      ConditionExpression: condition,
      ExpressionAttributeNames: { ...u.names, '#status': 'status' },
      ExpressionAttributeValues: { ...u.values, ...extra },
    },
  },
});

export const bulkTranslators: Translators<OwnWrite> = {
  createBulkJob: ({ job }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...bulkKeys.job(job.id), ...stamp('BulkJob'), ...job },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ],
  updateBulkJob: ({ id, from, set }, TableName) => {
    const statuses = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    return [
      update(TableName, id, setExpression(set), `#status IN (${Object.keys(statuses).join(', ')})`, statuses),
    ];
  },
  countBulkChunk: ({ jobId, chunk, counts, at }, TableName) => {
    // Each reason is a top-level number on the job (ADD creates it; a map inside `counts` would have
    // to exist first): `leftOut:<reason>`, folded back into `counts.leftOut` when read.
    const reasons = Object.entries(counts.leftOut ?? {});
    const leftOut = reasons.map((_, i) => `#lo${i} :lo${i}`).join(', ');
    return [
      {
        item: {
          Put: {
            TableName,
            Item: { ...bulkKeys.chunk(jobId, chunk), ...stamp('BulkChunk'), counts, at },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      {
        item: {
          Update: {
            TableName,
            Key: bulkKeys.job(jobId),
            UpdateExpression: `SET #u = :at ADD #c.#processed :processed, #c.#changed :changed, #c.#unchanged :unchanged, #c.#failed :failed, #done :one${leftOut ? `, ${leftOut}` : ''}`,
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: {
              '#u': 'updatedAt',
              '#c': 'counts',
              '#processed': 'processed',
              '#changed': 'changed',
              '#unchanged': 'unchanged',
              '#failed': 'failed',
              '#done': 'chunksDone',
              ...Object.fromEntries(reasons.map(([reason], i) => [`#lo${i}`, `${LEFT_OUT}${reason}`])),
            },
            ExpressionAttributeValues: {
              ':at': at,
              ':processed': counts.processed,
              ':changed': counts.changed,
              ':unchanged': counts.unchanged,
              ':failed': counts.failed,
              ':one': 1,
              ...Object.fromEntries(reasons.map(([, n], i) => [`:lo${i}`, n])),
            },
          },
        },
        part: 'job',
      },
    ];
  },
  finishBulkJob: ({ id, chunksTotal, at }, TableName) => [
    update(
      TableName,
      id,
      setExpression({ status: 'completed', finishedAt: at, updatedAt: at }),
      '#status = :processing AND chunksTotal = :total AND chunksDone = :total',
      { ':processing': 'processing', ':total': chunksTotal },
    ),
  ],
  addToList: ({ listId, contactId }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...bulkKeys.listMember(listId, contactId), ...stamp('ListMember'), contactId },
        },
      },
    },
  ],
};

const LEFT_OUT = 'leftOut:';

/** The job item with its `leftOut:<reason>` numbers gathered into `counts.leftOut`. */
function withLeftOut(item: Record<string, unknown>): Record<string, unknown> {
  const reasons = Object.entries(item).filter(([name]) => name.startsWith(LEFT_OUT));
  if (reasons.length === 0) return item;
  const rest = Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith(LEFT_OUT)));
  const counts = (item.counts ?? {}) as Record<string, unknown>;
  const leftOut = Object.fromEntries(reasons.map(([name, n]) => [name.slice(LEFT_OUT.length), n]));
  return { ...rest, counts: { ...counts, leftOut } };
}

export function bulkReads(table: Table): BulkReads {
  return {
    async getBulkJob(id) {
      const item = await table.get(bulkKeys.job(id));
      return item ? (decode(BulkJobSchema, withLeftOut(item)) as BulkJob) : undefined;
    },
    async bulkChunkCounted(jobId, chunk) {
      return (await table.get(bulkKeys.chunk(jobId, chunk))) !== undefined;
    },
    listMembers: (listId, options) =>
      table.page({ partition: listPartition(listId), prefix: 'CONTACT#', ascending: true }, options, (item) =>
        String(item.SK).slice('CONTACT#'.length),
      ),
  };
}

/**
 * The bulk store: bulk jobs and lists over the automation store (contacts, messaging, sales,
 * enrollments) and insights (segments) — what an action on many contacts reads and writes, and no
 * more (the job functions do not compile the other contexts' stores).
 */
export const bulkStoreTranslators = {
  ...automationStoreTranslators,
  ...insightsTranslators,
  ...bulkTranslators,
};
export const bulkStoreReads = (table: Table) => ({
  ...automationStoreReads(table),
  ...insightsReads(table),
  ...bulkReads(table),
});
export const bulkStore = (table: Table): BulkStore =>
  storeOf<BulkWrite | InsightsWrite>(bulkStoreTranslators)(table, bulkStoreReads(table));
