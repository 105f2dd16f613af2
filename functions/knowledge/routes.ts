/** Knowledge base routes: articles for admins (knowledge-api), the public help centre pages (help-centre). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, idParams, listQuery, page, type RouteDef, route } from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import {
  ArticleHitSchema,
  ArticleSchema,
  ArticleSummarySchema,
  MAX_BODY,
  MAX_CATEGORY,
  MAX_SLUG,
  MAX_TITLE,
  SLUG_PATTERN,
} from './model.js';

/** An article's address: absent or blank, it is made from the title. */
const slugField = () =>
  z.optional(
    z.pipe(
      z.string().check(z.trim()),
      z.union([
        z.literal(''),
        z
          .string()
          .check(
            z.maxLength(MAX_SLUG),
            z.regex(SLUG_PATTERN, 'must be lower-case letters, digits and dashes, such as reset-password'),
          ),
      ]),
    ),
  );
/** Absent or blank: no category. */
const categoryField = () => z.optional(z.string().check(z.trim(), z.maxLength(MAX_CATEGORY)));

const articleFields = () => ({
  title: shortText(MAX_TITLE),
  slug: slugField(),
  /** Markdown. */
  body: z.string().check(z.maxLength(MAX_BODY)),
  category: categoryField(),
});

export const ArticleBody = z.lazy(() => z.strictObject(articleFields()));

const SearchQuery = z.lazy(() =>
  z.strictObject({
    q: z.optional(z.string().check(z.maxLength(500))),
    category: categoryField(),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50)), 20),
  }),
);

export const articleRoutes = {
  createArticle: route({
    method: 'POST',
    path: '/v1/articles',
    fn: 'knowledge-api',
    auth: 'admin',
    summary:
      'Write a knowledge base article (a draft): title, Markdown body, category; its address (`slug`) is made from the title unless given (409 `slug_taken`)',
    body: ArticleBody,
    responses: { 201: ArticleSchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
  listArticles: route({
    method: 'GET',
    path: '/v1/articles',
    fn: 'knowledge-api',
    auth: 'admin',
    summary: 'Knowledge base articles, drafts and published, newest first',
    query: listQuery,
    responses: { 200: page(ArticleSummarySchema) },
  }),
  searchArticles: route({
    method: 'GET',
    path: '/v1/articles/search',
    fn: 'knowledge-api',
    auth: 'admin',
    summary:
      'Search the published articles as the help centre does (title, body, category; prefix and fuzzy), best first; no `q`: the newest',
    query: SearchQuery,
    responses: { 200: z.lazy(() => z.object({ items: z.array(ArticleHitSchema) })) },
  }),
  previewArticle: route({
    method: 'POST',
    path: '/v1/articles/preview',
    fn: 'knowledge-api',
    auth: 'admin',
    summary: 'The sanitized HTML a Markdown body would publish as (the editor’s preview)',
    body: z.lazy(() => z.strictObject({ body: z.string().check(z.maxLength(MAX_BODY)) })),
    responses: { 200: z.lazy(() => z.object({ html: z.string() })), 400: ErrorSchema },
  }),
  getArticle: route({
    method: 'GET',
    path: '/v1/articles/{id}',
    fn: 'knowledge-api',
    auth: 'admin',
    summary: 'An article: its Markdown, its published HTML, its readers’ feedback',
    params: idParams,
    responses: { 200: ArticleSchema, 404: ErrorSchema },
  }),
  updateArticle: route({
    method: 'PUT',
    path: '/v1/articles/{id}',
    fn: 'knowledge-api',
    auth: 'admin',
    summary:
      'Replace an article’s title, address, body and category at its current `version` (409 otherwise); a published article’s change is live at once',
    params: idParams,
    body: z.lazy(() => z.strictObject({ ...articleFields(), version: z.int().check(z.minimum(1)) })),
    responses: { 200: ArticleSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteArticle: route({
    method: 'DELETE',
    path: '/v1/articles/{id}',
    fn: 'knowledge-api',
    auth: 'admin',
    summary: 'Delete an article (it leaves the help centre and its search)',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  publishArticle: route({
    method: 'POST',
    path: '/v1/articles/{id}/publish',
    fn: 'knowledge-api',
    auth: 'admin',
    summary:
      'Publish an article (again) to the help centre: its Markdown rendered and sanitized, the search index rebuilt; ArticlePublished',
    params: idParams,
    responses: { 200: ArticleSchema, 404: ErrorSchema, 413: ErrorSchema },
  }),
  unpublishArticle: route({
    method: 'POST',
    path: '/v1/articles/{id}/unpublish',
    fn: 'knowledge-api',
    auth: 'admin',
    summary: 'Take an article off the help centre (a draft again); 409 `not_published` when it is not',
    params: idParams,
    responses: { 200: ArticleSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;

/** Page views take their query leniently: an odd `q` or category just finds nothing. */
const lenient = () => z.optional(z.string().check(z.maxLength(500)));
/** Any address up to a sane length: one that is not an article's is the friendly 404 page. */
const slugParams = z.lazy(() => z.strictObject({ slug: z.string().check(z.minLength(1), z.maxLength(200)) }));
const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/json'] as const;

export const helpRoutes = {
  helpHome: route({
    method: 'GET',
    path: '/help',
    fn: 'help-centre',
    auth: 'public',
    summary:
      'The help centre (HTML, no JavaScript needed): a search form, the categories, the newest articles',
    query: z.lazy(() => z.object({ category: lenient() })),
    responses: { 200: 'html' },
  }),
  helpSearch: route({
    method: 'GET',
    path: '/help/search',
    fn: 'help-centre',
    auth: 'public',
    summary: 'The help centre’s search results for `q` (and/or a `category`), as HTML',
    query: z.lazy(() => z.object({ q: lenient(), category: lenient() })),
    responses: { 200: 'html' },
  }),
  helpArticle: route({
    method: 'GET',
    path: '/help/articles/{slug}',
    fn: 'help-centre',
    auth: 'public',
    summary:
      'A published article (HTML) with a “Was this helpful?” form; a friendly 404 page for any other address',
    params: slugParams,
    responses: { 200: 'html', 404: 'html' },
  }),
  helpFeedback: route({
    method: 'POST',
    path: '/help/articles/{slug}/feedback',
    fn: 'help-centre',
    auth: 'public',
    summary:
      'A reader’s answer to “Was this helpful?” (`helpful=yes|no`): one more count on the article; a browser gets a thank-you page, JSON {recorded: true}',
    params: slugParams,
    body: z.lazy(() => z.record(z.string(), z.unknown())),
    bodyTypes: FORM_TYPES,
    responses: {
      200: z.lazy(() => z.object({ recorded: z.boolean() })),
      400: ErrorSchema,
      404: ErrorSchema,
      429: ErrorSchema,
    },
  }),
} as const satisfies Record<string, RouteDef>;
