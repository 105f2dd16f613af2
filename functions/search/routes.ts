/** Search routes (companies-api): contacts and companies by name, company, email or phone (docs/search.md). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { cursorSchema, page, type RouteDef, route } from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import { SEARCH_KINDS, SearchResultSchema } from './model.js';
import { parseQuery, QUERY_RULE } from './rules.js';

/** `q`: what to look for; it must give the index a word to read (2 letters or digits at least). */
export const searchQuerySchema = z.lazy(() =>
  shortText(200).check(z.refine((q) => parseQuery(q) !== undefined, QUERY_RULE)),
);

export const searchRoutes = {
  search: route({
    method: 'GET',
    path: '/v1/search',
    fn: 'companies-api',
    auth: 'admin',
    scopes: ['contacts:read', 'contacts:write'],
    summary:
      'Find contacts (by first, last or full name, company, part of the email, phone digits) and companies (by name or domain); every word must match',
    query: z.lazy(() =>
      z.strictObject({
        q: searchQuerySchema,
        limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 10),
        cursor: cursorSchema,
        /** Only contacts, or only companies (a page may then hold fewer results: follow its cursor). */
        kind: z.optional(z.enum(SEARCH_KINDS)),
      }),
    ),
    responses: { 200: page(SearchResultSchema) },
  }),
} as const satisfies Record<string, RouteDef>;
