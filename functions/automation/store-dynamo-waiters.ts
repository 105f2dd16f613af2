/**
 * The waiters of waitForEvent steps on the single table: one item per enrollment and step in the
 * contact's partition (`WAITER#<enrollment>#<step>`), so the event's consumer finds a contact's
 * waiters with one Query and erasing the contact erases them. Each expires a day after its timeout.
 */
import { contactPartition } from '#contacts/store-dynamo.js';
import { decode, epochSeconds, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import type { Translators } from '#platform/dynamo/unit-of-work.js';
import { WaiterSchema } from './model.js';
import type { AutomationReads, WaiterWrite } from './store.js';

const PREFIX = 'WAITER#';
export const waiterKey = (contactId: string, enrollmentId: string, stepId: string): Key => ({
  PK: contactPartition(contactId),
  SK: `${PREFIX}${enrollmentId}#${stepId}`,
});

export const waiterTranslators: Translators<WaiterWrite> = {
  // A retried Task registers again with its new token: the item is replaced.
  putWaiter: ({ waiter }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...waiterKey(waiter.contactId, waiter.enrollmentId, waiter.stepId),
            ...stamp('Waiter'),
            ...waiter,
            ttl: epochSeconds(new Date(Date.parse(waiter.until) + 86_400_000)),
          },
        },
      },
    },
  ],
  // Only the registration that was answered: a newer one (another token) stays.
  deleteWaiter: ({ waiter }, TableName) => [
    {
      item: {
        Delete: {
          TableName,
          Key: waiterKey(waiter.contactId, waiter.enrollmentId, waiter.stepId),
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': waiter.token },
        },
      },
    },
  ],
};

export const waiterReads = (table: Table): Pick<AutomationReads, 'listWaiters'> => ({
  async listWaiters(contactId) {
    const items = await table.all({ partition: contactPartition(contactId), prefix: PREFIX }, 100);
    return items.map((item) => decode(WaiterSchema, item));
  },
});
