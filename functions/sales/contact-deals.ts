/**
 * A contact's deals: an index item per (contact, deal) in the contact's partition, kept by the
 * companies consumer from DealCreated and DealUpdated (deals carry their contact; sales' own writes
 * are unchanged), read as one Query per contact and one BatchGet of the deals. An item whose deal is
 * gone or now has another contact is skipped on read (a deal given another contact leaves its old
 * item behind; the contact's erasure removes its items with its partition).
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a deal of the contact | `CONTACT#<contactId>` | `DEAL#<dealId>` |
 */
import { contactPartition } from '#contacts/keys.js';
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import type { Translators } from '#platform/dynamo/unit-of-work.js';
import { type Deal, DealSchema } from './model.js';
import { salesKeys } from './store-dynamo.js';

export type ContactDealWrite = { kind: 'putContactDeal'; contactId: string; dealId: string };

export interface ContactDealReads {
  /** The deals of these contacts (at most `perContact` each), newest first, by contact. */
  listDealsOfContacts(contactIds: string[], perContact: number): Promise<Deal[]>;
}

const PREFIX = 'DEAL#';
export const contactDealKey = (contactId: string, dealId: string): Key => ({
  PK: contactPartition(contactId),
  SK: `${PREFIX}${dealId}`,
});

export const contactDealTranslators: Translators<ContactDealWrite> = {
  putContactDeal: ({ contactId, dealId }, TableName) => [
    {
      item: {
        Put: { TableName, Item: { ...contactDealKey(contactId, dealId), ...stamp('ContactDeal'), dealId } },
      },
    },
  ],
};

export function contactDealReads(table: Table): ContactDealReads {
  return {
    async listDealsOfContacts(contactIds, perContact) {
      const pages = await Promise.all(
        [...new Set(contactIds)].map((id) =>
          table.query({ partition: contactPartition(id), prefix: PREFIX }, { limit: perContact }),
        ),
      );
      const dealIds = [...new Set(pages.flatMap((p) => p.items.map((item) => String(item.dealId))))];
      if (dealIds.length === 0) return [];
      const deals = (await table.batchGet(dealIds.map((id) => salesKeys.deal(id)))).map((item) =>
        decode(DealSchema, item),
      );
      const wanted = new Set(contactIds);
      return deals
        .filter((d) => d.contactId !== undefined && wanted.has(d.contactId))
        .sort((a, b) => (a.id < b.id ? 1 : -1));
    },
  };
}
