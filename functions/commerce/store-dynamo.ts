/**
 * Commerce's keys and its store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a purchase, on its contact (erased with it) | `CONTACT#<contactId>` | `PURCHASE#<purchasedAt>#<id>` |
 * | its reference: one per (source, external id) | `PURCHASE_REF#<source>#<externalId>` | `REF` |
 *
 * The reference holds the recorded purchase, so a repeated report answers what was recorded.
 */
import { contactPartition, contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { type Purchase, PurchaseSchema } from './model.js';
import type { CommerceReads, CommerceStore, CommerceWrite } from './store.js';

export const commerceKeys = {
  purchase: (p: Pick<Purchase, 'contactId' | 'purchasedAt' | 'id'>): Key => ({
    PK: contactPartition(p.contactId),
    SK: `PURCHASE#${p.purchasedAt}#${p.id}`,
  }),
  ref: (source: string, externalId: string): Key => ({
    PK: `PURCHASE_REF#${source}#${externalId}`,
    SK: 'REF',
  }),
};

export const commerceTranslators: Pick<Translators<Exclude<CommerceWrite, Emit>>, 'recordPurchase'> = {
  recordPurchase: ({ purchase }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...commerceKeys.ref(purchase.source, purchase.externalId),
            ...stamp('PurchaseRef'),
            ...purchase,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'ref',
    },
    {
      item: {
        Put: { TableName, Item: { ...commerceKeys.purchase(purchase), ...stamp('Purchase'), ...purchase } },
      },
    },
  ],
};

export function commerceReads(table: Table): CommerceReads {
  return {
    async getPurchaseByRef(source, externalId) {
      const item = await table.get(commerceKeys.ref(source, externalId));
      return item ? decode(PurchaseSchema, item) : undefined;
    },
    listPurchases: (contactId, options) =>
      table.page({ partition: contactPartition(contactId), prefix: 'PURCHASE#' }, options, (item) =>
        decode(PurchaseSchema, item),
      ),
  };
}

export const commerceStore = (table: Table): CommerceStore =>
  storeOf<CommerceWrite>({ ...contactsTranslators, ...commerceTranslators })(table, {
    ...contactsReads(table),
    ...commerceReads(table),
  });
