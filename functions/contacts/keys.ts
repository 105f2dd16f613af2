/** The contacts context's keys on the single table (docs/data-model.md): items and GSI1 collections. */
import type { Key } from '#platform/dynamo/table.js';

export const ENTITY = {
  contact: 'Contact',
  email: 'EmailGuard',
  contactTag: 'ContactTag',
  activity: 'Activity',
  view: 'ContactView',
  viewName: 'ContactViewName',
  viewCount: 'ContactViewCount',
  nameOrder: 'ContactNameOrder',
} as const;

/** The contact's partition: its profile, tags and timeline; other contexts key per-contact items here too. */
export const contactPartition = (id: string) => `CONTACT#${id}`;

export const contactKeys = {
  contact: (id: string): Key => ({ PK: contactPartition(id), SK: 'PROFILE' }),
  /** Uniqueness guard: one item per normalized email, pointing at the contact. */
  email: (email: string): Key => ({ PK: `EMAIL#${email}`, SK: 'EMAIL' }),
  suppression: (email: string): Key => ({ PK: `SUPPRESSION#${email}`, SK: 'SUPPRESSION' }),
  /** Custom field definitions: one partition, one item per field. */
  fieldDefinitions: 'FIELDDEFS',
  fieldDefinition: (name: string): Key => ({ PK: 'FIELDDEFS', SK: name }),
  contactTag: (contactId: string, tag: string): Key => ({
    PK: contactPartition(contactId),
    SK: `TAG#${tag}`,
  }),
  activity: (contactId: string, occurredAt: string, id: string): Key => ({
    PK: contactPartition(contactId),
    SK: `ACT#${occurredAt}#${id}`,
  }),
  activityPrefix: 'ACT#',
  /** When the contact last wrote to the workspace by email (customer service: an `emailReplied` goal). */
  replied: (contactId: string): Key => ({ PK: contactPartition(contactId), SK: 'REPLIED' }),
  /** Saved views of the contacts list: one partition for the workspace, one item per view. */
  views: 'CONTACTVIEWS',
  viewPrefix: 'VIEW#',
  view: (id: string): Key => ({ PK: 'CONTACTVIEWS', SK: `VIEW#${id}` }),
  /** Uniqueness guard: one item per view name, in lower case. */
  viewName: (name: string): Key => ({ PK: 'CONTACTVIEWS', SK: `NAME#${name.toLowerCase()}` }),
  /** How many views exist: held under MAX_CONTACT_VIEWS in the transaction that adds one. */
  viewCount: (): Key => ({ PK: 'CONTACTVIEWS', SK: 'COUNT' }),
};

/**
 * GSI1 collections of contacts, by id (ids are ULIDs: id order is creation order), so read newest
 * first or oldest first in key order (ScanIndexForward), never sorted in memory.
 */
export const contactIndexes = {
  allContacts: (contactId: string) => ({ GSI1PK: 'CONTACTS', GSI1SK: contactId }),
  contactsWithTag: (tag: string, contactId: string) => ({ GSI1PK: `TAG#${tag}`, GSI1SK: contactId }),
  partitions: {
    allContacts: 'CONTACTS',
    contactsWithTag: (tag: string) => `TAG#${tag}`,
  },
};

/**
 * The contacts by name: one item per contact in its partition (erased with it), on GSI2 in one
 * partition sorted by the contact's sort name (functions/search/rules.ts `sortNameOf`), then its id.
 * The search consumer keeps it (functions/search/indexing.ts); the list reads it in key order, A→Z or
 * Z→A (docs/contact-lists.md). ` #` ends the name: a space sorts before any letter or digit, so `ada`
 * comes before `ada lovelace`, which comes before `adam`.
 */
export const contactNameIndex = {
  key: (contactId: string): Key => ({ PK: contactPartition(contactId), SK: 'NAME_ORDER' }),
  entry: (sortName: string, contactId: string) => ({
    GSI2PK: 'CONTACTS#NAME',
    GSI2SK: `${sortName} #${contactId}`,
  }),
  partition: 'CONTACTS#NAME',
};
