/**
 * The knowledge base's keys and store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | an article | `KB_ARTICLES` | `ARTICLE#<id>` |
 * | its slug: one article per slug | `KB_SLUG#<slug>` | `SLUG` |
 * | a published article's search document | `KB_PUBLISHED` | `DOC#<id>` |
 * | the search index's meta (version, chunk count, categories) | `KB_INDEX` | `META` |
 * | a chunk of the stored index (gzipped JSON, binary) | `KB_INDEX` | `CHUNK#<nnn>` |
 * | a reader's feedback posts in one minute | `RATE#help:<hashed IP>:<minute>` | `RATE` |
 *
 * Ids are ULIDs: the articles' partition read newest first is newest created first. The index is
 * rebuilt from the `KB_PUBLISHED` partition (a consistent query, never a scan) and written with its
 * meta's version as the guard, so of two rebuilds at once one commits and the other runs again.
 * Readers' feedback is an ADD on the article's counters, never a rewrite: an article saved meanwhile
 * keeps them (its own writes SET everything but the counters).
 */
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import {
  guardedPut,
  type Part,
  storeOf,
  type Translators,
  versionedDelete,
  versionGuard,
} from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { type Article, ArticleSchema, IndexDocSchema, IndexMetaSchema } from './model.js';
import type { KnowledgeReads, KnowledgeStore, KnowledgeWrite } from './store.js';

const ARTICLES = 'KB_ARTICLES';
const PUBLISHED = 'KB_PUBLISHED';
const INDEX = 'KB_INDEX';

export const knowledgeKeys = {
  article: (id: string): Key => ({ PK: ARTICLES, SK: `ARTICLE#${id}` }),
  slug: (slug: string): Key => ({ PK: `KB_SLUG#${slug}`, SK: 'SLUG' }),
  doc: (id: string): Key => ({ PK: PUBLISHED, SK: `DOC#${id}` }),
  indexMeta: (): Key => ({ PK: INDEX, SK: 'META' }),
  indexChunk: (n: number): Key => ({ PK: INDEX, SK: `CHUNK#${String(n).padStart(3, '0')}` }),
  rateWindow: (key: string): Key => ({ PK: `RATE#${key}`, SK: 'RATE' }),
};

/** What an article's own writes set: everything but the readers' counters. */
const OPTIONAL = ['category', 'html', 'publishedAt'] as const;

function articleUpdate(TableName: string, article: Article, expectedVersion: number): Part {
  const { helpful: _h, notHelpful: _n, ...content } = article;
  const names: Record<string, string> = { '#v': 'version' };
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const set = Object.entries({ ...stamp('Article'), ...content })
    .filter(([, value]) => value !== undefined)
    .map(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
  const removed = OPTIONAL.filter((name) => article[name] === undefined);
  removed.forEach((name, i) => {
    names[`#r${i}`] = name;
  });
  return {
    item: {
      Update: {
        TableName,
        Key: knowledgeKeys.article(article.id),
        UpdateExpression: `SET ${set.join(', ')}${removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    part: 'version',
  };
}

export const knowledgeTranslators: Translators<Exclude<KnowledgeWrite, Emit>> = {
  putArticle: ({ article, expectedVersion, previousSlug }, TableName) => {
    const parts: Part[] =
      expectedVersion === undefined
        ? guardedPut(
            TableName,
            { ...knowledgeKeys.article(article.id), ...stamp('Article'), ...article },
            { attribute: 'version', expected: undefined },
          ).map((p) => ({ ...p, part: 'version' }))
        : [articleUpdate(TableName, article, expectedVersion)];
    if (previousSlug === article.slug) return parts;
    parts.push({
      item: {
        Put: {
          TableName,
          Item: { ...knowledgeKeys.slug(article.slug), ...stamp('ArticleSlug'), articleId: article.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'slug',
    });
    if (previousSlug !== undefined)
      parts.push({ item: { Delete: { TableName, Key: knowledgeKeys.slug(previousSlug) } } });
    return parts;
  },
  deleteArticle: ({ article }, TableName) => [
    versionedDelete(TableName, knowledgeKeys.article(article.id), article.version, 'version'),
    { item: { Delete: { TableName, Key: knowledgeKeys.slug(article.slug) } } },
  ],
  putIndexDoc: ({ doc }, TableName) => [
    {
      item: {
        Put: { TableName, Item: { ...knowledgeKeys.doc(doc.id), ...stamp('ArticleIndexDoc'), ...doc } },
      },
    },
  ],
  deleteIndexDoc: ({ id }, TableName) => [{ item: { Delete: { TableName, Key: knowledgeKeys.doc(id) } } }],
  putSearchIndex: ({ meta, chunks, expectedVersion, previousChunks }, TableName) => [
    ...guardedPut(
      TableName,
      { ...knowledgeKeys.indexMeta(), ...stamp('ArticleIndexMeta'), ...meta },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'index' })),
    ...chunks.map(
      (data, n): Part => ({
        item: {
          Put: {
            TableName,
            Item: {
              ...knowledgeKeys.indexChunk(n),
              ...stamp('ArticleIndexChunk'),
              version: meta.version,
              data,
            },
          },
        },
      }),
    ),
    ...Array.from(
      { length: Math.max(0, previousChunks - chunks.length) },
      (_, i): Part => ({
        item: { Delete: { TableName, Key: knowledgeKeys.indexChunk(chunks.length + i) } },
      }),
    ),
  ],
  recordFeedback: ({ articleId, helpful }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: knowledgeKeys.article(articleId),
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: 'attribute_exists(PK) AND #status = :published',
          ExpressionAttributeNames: { '#count': helpful ? 'helpful' : 'notHelpful', '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':published': 'published' },
        },
      },
    },
  ],
};

/** A chunk's bytes as the SDK returns a binary attribute. */
const bytesOf = (value: unknown): Uint8Array | undefined => (value instanceof Uint8Array ? value : undefined);

export function knowledgeReads(table: Table): KnowledgeReads {
  const getArticle = async (id: string) => {
    const item = await table.get(knowledgeKeys.article(id));
    return item ? decode(ArticleSchema, item) : undefined;
  };
  return {
    getArticle,
    async getArticleBySlug(slug) {
      const ref = await table.get(knowledgeKeys.slug(slug));
      return ref ? getArticle(String(ref.articleId)) : undefined;
    },
    listArticles: (options) =>
      table.page({ partition: ARTICLES, prefix: 'ARTICLE#' }, options, (item) => decode(ArticleSchema, item)),
    async listIndexDocs() {
      const items = await table.all({ partition: PUBLISHED, prefix: 'DOC#', ascending: true });
      return items.map((item) => decode(IndexDocSchema, item));
    },
    async getIndexMeta() {
      const item = await table.get(knowledgeKeys.indexMeta());
      return item ? decode(IndexMetaSchema, item) : undefined;
    },
    async getIndexChunks(meta) {
      const keys = Array.from({ length: meta.chunks }, (_, n) => knowledgeKeys.indexChunk(n));
      const items = new Map((await table.batchGet(keys)).map((item) => [String(item.SK), item]));
      const chunks: Uint8Array[] = [];
      for (const key of keys) {
        const item = items.get(key.SK);
        const data = bytesOf(item?.data);
        if (!item || item.version !== meta.version || !data) return undefined;
        chunks.push(data);
      }
      return chunks;
    },
    takeRateSlot: (key, limit, windowEnd) => table.takeSlot(knowledgeKeys.rateWindow(key), limit, windowEnd),
  };
}

export const knowledgeStore = (table: Table): KnowledgeStore =>
  storeOf<KnowledgeWrite>(knowledgeTranslators)(table, knowledgeReads(table));
