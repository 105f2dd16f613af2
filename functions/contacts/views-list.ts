/**
 * The contacts list as GET /v1/contacts serves it without search words: one contact by its whole
 * email, a tag's contacts, or every contact, the last two in the order asked for (their collection's
 * key order: newest or oldest first; every contact's also the name index's, A→Z or Z→A), one page
 * read from the index, never sorted in memory.
 */
import type { Page } from '#platform/store.js';
import type { Contact } from './model.js';
import { listContacts } from './rules.js';
import type { ContactListOptions, ContactsDeps } from './store.js';

export interface ContactListQuery extends ContactListOptions {
  tag?: string | undefined;
  email?: string | undefined;
}

export async function listContactsInOrder(
  deps: ContactsDeps,
  query: ContactListQuery,
): Promise<Page<Contact>> {
  const { tag, email, sort, limit, cursor } = query;
  if (email !== undefined) return listContacts(deps, { email, limit });
  const options = { limit, cursor, sort };
  return tag !== undefined ? deps.store.listContactsByTag(tag, options) : deps.store.listContacts(options);
}
