/**
 * Keeping the index right: a record is (re)indexed from what is stored now — the contact, its link to
 * a company and that company's name; or the company — diffed against its search document, and the
 * change committed in one transaction: the document at its version (two indexings of one record
 * commit one after the other; the later reads what the earlier wrote), the record still there, the
 * index items added, rewritten or removed, and a contact's name order entry (the contacts list by
 * name) put when its sort name changed. A record gone removes everything. Running it twice changes
 * nothing the second time, so a redelivered event is harmless.
 */
import type { Company } from '#companies/model.js';
import type { Contact } from '#contacts/model.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { SearchDoc, SearchRef } from './model.js';
import { INDEX_VERSION, sortNameOf, termsOf } from './rules.js';
import type { SearchDeps, SearchWrite } from './store.js';

export type IndexOutcome = 'indexed' | 'unchanged' | 'removed';

/** What a contact is found by: its names, its company (joined, and its own text), its email, its phone. */
export function contactDoc(contact: Contact, company: Company | undefined, version: number): SearchDoc {
  const terms = termsOf({
    names: [contact.firstName, contact.lastName, company?.name, contact.company],
    emails: [contact.email],
    phones: [contact.phone],
  });
  const shown = company?.name ?? contact.company;
  return {
    kind: 'contact',
    id: contact.id,
    ...terms,
    ...(shown !== undefined ? { company: shown } : {}),
    ...(company ? { companyId: company.id } : {}),
    sortName: sortNameOf(contact),
    indexVersion: INDEX_VERSION,
    version,
  };
}

/** What a company is found by: its name and its domain. */
export function companyDoc(company: Company, version: number): SearchDoc {
  return {
    kind: 'company',
    id: company.id,
    ...termsOf({ names: [company.name], domains: [company.domain] }),
    indexVersion: INDEX_VERSION,
    version,
  };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const sameDoc = (a: SearchDoc, b: SearchDoc) =>
  sameList(a.tokens, b.tokens) &&
  sameList(a.extra, b.extra) &&
  a.company === b.company &&
  a.companyId === b.companyId &&
  a.sortName === b.sortName &&
  a.indexVersion === b.indexVersion;

/** The writes taking a record's index from `current` to `next` (undefined: not indexed). */
export function indexWrites(
  ref: SearchRef,
  current: SearchDoc | undefined,
  next: SearchDoc | undefined,
): SearchWrite[] {
  const writes: SearchWrite[] = [];
  const keep = new Set(next?.tokens ?? []);
  for (const token of current?.tokens ?? [])
    if (!keep.has(token)) writes.push({ kind: 'deleteSearchHit', ref, token });
  if (next) {
    // Every item carries the record's terms: a change rewrites them all.
    for (const token of next.tokens) writes.push({ kind: 'putSearchHit', doc: next, token });
    // A contact's name order entry: put when its sort name is new (or was never written).
    if (next.sortName !== undefined && next.sortName !== current?.sortName)
      writes.push({ kind: 'putNameOrder', contactId: ref.id, sortName: next.sortName });
    writes.push({ kind: 'putSearchDoc', doc: next, expectedVersion: current?.version ?? 0 });
    writes.push({ kind: 'checkSearchRecord', ref });
  } else if (current) {
    writes.push({ kind: 'deleteSearchDoc', ref, expectedVersion: current.version });
    if (current.sortName !== undefined) writes.push({ kind: 'deleteNameOrder', contactId: ref.id });
  }
  return writes;
}

function reindex(
  deps: SearchDeps,
  ref: SearchRef,
  build: (version: number) => Promise<SearchDoc | undefined>,
): Promise<IndexOutcome> {
  return withOptimisticRetry(
    async () => {
      // The document first: a change committed after this read fails this commit (its version moved).
      const current = await deps.store.getSearchDoc(ref);
      const next = await build((current?.version ?? 0) + 1);
      if (!next && !current) return 'unchanged';
      if (next && current && sameDoc(current, next)) return 'unchanged';
      await deps.store.commit(indexWrites(ref, current, next));
      return next ? 'indexed' : 'removed';
    },
    (c) => c.part === 'searchDoc' || c.part === 'record',
  );
}

/** Indexes a contact as it is now (removes it when it is gone). */
export function indexContact(deps: SearchDeps, contactId: string): Promise<IndexOutcome> {
  return reindex(deps, { kind: 'contact', id: contactId }, async (version) => {
    const contact = await deps.store.getContact(contactId);
    if (!contact) return undefined;
    const link = await deps.store.getCompanyLink(contactId);
    const company = link?.companyId ? await deps.store.getCompany(link.companyId) : undefined;
    return contactDoc(contact, company, version);
  });
}

/** Indexes a company as it is now (removes it when it is gone). */
export function indexCompany(deps: SearchDeps, companyId: string): Promise<IndexOutcome> {
  return reindex(deps, { kind: 'company', id: companyId }, async (version) => {
    const company = await deps.store.getCompany(companyId);
    return company ? companyDoc(company, version) : undefined;
  });
}

/** People of a renamed company reindexed per event at most (beyond: when each is next changed, or the backfill). */
export const MAX_REINDEXED = 5000;
const PAGE = 100;
const AT_ONCE = 8;

export async function eachAtOnce<T>(items: readonly T[], run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += AT_ONCE) await Promise.all(items.slice(i, i + AT_ONCE).map(run));
}

/** A company's people reindexed (its name is part of what they are found by and show). */
export async function indexCompanyPeople(deps: SearchDeps, companyId: string): Promise<number> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await deps.store.listCompanyPeople(companyId, { limit: PAGE, cursor });
    await eachAtOnce(page.items, (m) => indexContact(deps, m.contactId));
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && seen < MAX_REINDEXED);
  return seen;
}
