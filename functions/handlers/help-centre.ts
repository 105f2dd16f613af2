/**
 * The public help centre: server-rendered pages that need no JavaScript (home, search, an article)
 * and the "Was this helpful?" form's post. Browsers get HTML, friendly pages for an unknown article
 * or a refused answer; JSON clients posting feedback get JSON.
 */
import { depsOf } from '#app/runtime.js';
import * as articles from '#knowledge/articles.js';
import {
  HELP_CSP,
  renderArticlePage,
  renderHelpError,
  renderHelpHome,
  renderNotFound,
  renderSearchPage,
  renderThanks,
} from '#knowledge/help-page.js';
import { SLUG_PATTERN } from '#knowledge/model.js';
import { helpRoutes as routes } from '#knowledge/routes.js';
import { searchIndex } from '#knowledge/search-index.js';
import { knowledgeStore } from '#knowledge/store-dynamo.js';
import { loadIndex } from '#knowledge/suggest.js';
import { DomainError } from '#platform/errors.js';
import { clientIp } from '#platform/http/client-ip.js';
import { type HttpResult, httpHandler, operation, wantsHtml } from '#platform/http/handler.js';

const deps = depsOf(knowledgeStore);
const RECENT = 10;
const RESULTS = 30;

const headers = { 'cache-control': 'no-store', 'content-security-policy': HELP_CSP };
const htmlPage = (status: number, html: string): HttpResult => ({ status, html, headers });
const notFoundPage = () => htmlPage(404, renderNotFound());
const isNotFound = (err: unknown) => err instanceof DomainError && err.kind === 'not_found';
const clean = (text: string | undefined) => (text ?? '').trim();

export const handler = httpHandler([
  operation(routes.helpHome, async () => {
    const { meta, index } = await loadIndex(deps.store);
    return htmlPage(200, renderHelpHome(meta, searchIndex(index, '', { limit: RECENT })));
  }),
  operation(routes.helpSearch, async ({ query }) => {
    const q = clean(query.q);
    const category = clean(query.category) || undefined;
    const { index } = await loadIndex(deps.store);
    return htmlPage(200, renderSearchPage(q, category, searchIndex(index, q, { limit: RESULTS, category })));
  }),
  operation(routes.helpArticle, async ({ params, event }) => {
    // A browser gets the friendly page; another client the JSON error.
    const missing = () => {
      if (wantsHtml(event.headers)) return notFoundPage();
      throw new DomainError('not_found', 'not_found', `article ${params.slug} does not exist`);
    };
    if (!SLUG_PATTERN.test(params.slug)) return missing();
    try {
      return htmlPage(200, renderArticlePage(await articles.publishedArticle(deps, params.slug)));
    } catch (err) {
      if (isNotFound(err)) return missing();
      throw err;
    }
  }),
  operation(routes.helpFeedback, async ({ params, body, mediaType, event }): Promise<HttpResult> => {
    // A browser's form post (it asks for HTML back); any other client gets JSON.
    const browser = mediaType === 'application/x-www-form-urlencoded' && wantsHtml(event.headers);
    const answer = body.helpful;
    const helpful =
      answer === 'yes' || answer === true ? true : answer === 'no' || answer === false ? false : undefined;
    if (helpful === undefined) {
      if (browser) return htmlPage(400, renderHelpError('Please answer Yes or No.'));
      throw new DomainError('invalid', 'validation_error', 'the request body is not valid', [
        { path: 'helpful', message: 'must be yes or no' },
      ]);
    }
    if (!SLUG_PATTERN.test(params.slug)) {
      if (browser) return notFoundPage();
      throw new DomainError('not_found', 'not_found', `article ${params.slug} does not exist`);
    }
    try {
      const article = await articles.recordFeedback(deps, params.slug, helpful, clientIp(event));
      return browser
        ? htmlPage(200, renderThanks(article, helpful))
        : { status: 200, body: { recorded: true } };
    } catch (err) {
      if (browser && isNotFound(err)) return notFoundPage();
      throw err;
    }
  }),
]);
