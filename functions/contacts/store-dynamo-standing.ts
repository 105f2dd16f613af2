/**
 * How the writes of a contact's email standing become transaction items: unsubscribed from all or
 * from subscription types, suppressed (the list kept per address) and resubscribed.
 */
import { epochSeconds, type Item, stamp, TABLE_KEYS } from '#platform/dynamo/table.js';
import type { Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { contactKeys } from './keys.js';
import type { ContactsWrite } from './store.js';

type Standing =
  | 'markEmailSuppressed'
  | 'resubscribe'
  | 'suppress'
  | 'liftSuppression'
  | 'setUnsubscribedFrom'
  | 'markUnsubscribed';

/** A suppression taken off the list (`liftSuppression`): read as no suppression. */
export const isLifted = (item: Item) => typeof item.liftedAt === 'string';

/** How long a lifted suppression is kept (as a record of it) before it expires. */
const LIFTED_KEPT_SECONDS = 90 * 86_400;

export const standingTranslators: Pick<Translators<Exclude<ContactsWrite, Emit>>, Standing> = {
  markEmailSuppressed: ({ contactId, suppression }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: contactKeys.contact(contactId),
          UpdateExpression: 'SET #s = :s, #version = #version + :one, #updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: {
            '#s': 'emailSuppression',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: { ':s': suppression, ':one': 1, ':at': suppression.at },
        },
      },
    },
  ],
  resubscribe: ({ contactId, at }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: contactKeys.contact(contactId),
          UpdateExpression: 'REMOVE #u, #s SET #version = #version + :one, #updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_exists(#u) OR attribute_exists(#s))',
          ExpressionAttributeNames: {
            '#u': 'unsubscribedAt',
            '#s': 'emailSuppression',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: { ':one': 1, ':at': at },
        },
      },
    },
  ],
  suppress: ({ email, reason, at }, TableName) => [
    {
      item: {
        Put: { TableName, Item: { ...contactKeys.suppression(email), ...stamp('Suppression'), reason, at } },
      },
    },
  ],
  liftSuppression: ({ email, at }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: contactKeys.suppression(email),
          UpdateExpression: 'SET #lifted = :at, #ttl = :ttl',
          ExpressionAttributeNames: { '#lifted': 'liftedAt', '#ttl': TABLE_KEYS.ttlAttribute },
          ExpressionAttributeValues: { ':at': at, ':ttl': epochSeconds(new Date(at)) + LIFTED_KEPT_SECONDS },
        },
      },
    },
  ],
  setUnsubscribedFrom: (write, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: contactKeys.contact(write.contactId),
          UpdateExpression:
            write.types.length > 0
              ? 'SET #from = :types, #version = #version + :one, #updatedAt = :at'
              : 'REMOVE #from SET #version = #version + :one, #updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND #version = :version',
          ExpressionAttributeNames: {
            '#from': 'unsubscribedFrom',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ...(write.types.length > 0 ? { ':types': write.types } : {}),
            ':at': write.at,
            ':one': 1,
            ':version': write.version,
          },
        },
      },
    },
  ],
  markUnsubscribed: (write, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: contactKeys.contact(write.contactId),
          UpdateExpression: 'SET #u = :at, #version = #version + :one, #updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#u)',
          ExpressionAttributeNames: {
            '#u': 'unsubscribedAt',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: { ':at': write.at, ':one': 1 },
        },
      },
    },
  ],
};
