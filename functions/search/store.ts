/**
 * The search context's storage port: each record's search document and index items, one Query of the
 * index and one batch read of the records a page found, the backfill's progress; and what it reads of
 * the contexts it indexes (contacts, companies and a contact's link to its company).
 */

import type { Company } from '#companies/model.js';
import type { CompaniesReads } from '#companies/store.js';
import type { Contact } from '#contacts/model.js';
import type { ContactsReads } from '#contacts/store.js';
import type { Commit, Deps, ListOptions } from '#platform/store.js';
import type { BackfillState, SearchDoc, SearchHit, SearchRef } from './model.js';

export type SearchWrite =
  /** A record's search document, if still at `expectedVersion` (0: none yet; part `searchDoc`). */
  | { kind: 'putSearchDoc'; doc: SearchDoc; expectedVersion: number }
  /** A record's search document removed, if still at `expectedVersion` (part `searchDoc`). */
  | { kind: 'deleteSearchDoc'; ref: SearchRef; expectedVersion: number }
  /** Requires the record (contact or company profile) to exist (part `record`). */
  | { kind: 'checkSearchRecord'; ref: SearchRef }
  /** One index item: the record's token, carrying the document's terms. */
  | { kind: 'putSearchHit'; doc: SearchDoc; token: string }
  | { kind: 'deleteSearchHit'; ref: SearchRef; token: string }
  /** A contact's entry in the list by name (contacts/keys.ts `contactNameIndex`), put or moved. */
  | { kind: 'putNameOrder'; contactId: string; sortName: string }
  | { kind: 'deleteNameOrder'; contactId: string }
  /** The backfill's progress, if still at `expectedVersion` (part `backfill`). */
  | { kind: 'putSearchBackfill'; state: BackfillState; expectedVersion: number };

/** One hit of an index page, with the cursor that continues right after it. */
export interface HitAt {
  hit: SearchHit;
  cursor: string;
}

export interface SearchReads {
  getSearchDoc(ref: SearchRef): Promise<SearchDoc | undefined>;
  /** One Query of the index: the items whose token starts with `prefix`, in token order. */
  queryHits(prefix: string, options: ListOptions): Promise<{ hits: HitAt[]; nextCursor?: string }>;
  /** The records of a page, in one BatchGetItem (those gone meanwhile are absent). */
  getRecords(refs: SearchRef[]): Promise<{ contacts: Map<string, Contact>; companies: Map<string, Company> }>;
  getSearchBackfill(): Promise<BackfillState | undefined>;
}

export type SearchStore = SearchReads &
  Pick<ContactsReads, 'getContact' | 'listContacts'> &
  Pick<CompaniesReads, 'getCompany' | 'getCompanyLink' | 'listCompanies' | 'listCompanyPeople'> &
  Commit<SearchWrite>;
export type SearchDeps = Deps<SearchStore>;
