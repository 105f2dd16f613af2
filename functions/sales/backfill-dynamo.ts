/**
 * Sales' backfill on the single table: its progress item, and pages of what it sweeps read with
 * Queries of existing collections (never a Scan): the tasks of a status on GSI1 `TASKS#<status>`,
 * the pipelines on GSI1 `PIPELINES`, a pipeline's deals on GSI1 `BOARD#<pipelineId>`.
 *
 * | item | PK | SK |
 * |---|---|---|
 * | the backfill's progress | `SALES_BACKFILL` | `STATE` |
 */
import { contactKeys } from '#contacts/keys.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import {
  guardedPut,
  type Part,
  setExpression,
  storeOf,
  type Translators,
  versionGuard,
} from '#platform/dynamo/unit-of-work.js';
import type { SalesBackfillReads, SalesBackfillStore, SalesBackfillWrite } from './backfill-store.js';
import { contactTaskItem, contactTaskKey } from './contact-tasks.js';
import { DealSchema, SalesBackfillStateSchema, TaskSchema } from './model.js';
import { salesIndexes, salesKeys } from './store-dynamo.js';

export const salesBackfillKey: Key = { PK: 'SALES_BACKFILL', SK: 'STATE' };

export const salesBackfillTranslators: Translators<SalesBackfillWrite> = {
  putSalesBackfill: ({ state, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...salesBackfillKey, ...stamp('SalesBackfill'), ...state },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'backfill' })),
  indexContactTask: ({ task }, TableName): Part[] =>
    task.contactId
      ? [
          {
            // An erased contact's partition is not started again.
            item: {
              ConditionCheck: {
                TableName,
                Key: contactKeys.contact(task.contactId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            part: 'contact',
          },
          {
            item: {
              Put: {
                TableName,
                Item: contactTaskItem(task.contactId, task.id),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            part: 'index',
          },
        ]
      : [],
  indexDealList: ({ deal }, TableName): Part[] => {
    const set = setExpression(salesIndexes.dealsByStatus(deal));
    return [
      {
        item: {
          Update: {
            TableName,
            Key: salesKeys.deal(deal.id),
            UpdateExpression: set.expression,
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { ...set.names, '#version': 'version' },
            ExpressionAttributeValues: { ...set.values, ':version': deal.version },
          },
        },
        part: 'version',
      },
    ];
  },
};

const keyOf = (k: Key) => `${k.PK}|${k.SK}`;

export function salesBackfillReads(table: Table): SalesBackfillReads {
  return {
    async getSalesBackfill() {
      const item = await table.get(salesBackfillKey);
      return item ? decode(SalesBackfillStateSchema, item) : undefined;
    },
    async taskBackfillPage(status, options) {
      const page = await table.query(
        { index: 'GSI1', partition: salesIndexes.partitions.tasksByDue(status), ascending: true },
        options,
      );
      const tasks = page.items.map((item) => decode(TaskSchema, item));
      const wanted = tasks.flatMap((t) => (t.contactId ? [contactTaskKey(t.contactId, t.id)] : []));
      const present = new Set(
        (await table.batchGet(wanted)).map((item) => keyOf({ PK: String(item.PK), SK: String(item.SK) })),
      );
      return {
        items: tasks.map((task) => ({
          task,
          missing: !!task.contactId && !present.has(keyOf(contactTaskKey(task.contactId, task.id))),
        })),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
    async pipelineAfter(after) {
      const page = await table.query(
        {
          index: 'GSI1',
          partition: salesIndexes.partitions.allPipelines,
          ascending: true,
          ...(after !== undefined ? { from: after } : {}),
        },
        { limit: 2 },
      );
      return page.items.map((item) => String(item.GSI1SK)).find((id) => after === undefined || id > after);
    },
    async dealBackfillPage(pipelineId, options) {
      const page = await table.query(
        { index: 'GSI1', partition: salesIndexes.partitions.board(pipelineId), ascending: true },
        options,
      );
      return {
        items: page.items.map((item: Item) => {
          const deal = decode(DealSchema, item);
          const keys = salesIndexes.dealsByStatus(deal);
          return { deal, missing: item.GSI2PK !== keys.GSI2PK || item.GSI2SK !== keys.GSI2SK };
        }),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  };
}

export const salesBackfillStore = (table: Table): SalesBackfillStore =>
  storeOf<SalesBackfillWrite>(salesBackfillTranslators)(table, salesBackfillReads(table));
