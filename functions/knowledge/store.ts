/**
 * The knowledge base's storage port: articles (by id, and by their slug), the search documents of the
 * published ones, the stored search index, and readers' feedback.
 */
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Article, IndexDoc, IndexMeta } from './model.js';

export type KnowledgeWrite =
  /**
   * An article, created (`expectedVersion` absent) or replacing that version (its feedback counts
   * are left as they are), with its slug's reference: claimed (a conflict, part `slug`, when another
   * article has it) and the old one released when the slug changed.
   */
  | { kind: 'putArticle'; article: Article; expectedVersion?: number; previousSlug?: string }
  /** The article at this version and its slug's reference. */
  | { kind: 'deleteArticle'; article: Article }
  /** A published article's search document, written or removed. */
  | { kind: 'putIndexDoc'; doc: IndexDoc }
  | { kind: 'deleteIndexDoc'; id: string }
  /**
   * The search index rebuilt: its meta item, if still at `expectedVersion` (0: none yet; part
   * `index`), and its chunks; the previous index's chunks beyond the new count removed.
   */
  | {
      kind: 'putSearchIndex';
      meta: IndexMeta;
      chunks: Uint8Array[];
      expectedVersion: number;
      previousChunks: number;
    }
  /** One more "helpful" or "not helpful" on a published article (a conflict when it is not). */
  | { kind: 'recordFeedback'; articleId: string; helpful: boolean };

export interface KnowledgeReads {
  getArticle(id: string): Promise<Article | undefined>;
  getArticleBySlug(slug: string): Promise<Article | undefined>;
  /** Articles, newest created first. */
  listArticles(options: ListOptions): Promise<Page<Article>>;
  /** Every published article's search document (a query of their one partition: the index rebuild). */
  listIndexDocs(): Promise<IndexDoc[]>;
  getIndexMeta(): Promise<IndexMeta | undefined>;
  /** The chunks of the index at `meta`'s version, or undefined when another version replaced them meanwhile. */
  getIndexChunks(meta: IndexMeta): Promise<Uint8Array[] | undefined>;
  /** Counts one more request in a fixed window kept in one item: false when it already holds `limit`. */
  takeRateSlot(key: string, limit: number, windowEnd: Date): Promise<boolean>;
}

/** What a search needs: the stored index. */
export type KnowledgeIndexReads = Pick<KnowledgeReads, 'getIndexMeta' | 'getIndexChunks'>;

export type KnowledgeStore = KnowledgeReads & Commit<KnowledgeWrite>;
export type KnowledgeDeps = Deps<KnowledgeStore>;
