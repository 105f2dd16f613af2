/**
 * Webhooks on the single table:
 *
 * | item | PK | SK | GSI1PK / GSI1SK |
 * |---|---|---|---|
 * | a subscription (and its signing secret) | `WEBHOOK#<id>` | `WEBHOOK` | `WEBHOOKS` / `<id>` |
 * | a delivery: one per (subscription, event), kept 30 days | `WEBHOOK#<id>` | `DELIVERY#<eventId>` | – |
 * | how many subscriptions exist (at most MAX_WEBHOOKS) | `WEBHOOKS` | `COUNT` | – |
 *
 * Event ids are ULIDs, so a subscription's deliveries read newest first from its own partition.
 */
import { decode, epochSeconds, type Key, stamp, TABLE_KEYS, type Table } from '#platform/dynamo/table.js';
import {
  guardedPut,
  type Part,
  setExpression,
  storeOf,
  type Translators,
  versionedDelete,
} from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { DELIVERY_LOG_DAYS, MAX_WEBHOOKS, WebhookDeliverySchema, WebhookSchema } from './model.js';
import type { WebhooksReads, WebhooksStore, WebhooksWrite } from './store.js';

export const webhookKeys = {
  webhook: (id: string): Key => ({ PK: `WEBHOOK#${id}`, SK: 'WEBHOOK' }),
  delivery: (webhookId: string, deliveryId: string): Key => ({
    PK: `WEBHOOK#${webhookId}`,
    SK: `DELIVERY#${deliveryId}`,
  }),
  list: 'WEBHOOKS',
  /** How many subscriptions exist: held under MAX_WEBHOOKS in the transaction that adds one. */
  count: { PK: 'WEBHOOKS', SK: 'COUNT' } as Key,
};

const countBy = (TableName: string, delta: 1 | -1): Part => ({
  item: {
    Update: {
      TableName,
      Key: webhookKeys.count,
      UpdateExpression: 'ADD #count :delta',
      ...(delta > 0 ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' } : {}),
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':delta': delta, ...(delta > 0 ? { ':max': MAX_WEBHOOKS } : {}) },
    },
  },
  part: 'limit',
});

export const webhooksTranslators: Translators<Exclude<WebhooksWrite, Emit>> = {
  createWebhook: ({ webhook, secret }, TableName) => [
    ...guardedPut(
      TableName,
      {
        ...webhookKeys.webhook(webhook.id),
        GSI1PK: webhookKeys.list,
        GSI1SK: webhook.id,
        ...stamp('Webhook'),
        ...webhook,
        secret,
      },
      { attribute: 'version', expected: undefined },
    ),
    countBy(TableName, 1),
  ],
  deleteWebhook: ({ id, expectedVersion }, TableName) => [
    versionedDelete(TableName, webhookKeys.webhook(id), expectedVersion),
    countBy(TableName, -1),
  ],
  changeWebhook: ({ id, set, remove, expectedVersion }, TableName) => {
    const u = setExpression({ ...set, version: expectedVersion + 1 });
    const removed = remove.map((name, i) => [`#r${i}`, name] as const);
    return [
      {
        item: {
          Update: {
            TableName,
            Key: webhookKeys.webhook(id),
            UpdateExpression: `${u.expression}${removed.length ? ` REMOVE ${removed.map(([n]) => n).join(', ')}` : ''}`,
            ConditionExpression: 'version = :expected',
            ExpressionAttributeNames: { ...u.names, ...Object.fromEntries(removed) },
            ExpressionAttributeValues: { ...u.values, ':expected': expectedVersion },
          },
        },
      },
    ];
  },
  countWebhookAttempt: ({ id, ok, at }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: webhookKeys.webhook(id),
          ...(ok
            ? {
                UpdateExpression: 'SET consecutiveFailures = :zero REMOVE failingSince',
                ExpressionAttributeValues: { ':zero': 0 },
              }
            : {
                UpdateExpression:
                  'ADD consecutiveFailures :one SET failingSince = if_not_exists(failingSince, :at)',
                ExpressionAttributeValues: { ':one': 1, ':at': at },
              }),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
    },
  ],
  disableWebhook: ({ id, reason, at, minFailures, failingBefore }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: webhookKeys.webhook(id),
          UpdateExpression:
            'SET enabled = :off, disabledAt = :at, disabledReason = :reason, updatedAt = :at ADD version :one',
          ConditionExpression: 'enabled = :on AND consecutiveFailures >= :min AND failingSince <= :before',
          ExpressionAttributeValues: {
            ':off': false,
            ':on': true,
            ':at': at,
            ':reason': reason,
            ':one': 1,
            ':min': minFailures,
            ':before': failingBefore,
          },
        },
      },
    },
  ],
  putDelivery: ({ delivery, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...webhookKeys.delivery(delivery.webhookId, delivery.id),
        ...stamp('WebhookDelivery'),
        ...delivery,
        [TABLE_KEYS.ttlAttribute]: epochSeconds(new Date(delivery.createdAt)) + DELIVERY_LOG_DAYS * 86_400,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
};

const withoutSecret = ({ secret, ...rest }: Record<string, unknown>) => rest;

export function webhooksReads(table: Table): WebhooksReads {
  return {
    async getWebhook(id) {
      const item = await table.get(webhookKeys.webhook(id));
      if (!item) return undefined;
      return { webhook: decode(WebhookSchema, item, withoutSecret), secret: String(item.secret) };
    },
    async listWebhooks() {
      const items = await table.all({ index: 'GSI1', partition: webhookKeys.list, ascending: true });
      return items.map((item) => decode(WebhookSchema, item, withoutSecret));
    },
    async getDelivery(webhookId, deliveryId) {
      const item = await table.get(webhookKeys.delivery(webhookId, deliveryId));
      return item ? decode(WebhookDeliverySchema, item) : undefined;
    },
    listDeliveries: (webhookId, options) =>
      table.page({ partition: `WEBHOOK#${webhookId}`, prefix: 'DELIVERY#' }, options, (item) =>
        decode(WebhookDeliverySchema, item),
      ),
  };
}

export const webhooksStore = (table: Table): WebhooksStore =>
  storeOf<WebhooksWrite>(webhooksTranslators)(table, webhooksReads(table));
