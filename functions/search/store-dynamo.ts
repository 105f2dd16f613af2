/**
 * The search index on the single table (docs/search.md, docs/data-model.md):
 *
 * | item | PK | SK | GSI2PK / GSI2SK |
 * |---|---|---|---|
 * | a record's search document | `CONTACT#<id>` or `COMPANY#<id>` | `SEARCH` | |
 * | one index item per token | `CONTACT#<id>` or `COMPANY#<id>` | `SEARCH#<token>` | `SEARCH#<first 2 characters>` / `<token>#<id>` |
 * | a contact's entry in the list by name | `CONTACT#<id>` | `NAME_ORDER` | `CONTACTS#NAME` / `<sort name> #<id>` |
 * | the backfill's progress | `SEARCH_BACKFILL` | `STATE` | |
 *
 * The items live in the record's own partition, so erasing a contact (its whole partition) erases
 * them too. A search is one Query of GSI2 (`begins_with(GSI2SK, <word>)`) and one BatchGetItem of
 * the records found: never a Scan.
 */

import type { Company } from '#companies/model.js';
import { CompanySchema } from '#companies/model.js';
import { companiesReads, companyKeys } from '#companies/store-dynamo.js';
import { contactKeys, contactNameIndex, contactPartition, ENTITY } from '#contacts/keys.js';
import type { Contact } from '#contacts/model.js';
import { contactsReads, decodeContact } from '#contacts/store-dynamo.js';
import { encodeCursor } from '#platform/dynamo/cursor.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import {
  guardedPut,
  type Part,
  storeOf,
  type Translators,
  versionedDelete,
  versionGuard,
} from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import {
  BackfillStateSchema,
  type SearchDoc,
  SearchDocSchema,
  SearchHitSchema,
  type SearchRef,
} from './model.js';
import { prefixOf } from './rules.js';
import type { SearchReads, SearchStore, SearchWrite } from './store.js';

const DOC = 'SEARCH';
const HIT = 'SEARCH#';

const partitionOf = (ref: SearchRef) =>
  ref.kind === 'contact' ? contactPartition(ref.id) : companyKeys.company(ref.id).PK;
const profileOf = (ref: SearchRef): Key =>
  ref.kind === 'contact' ? contactKeys.contact(ref.id) : companyKeys.company(ref.id);

export const searchKeys = {
  doc: (ref: SearchRef): Key => ({ PK: partitionOf(ref), SK: DOC }),
  hit: (ref: SearchRef, token: string): Key => ({ PK: partitionOf(ref), SK: `${HIT}${token}` }),
  backfill: { PK: 'SEARCH_BACKFILL', SK: 'STATE' } as Key,
};

export const searchIndexes = {
  /** The index partition of a token's first characters; sorted by token, then record. */
  hit: (ref: SearchRef, token: string) => ({
    GSI2PK: `${HIT}${prefixOf(token)}`,
    GSI2SK: `${token}#${ref.id}`,
  }),
  partition: (word: string) => `${HIT}${prefixOf(word)}`,
};

const hitItem = (doc: SearchDoc, token: string): Item => ({
  ...searchKeys.hit(doc, token),
  ...searchIndexes.hit(doc, token),
  ...stamp('SearchHit'),
  kind: doc.kind,
  id: doc.id,
  token,
  tokens: doc.tokens,
  extra: doc.extra,
  ...(doc.company !== undefined ? { company: doc.company } : {}),
  ...(doc.companyId !== undefined ? { companyId: doc.companyId } : {}),
});

export const searchTranslators: Translators<Exclude<SearchWrite, Emit>> = {
  putSearchDoc: ({ doc, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...searchKeys.doc(doc), ...stamp('SearchDoc'), ...doc },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'searchDoc' })),
  deleteSearchDoc: ({ ref, expectedVersion }, TableName) => [
    versionedDelete(TableName, searchKeys.doc(ref), expectedVersion, 'searchDoc'),
  ],
  checkSearchRecord: ({ ref }, TableName) => [
    {
      item: {
        ConditionCheck: { TableName, Key: profileOf(ref), ConditionExpression: 'attribute_exists(PK)' },
      },
      part: 'record',
    },
  ],
  putSearchHit: ({ doc, token }, TableName): Part[] => [
    { item: { Put: { TableName, Item: hitItem(doc, token) } } },
  ],
  deleteSearchHit: ({ ref, token }, TableName) => [
    { item: { Delete: { TableName, Key: searchKeys.hit(ref, token) } } },
  ],
  // One item per contact: a new name puts it again (the index moves it to its new place).
  putNameOrder: ({ contactId, sortName }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...contactNameIndex.key(contactId),
            ...contactNameIndex.entry(sortName, contactId),
            ...stamp(ENTITY.nameOrder),
            contactId,
            sortName,
          },
        },
      },
    },
  ],
  deleteNameOrder: ({ contactId }, TableName) => [
    { item: { Delete: { TableName, Key: contactNameIndex.key(contactId) } } },
  ],
  putSearchBackfill: ({ state, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...searchKeys.backfill, ...stamp('SearchBackfill'), ...state },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'backfill' })),
};

export function searchReads(table: Table): SearchReads {
  return {
    async getSearchDoc(ref) {
      const item = await table.get(searchKeys.doc(ref));
      return item ? decode(SearchDocSchema, item) : undefined;
    },
    async queryHits(prefix, options) {
      const page = await table.query(
        { index: 'GSI2', partition: searchIndexes.partition(prefix), prefix, ascending: true },
        options,
      );
      const hits = page.items.map((item) => ({
        hit: decode(SearchHitSchema, item),
        cursor: encodeCursor({ PK: item.PK, SK: item.SK, GSI2PK: item.GSI2PK, GSI2SK: item.GSI2SK }) ?? '',
      }));
      return { hits, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
    async getRecords(refs) {
      const contacts = new Map<string, Contact>();
      const companies = new Map<string, Company>();
      if (refs.length === 0) return { contacts, companies };
      for (const item of await table.batchGet(refs.map(profileOf))) {
        if (String(item.PK).startsWith('CONTACT#')) {
          const c = decodeContact(item);
          contacts.set(c.id, c);
        } else {
          const c = decode(CompanySchema, item);
          companies.set(c.id, c);
        }
      }
      return { contacts, companies };
    },
    async getSearchBackfill() {
      const item = await table.get(searchKeys.backfill);
      return item ? decode(BackfillStateSchema, item) : undefined;
    },
  };
}

export const searchStore = (table: Table): SearchStore => {
  const contacts = contactsReads(table);
  const companies = companiesReads(table);
  return storeOf<SearchWrite>(searchTranslators)(table, {
    ...searchReads(table),
    getContact: contacts.getContact,
    listContacts: contacts.listContacts,
    getCompany: companies.getCompany,
    getCompanyLink: companies.getCompanyLink,
    listCompanies: companies.listCompanies,
    listCompanyPeople: companies.listCompanyPeople,
  });
};
