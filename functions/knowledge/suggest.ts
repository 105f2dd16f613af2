/**
 * Searching the published articles through the stored index: the help centre's search and the
 * suggestions other contexts ask for (cases: articles that may answer a customer's message).
 *
 * A search reads the index's meta item; the index itself (its chunks) only when its version changed
 * since this process last loaded it (kept per store, so a warm Lambda reads one small item a search).
 */
import { busy } from '#platform/errors.js';
import type { ArticleHit, ArticleSuggestion, IndexMeta } from './model.js';
import {
  type ArticleIndex,
  deserializeIndex,
  emptyIndex,
  type SearchOptions,
  searchIndex,
  termsOf,
} from './search-index.js';
import type { KnowledgeIndexReads } from './store.js';

const loaded = new WeakMap<object, { version: number; builtAt: string; index: ArticleIndex }>();

/** The stored index (empty when nothing was ever published) and its meta. */
export async function loadIndex(
  store: KnowledgeIndexReads,
): Promise<{ meta: IndexMeta | undefined; index: ArticleIndex }> {
  // A rebuild committed between reading the meta and its chunks: read again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const meta = await store.getIndexMeta();
    if (!meta) return { meta, index: emptyIndex() };
    const cached = loaded.get(store);
    if (cached && cached.version === meta.version && cached.builtAt === meta.builtAt)
      return { meta, index: cached.index };
    const chunks = await store.getIndexChunks(meta);
    if (chunks) {
      const index = deserializeIndex(chunks);
      loaded.set(store, { version: meta.version, builtAt: meta.builtAt, index });
      return { meta, index };
    }
  }
  throw busy('the search index is being rebuilt; retry shortly');
}

/** Published articles matching `text` (every word, or some when none has them all), best first. */
export async function searchArticles(
  deps: { store: KnowledgeIndexReads },
  text: string,
  options: SearchOptions,
): Promise<ArticleHit[]> {
  const { index } = await loadIndex(deps.store);
  return searchIndex(index, text, options);
}

export const articlePath = (slug: string) => `/help/articles/${encodeURIComponent(slug)}`;

/**
 * Articles that may answer a text (a case's subject and message): the published articles sharing
 * the most of its words (prefix and fuzzy matching), best first, at most `limit`. `url` is the
 * article's help centre page, absolute when `deps.publicUrl` is given.
 */
export async function suggestArticles(
  deps: { store: KnowledgeIndexReads; publicUrl?: string | undefined },
  text: string,
  limit: number,
): Promise<ArticleSuggestion[]> {
  const words = text.slice(0, 5000);
  if (limit <= 0 || termsOf(words).length === 0) return [];
  const hits = await searchArticles(deps, words, { limit, combine: 'or' });
  const base = deps.publicUrl?.replace(/\/$/, '') ?? '';
  return hits.map((h) => ({ id: h.id, slug: h.slug, title: h.title, url: `${base}${articlePath(h.slug)}` }));
}
