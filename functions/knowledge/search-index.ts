/**
 * The help centre's full-text search: a MiniSearch index over the published articles' titles and
 * text (prefix and fuzzy matching, titles weigh more), built whole when the published set changes and
 * stored, so a search loads one stored index instead of reading every article.
 *
 * Stored form: the index's JSON, gzipped, cut into chunks of at most CHUNK_BYTES. A DynamoDB item
 * holds at most 400 KB (names and values together): a chunk of 350,000 bytes leaves room for its
 * keys and attributes. The chunks are written in the transaction that changes an article (with the
 * index's meta item), and a transaction carries at most 4 MB: MAX_CHUNKS of them (3.15 MB compressed,
 * some 20–30 MB of index, tens of thousands of articles), with the article (under 400 KB) and its
 * search document beside them, is the knowledge base's ceiling; a publish beyond it is refused
 * (`too_large`) rather than half-written.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import MiniSearch, { type SearchResult } from 'minisearch';
import { DomainError } from '#platform/errors.js';
import type { ArticleHit, IndexDoc, IndexMeta } from './model.js';

export const CHUNK_BYTES = 350_000;
export const MAX_CHUNKS = 9;

const OPTIONS = {
  fields: ['title', 'text', 'category'],
  storeFields: ['slug', 'title', 'category', 'excerpt', 'publishedAt'],
  searchOptions: { boost: { title: 3, category: 1.5 } },
};

export type ArticleIndex = MiniSearch<IndexDoc>;

export const emptyIndex = (): ArticleIndex => new MiniSearch<IndexDoc>(OPTIONS);

export function buildIndex(docs: Iterable<IndexDoc>): ArticleIndex {
  const index = emptyIndex();
  index.addAll([...docs]);
  return index;
}

/** The index as stored: gzipped JSON in chunks of at most `chunkBytes`. */
export function serializeIndex(index: ArticleIndex, chunkBytes = CHUNK_BYTES): Uint8Array[] {
  const zipped = gzipSync(JSON.stringify(index));
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < zipped.byteLength; at += chunkBytes)
    chunks.push(new Uint8Array(zipped.subarray(at, at + chunkBytes)));
  if (chunks.length > MAX_CHUNKS)
    throw new DomainError(
      'too_large',
      'search_index_too_large',
      `the knowledge base's search index would take ${chunks.length} chunks of ${chunkBytes} bytes; at most ${MAX_CHUNKS} fit one transaction`,
    );
  return chunks;
}

export function deserializeIndex(chunks: Uint8Array[]): ArticleIndex {
  const json = gunzipSync(Buffer.concat(chunks)).toString('utf8');
  return MiniSearch.loadJSON<IndexDoc>(json, OPTIONS);
}

/** The index's meta item for these documents (their categories counted). */
export function metaOf(docs: IndexDoc[], chunks: Uint8Array[], version: number, builtAt: string): IndexMeta {
  const counts = new Map<string, number>();
  for (const d of docs) if (d.category) counts.set(d.category, (counts.get(d.category) ?? 0) + 1);
  return {
    version,
    chunks: chunks.length,
    bytes: chunks.reduce((n, c) => n + c.byteLength, 0),
    articles: docs.length,
    categories: [...counts]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    builtAt,
  };
}

const MAX_TERMS = 40;

/** The words of a query worth looking up: at most MAX_TERMS distinct ones, in order. */
export function termsOf(text: string): string[] {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_TERMS);
}

const hitOf = (r: SearchResult): ArticleHit => ({
  id: String(r.id),
  slug: String(r.slug),
  title: String(r.title),
  ...(typeof r.category === 'string' ? { category: r.category } : {}),
  excerpt: String(r.excerpt ?? ''),
  publishedAt: String(r.publishedAt ?? ''),
  score: Math.round(r.score * 1000) / 1000,
});

export interface SearchOptions {
  limit: number;
  category?: string | undefined;
  /** `and`: every word must match (a search box); `or`: any (suggestions for a long text). */
  combine?: 'and' | 'or';
}

/**
 * The published articles matching `text` (prefix matching for words of 3+ characters, fuzzy for 4+),
 * best first. Without words, every article (of the category, if given), newest first.
 */
export function searchIndex(index: ArticleIndex, text: string, options: SearchOptions): ArticleHit[] {
  const terms = termsOf(text);
  const filter = options.category ? (r: SearchResult) => r.category === options.category : undefined;
  if (terms.length === 0) {
    return index
      .search(MiniSearch.wildcard, filter ? { filter } : {})
      .map(hitOf)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .slice(0, options.limit);
  }
  const run = (combineWith: 'AND' | 'OR') =>
    index.search(terms.join(' '), {
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      combineWith,
      ...(filter ? { filter } : {}),
    });
  let results = run(options.combine === 'or' ? 'OR' : 'AND');
  // A search box: when no article has every word, the ones with some.
  if (results.length === 0 && options.combine !== 'or' && terms.length > 1) results = run('OR');
  return results.slice(0, options.limit).map(hitOf);
}
