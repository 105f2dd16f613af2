/**
 * The knowledge base: articles written in Markdown by admins, published to the public help centre
 * (`/help`) as sanitized HTML rendered at publish time, and the full-text search index over the
 * published ones. One zod schema per record; the types derive from them.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

export const ARTICLE_STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** An article's address in the help centre: `/help/articles/<slug>`. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const MAX_SLUG = 80;
export const MAX_TITLE = 200;
/**
 * A body of 40,000 characters (about 6,000 words) keeps the article's item (Markdown, its HTML and
 * the rest) under DynamoDB's 400 KB even in 3-byte UTF-8 characters.
 */
export const MAX_BODY = 40_000;
export const MAX_CATEGORY = 60;

export const ArticleSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      /** Unique: its address in the help centre. */
      slug: z.string(),
      /** Markdown. */
      body: z.string(),
      /** A plain name grouping articles in the help centre (`Billing`). */
      category: z.optional(z.string()),
      status: z.enum(ARTICLE_STATUSES),
      /** The body rendered to sanitized HTML when it was last published (what the help centre shows). */
      html: z.optional(z.string()),
      publishedAt: z.optional(z.string()),
      /** Readers' answers to "Was this helpful?". */
      helpful: z.int(),
      notHelpful: z.int(),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Article' })),
);
export type Article = z.infer<typeof ArticleSchema>;

/** An article in a list (no body, no HTML). */
export const ArticleSummarySchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      slug: z.string(),
      category: z.optional(z.string()),
      status: z.enum(ARTICLE_STATUSES),
      publishedAt: z.optional(z.string()),
      helpful: z.int(),
      notHelpful: z.int(),
      version: z.int(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'ArticleSummary' })),
);
export type ArticleSummary = z.infer<typeof ArticleSummarySchema>;

/** What the search index holds of a published article (one item each, read when the index is rebuilt). */
export const IndexDocSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    category: z.optional(z.string()),
    /** The body as plain text (searched). */
    text: z.string(),
    /** Its first words (shown in results). */
    excerpt: z.string(),
    publishedAt: z.string(),
  }),
);
export type IndexDoc = z.infer<typeof IndexDocSchema>;

/** The stored search index: its version and how many chunks hold it (see store-dynamo.ts). */
export const IndexMetaSchema = z.lazy(() =>
  z.object({
    version: z.int(),
    chunks: z.int(),
    /** Compressed size in bytes. */
    bytes: z.int(),
    articles: z.int(),
    /** The categories of the published articles, with how many each. */
    categories: z.array(z.object({ name: z.string(), count: z.int() })),
    builtAt: z.string(),
  }),
);
export type IndexMeta = z.infer<typeof IndexMetaSchema>;

/** A published article found by a search. */
export const ArticleHitSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      slug: z.string(),
      title: z.string(),
      category: z.optional(z.string()),
      excerpt: z.string(),
      publishedAt: z.string(),
      score: z.number(),
    })
    .check(z.meta({ id: 'ArticleHit' })),
);
export type ArticleHit = z.infer<typeof ArticleHitSchema>;

/** An article suggested for a text (a case's): where a customer can read it. */
export interface ArticleSuggestion {
  id: string;
  slug: string;
  title: string;
  /** `/help/articles/<slug>`, absolute when the caller gave its public URL. */
  url: string;
}
