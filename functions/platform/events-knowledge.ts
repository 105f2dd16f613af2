/**
 * The knowledge base events of the contract (events.ts spreads them in): an article published to the
 * help centre.
 */
import * as z from 'zod/mini';
import './zod-messages.js';
import { EVENT_SOURCES, envelope } from './event-parts.js';

export const knowledgeEventContracts = {
  /** An article was published (or published again with its latest changes) to the help centre. */
  ArticlePublished: {
    source: EVENT_SOURCES.knowledge,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        articleId: z.string(),
        slug: z.string(),
        title: z.string(),
        articleVersion: z.int(),
        /** The article's first publication. */
        first: z.boolean(),
      }),
    ),
  },
} as const;
