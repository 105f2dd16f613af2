/**
 * The search index: one schema per record. A record (contact or company) has a *search document*
 * (its tokens as last indexed, versioned) and one *hit* item per token on the index; a search answers
 * *results* (the kind, the name, email and company to show, and where to go).
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

export const SEARCH_KINDS = ['contact', 'company'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** A record of the index: a contact or a company, by id. */
export interface SearchRef {
  kind: SearchKind;
  id: string;
}

/** What one record is indexed by, as last written (the consumer diffs against it). */
export const SearchDocSchema = z.lazy(() =>
  z.object({
    kind: z.enum(SEARCH_KINDS),
    id: z.string(),
    /** One index item each. */
    tokens: z.array(z.string()),
    /** Terms too short (or too common: an email's last domain label) for an item; they filter. */
    extra: z.array(z.string()),
    /** A contact's company as shown in results: its company's name, else its own `company` text. */
    company: z.optional(z.string()),
    companyId: z.optional(z.string()),
    /** A contact's place in the list by name (rules.ts `sortNameOf`): its name order entry's key. */
    sortName: z.optional(z.string()),
    /** The tokenization it was made with (rules.ts INDEX_VERSION). */
    indexVersion: z.int(),
    version: z.int(),
  }),
);
export type SearchDoc = z.infer<typeof SearchDocSchema>;

/** One index item: a token of a record, carrying the record's terms (a query's other words filter on them). */
export const SearchHitSchema = z.lazy(() =>
  z.object({
    kind: z.enum(SEARCH_KINDS),
    id: z.string(),
    token: z.string(),
    tokens: z.array(z.string()),
    extra: z.array(z.string()),
    company: z.optional(z.string()),
    companyId: z.optional(z.string()),
  }),
);
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultSchema = z.lazy(() =>
  z
    .object({
      kind: z.enum(SEARCH_KINDS),
      id: z.string(),
      /** A contact's names (its email when it has none), a company's name. */
      name: z.string(),
      /** A contact's email. */
      email: z.optional(z.string()),
      /** A contact's company: its company's name, else its own `company` text. */
      company: z.optional(z.string()),
      /** A contact's company, when it belongs to one (a link to its page). */
      companyId: z.optional(z.string()),
      /** A company's domain. */
      domain: z.optional(z.string()),
    })
    .check(z.meta({ id: 'SearchResult' })),
);
export type SearchResult = z.infer<typeof SearchResultSchema>;

/** Where the backfill of existing records is (one item; see docs/search.md). */
export const BackfillStateSchema = z.lazy(() =>
  z.object({
    indexVersion: z.int(),
    phase: z.enum(['contacts', 'companies', 'done']),
    cursor: z.optional(z.string()),
    indexed: z.int(),
    startedAt: z.string(),
    finishedAt: z.optional(z.string()),
    version: z.int(),
  }),
);
export type BackfillState = z.infer<typeof BackfillStateSchema>;
