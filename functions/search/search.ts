/**
 * Searching: a page is one Query of the index by the query's longest word (its items in token order)
 * and one BatchGetItem of the records found — two reads, whatever the page holds. The query's other
 * words filter the items by the terms each carries (`ada love`: Ada Lovelace, not Ada Byron); a record
 * is taken at one token only (`canonicalToken`), so it is one result, on one page. The cursor
 * continues right after the last item taken.
 */
import type { Contact } from '#contacts/model.js';
import { validationError } from '#platform/errors.js';
import type { Page } from '#platform/store.js';
import type { SearchHit, SearchKind, SearchResult } from './model.js';
import {
  canonicalToken,
  contactName,
  matchesFilters,
  type ParsedQuery,
  parseQuery,
  QUERY_RULE,
} from './rules.js';
import type { SearchDeps } from './store.js';

/** Index items read per result asked for (a record may have several items a query's word starts). */
const ITEMS_PER_RESULT = 4;
const MAX_ITEMS = 200;

function parsed(q: string): ParsedQuery {
  const query = parseQuery(q);
  if (!query)
    throw validationError('the query is not valid', [
      { path: 'query.q', message: QUERY_RULE, code: 'query_too_short' },
    ]);
  return query;
}

/** The hits of one page of the index: at most `limit` records, with the cursor after the last one. */
async function hitsPage(
  deps: SearchDeps,
  q: string,
  options: { limit: number; cursor?: string | undefined; kind?: SearchKind | undefined },
): Promise<{ hits: SearchHit[]; nextCursor?: string }> {
  const { primary, filters } = parsed(q);
  const page = await deps.store.queryHits(primary, {
    limit: Math.min(options.limit * ITEMS_PER_RESULT, MAX_ITEMS),
    cursor: options.cursor,
  });
  const hits: SearchHit[] = [];
  let nextCursor = page.nextCursor;
  for (const [i, { hit, cursor }] of page.hits.entries()) {
    if (options.kind && hit.kind !== options.kind) continue;
    if (canonicalToken(hit.tokens, primary) !== hit.token || !matchesFilters(hit, filters)) continue;
    hits.push(hit);
    if (hits.length === options.limit) {
      if (i < page.hits.length - 1) nextCursor = cursor;
      break;
    }
  }
  return { hits, ...(nextCursor ? { nextCursor } : {}) };
}

/** `GET /v1/search`: contacts and companies, what to show of each. */
export async function search(
  deps: SearchDeps,
  query: { q: string; limit: number; cursor?: string | undefined; kind?: SearchKind | undefined },
): Promise<Page<SearchResult>> {
  const { hits, nextCursor } = await hitsPage(deps, query.q, query);
  const records = await deps.store.getRecords(hits);
  const items: SearchResult[] = [];
  for (const hit of hits) {
    if (hit.kind === 'contact') {
      const c = records.contacts.get(hit.id);
      if (c)
        items.push({
          kind: 'contact',
          id: c.id,
          name: contactName(c),
          email: c.email,
          ...(hit.company !== undefined ? { company: hit.company } : {}),
          ...(hit.companyId !== undefined ? { companyId: hit.companyId } : {}),
        });
    } else {
      const c = records.companies.get(hit.id);
      if (c)
        items.push({
          kind: 'company',
          id: c.id,
          name: c.name,
          ...(c.domain !== undefined ? { domain: c.domain } : {}),
        });
    }
  }
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}

/** `GET /v1/contacts?q=`: the contacts a query finds, whole. */
export async function searchContacts(
  deps: SearchDeps,
  query: { q: string; limit: number; cursor?: string | undefined },
): Promise<Page<Contact>> {
  const { hits, nextCursor } = await hitsPage(deps, query.q, { ...query, kind: 'contact' });
  const records = await deps.store.getRecords(hits);
  const items = hits.flatMap((h) => {
    const c = records.contacts.get(h.id);
    return c ? [c] : [];
  });
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}
