/**
 * Access's keys on the single table:
 *
 * | item | PK | SK | GSI1PK / GSI1SK |
 * |---|---|---|---|
 * | an API key (and its secret's SHA-256) | `APIKEY#<id>` | `KEY` | `APIKEYS` / `<id>` |
 * | a key's rate window (expires with it) | `APIKEY#<id>` | `RATE#<windowStart>` | – |
 * | a notice to a user (its claim, then its outcome) | `NOTICE#<key>` | `NOTICE` | – |
 */
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { ApiKeySchema } from './model.js';
import type { AccessReads, AccessStore, AccessWrite } from './store.js';

export const accessKeys = {
  apiKey: (id: string): Key => ({ PK: `APIKEY#${id}`, SK: 'KEY' }),
  rate: (id: string, windowStart: number): Key => ({ PK: `APIKEY#${id}`, SK: `RATE#${windowStart}` }),
  list: 'APIKEYS',
  notice: (key: string): Key => ({ PK: `NOTICE#${key}`, SK: 'NOTICE' }),
};

const update = (TableName: string, id: string, set: string, at: string, condition: string) => ({
  item: {
    Update: {
      TableName,
      Key: accessKeys.apiKey(id),
      UpdateExpression: `SET ${set} = :at`,
      ConditionExpression: condition,
      ExpressionAttributeValues: { ':at': at },
    },
  },
});

export const accessTranslators: Translators<Exclude<AccessWrite, Emit>> = {
  putApiKey: ({ apiKey, secretHash }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...accessKeys.apiKey(apiKey.id),
            GSI1PK: accessKeys.list,
            GSI1SK: apiKey.id,
            ...stamp('ApiKey'),
            ...apiKey,
            secretHash,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ],
  revokeApiKey: ({ id, at }, TableName) => [
    update(TableName, id, 'revokedAt', at, 'attribute_exists(PK) AND attribute_not_exists(revokedAt)'),
  ],
  touchApiKey: ({ id, at }, TableName) => [update(TableName, id, 'lastUsedAt', at, 'attribute_exists(PK)')],
  claimNotice: ({ key, until, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...accessKeys.notice(key), ...stamp('Notice'), status: 'sending', until },
          // Free, or claimed by an attempt whose lease ended without an outcome (it died).
          ConditionExpression: 'attribute_not_exists(PK) OR (#status = :sending AND #until < :now)',
          ExpressionAttributeNames: { '#status': 'status', '#until': 'until' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': at },
        },
      },
      part: 'notice',
    },
  ],
  completeNotice: ({ key, outcome, at }, TableName) => [
    {
      item: {
        Put: { TableName, Item: { ...accessKeys.notice(key), ...stamp('Notice'), status: outcome, at } },
      },
    },
  ],
};

export function accessReads(table: Table): AccessReads {
  return {
    async getApiKey(id) {
      const item = await table.get(accessKeys.apiKey(id));
      if (!item) return undefined;
      return {
        apiKey: decode(ApiKeySchema, item, ({ secretHash, ...rest }) => rest),
        secretHash: String(item.secretHash),
      };
    },
    listApiKeys: (options) =>
      table.page({ index: 'GSI1', partition: accessKeys.list }, options, (item) =>
        decode(ApiKeySchema, item, ({ secretHash, ...rest }) => rest),
      ),
    takeKeySlot: (id, limit, windowStart, windowEnd) =>
      table.takeSlot(accessKeys.rate(id, windowStart), limit, windowEnd),
    async getNotice(key) {
      const item = await table.get(accessKeys.notice(key));
      if (!item) return undefined;
      return item.status === 'sending'
        ? { status: 'sending', until: String(item.until) }
        : { status: item.status === 'rejected' ? 'rejected' : 'sent', at: String(item.at) };
    },
  };
}

export const accessStore = (table: Table): AccessStore =>
  storeOf<AccessWrite>(accessTranslators)(table, accessReads(table));
