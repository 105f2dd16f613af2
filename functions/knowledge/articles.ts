/**
 * Knowledge base articles: written as drafts, published to the help centre (the Markdown rendered and
 * sanitized then, the search index rebuilt and stored, ArticlePublished announced, all in one
 * transaction), unpublished, edited (a published article's edit goes live at once) and deleted.
 */
import { createHash } from 'node:crypto';
import { conflict, DomainError, notFound, staleVersion } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { slug as slugOf } from '#platform/values.js';
import { excerptOf, plainText, renderMarkdown } from './markdown.js';
import { type Article, type ArticleSummary, type IndexDoc, MAX_SLUG } from './model.js';
import { buildIndex, metaOf, serializeIndex } from './search-index.js';
import type { KnowledgeDeps, KnowledgeWrite } from './store.js';

export interface ArticleInput {
  title: string;
  /** Absent: made from the title. */
  slug?: string | undefined;
  body: string;
  category?: string | undefined;
}

/** An address made of the title: lower-case words joined by dashes (`How do I reset my password?` → `how-do-i-reset-my-password`). */
export const slugFromTitle = (title: string): string =>
  slugOf(title, MAX_SLUG, 'article').replace(/-+$/, '') || 'article';

const slugTaken = (slug: string) =>
  conflict('slug_taken', `another article is at /help/articles/${slug}: choose another address`, { slug });

export const summaryOf = ({ body: _b, html: _h, createdAt: _c, ...rest }: Article): ArticleSummary => rest;

/** The search document of a published article. */
async function docOf(article: Article, html: string, publishedAt: string): Promise<IndexDoc> {
  const text = await plainText(html);
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    ...(article.category ? { category: article.category } : {}),
    text,
    excerpt: excerptOf(text),
    publishedAt,
  };
}

/**
 * The writes that rebuild the search index with one article's document put or removed: every
 * published article's document read (one partition, consistently), the index built and serialized,
 * guarded by the version it replaces (a conflict, part `index`, when another rebuild won).
 */
async function reindexed(
  deps: KnowledgeDeps,
  change: { put: IndexDoc } | { remove: string },
): Promise<KnowledgeWrite[]> {
  const [meta, current] = await Promise.all([deps.store.getIndexMeta(), deps.store.listIndexDocs()]);
  const docs = new Map(current.map((d) => [d.id, d]));
  if ('put' in change) docs.set(change.put.id, change.put);
  else docs.delete(change.remove);
  const list = [...docs.values()];
  const chunks = serializeIndex(buildIndex(list));
  const version = (meta?.version ?? 0) + 1;
  return [
    'put' in change
      ? { kind: 'putIndexDoc', doc: change.put }
      : { kind: 'deleteIndexDoc', id: change.remove },
    {
      kind: 'putSearchIndex',
      meta: metaOf(list, chunks, version, deps.clock.now().toISOString()),
      chunks,
      expectedVersion: meta?.version ?? 0,
      previousChunks: meta?.chunks ?? 0,
    },
  ];
}

const indexRaced = (c: CommitConflict) => c.part === 'index';

export async function getArticle(deps: KnowledgeDeps, id: string): Promise<Article> {
  const article = await deps.store.getArticle(id);
  if (!article) throw notFound('article', id);
  return article;
}

export async function listArticles(deps: KnowledgeDeps, options: ListOptions): Promise<Page<ArticleSummary>> {
  const page = await deps.store.listArticles(options);
  return { ...page, items: page.items.map(summaryOf) };
}

export async function createArticle(deps: KnowledgeDeps, input: ArticleInput): Promise<Article> {
  const at = deps.clock.now().toISOString();
  const article: Article = {
    id: deps.ids.next(),
    title: input.title,
    slug: input.slug ?? slugFromTitle(input.title),
    body: input.body,
    ...(input.category ? { category: input.category } : {}),
    status: 'draft',
    helpful: 0,
    notHelpful: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.store.commit([{ kind: 'putArticle', article }]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'slug') throw slugTaken(article.slug);
    throw err;
  }
  return article;
}

/**
 * Replaces an article's title, address, body and category at its current `version` (409 otherwise).
 * A published article's change goes live: rendered again and the search index rebuilt.
 */
export async function updateArticle(
  deps: KnowledgeDeps,
  id: string,
  input: ArticleInput,
  version: number,
): Promise<Article> {
  return withOptimisticRetry(async () => {
    const current = await getArticle(deps, id);
    if (current.version !== version) throw staleVersion('article', id, current.version);
    const { category: _c, ...kept } = current;
    const article: Article = {
      ...kept,
      title: input.title,
      slug: input.slug ?? current.slug,
      body: input.body,
      ...(input.category ? { category: input.category } : {}),
      version: version + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    const writes: KnowledgeWrite[] = [
      { kind: 'putArticle', article, expectedVersion: version, previousSlug: current.slug },
    ];
    if (article.status === 'published') {
      article.html = await renderMarkdown(article.body);
      writes.push(
        ...(await reindexed(deps, {
          put: await docOf(article, article.html, article.publishedAt ?? article.updatedAt),
        })),
      );
    }
    try {
      await deps.store.commit(writes);
    } catch (err) {
      if (!(err instanceof CommitConflict) || err.part === 'index') throw err;
      if (err.part === 'slug') throw slugTaken(article.slug);
      throw staleVersion('article', id, (await getArticle(deps, id)).version);
    }
    return article;
  }, indexRaced);
}

/** Publishes an article (again): its Markdown rendered to sanitized HTML, searchable, ArticlePublished. */
export async function publishArticle(deps: KnowledgeDeps, id: string): Promise<Article> {
  return withOptimisticRetry(
    async () => {
      const current = await getArticle(deps, id);
      const at = deps.clock.now().toISOString();
      const article: Article = {
        ...current,
        status: 'published',
        html: await renderMarkdown(current.body),
        publishedAt: at,
        version: current.version + 1,
        updatedAt: at,
      };
      await deps.store.commit([
        { kind: 'putArticle', article, expectedVersion: current.version, previousSlug: current.slug },
        ...(await reindexed(deps, { put: await docOf(article, article.html ?? '', at) })),
        emit(deps, deps.clock.now(), 'ArticlePublished', {
          articleId: article.id,
          slug: article.slug,
          title: article.title,
          articleVersion: article.version,
          first: current.publishedAt === undefined,
        }),
      ]);
      return article;
    },
    () => true,
  );
}

/** Takes an article off the help centre (a draft again, out of the search index); its last publication time stays. */
export async function unpublishArticle(deps: KnowledgeDeps, id: string): Promise<Article> {
  return withOptimisticRetry(
    async () => {
      const current = await getArticle(deps, id);
      if (current.status !== 'published')
        throw conflict('not_published', `article ${id} is not published`, { status: current.status });
      const { html: _h, ...rest } = current;
      const article: Article = {
        ...rest,
        status: 'draft',
        version: current.version + 1,
        updatedAt: deps.clock.now().toISOString(),
      };
      await deps.store.commit([
        { kind: 'putArticle', article, expectedVersion: current.version, previousSlug: current.slug },
        ...(await reindexed(deps, { remove: id })),
      ]);
      return article;
    },
    () => true,
  );
}

/** Deletes an article (a published one leaves the help centre and the search index with it). */
export async function deleteArticle(deps: KnowledgeDeps, id: string): Promise<void> {
  await withOptimisticRetry(
    async () => {
      const article = await getArticle(deps, id);
      await deps.store.commit([
        { kind: 'deleteArticle', article },
        ...(article.status === 'published' ? await reindexed(deps, { remove: id }) : []),
      ]);
    },
    () => true,
  );
}

/** The HTML a body would publish as (the editor's preview). */
export const previewArticle = async (body: string) => ({ html: await renderMarkdown(body) });

const FEEDBACK_PER_IP_PER_MINUTE = 20;
const RATE_WINDOW_MS = 60_000;

/** A reader's "Was this helpful?": one more count on the published article, at most 20 a minute from one address. */
export async function recordFeedback(
  deps: KnowledgeDeps,
  slug: string,
  helpful: boolean,
  sourceIp: string,
): Promise<Article> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % RATE_WINDOW_MS);
  const windowEnd = new Date(windowStart + RATE_WINDOW_MS);
  const ip = createHash('sha256').update(sourceIp).digest('base64url');
  if (!(await deps.store.takeRateSlot(`help:${ip}:${windowStart}`, FEEDBACK_PER_IP_PER_MINUTE, windowEnd)))
    throw new DomainError(
      'rate_limited',
      'too_many_answers',
      'too many answers from your address; please try again in a minute',
      [],
      Math.max(1, Math.ceil((windowEnd.getTime() - now) / 1000)),
    );
  const article = await publishedArticle(deps, slug);
  try {
    await deps.store.commit([{ kind: 'recordFeedback', articleId: article.id, helpful }]);
  } catch (err) {
    // Unpublished or deleted meanwhile.
    if (err instanceof CommitConflict) throw notFound('article', slug);
    throw err;
  }
  return article;
}

/** A published article by its address (a draft is as unknown as a missing one). */
export async function publishedArticle(deps: KnowledgeDeps, slug: string): Promise<Article> {
  const article = await deps.store.getArticleBySlug(slug);
  if (article?.status !== 'published' || article.html === undefined) throw notFound('article', slug);
  return article;
}
