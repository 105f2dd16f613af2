/**
 * The public CSAT pages a survey's rating links open (HTML, no JavaScript needed): a click records
 * the link's score and shows the thank-you page with an optional comment form; the form posts the
 * comment. A forged, cut or expired link (403) or a case gone (404) gets a friendly page in a
 * browser, the JSON error otherwise; a refused request writes nothing.
 */
import { depsOf } from '#app/runtime.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { DomainError, forbidden } from '#platform/errors.js';
import { type HttpResult, httpHandler, operation, wantsHtml } from '#platform/http/handler.js';
import { isBot } from '#platform/user-agents.js';
import { getCase } from '#service/cases.js';
import { rateCase } from '#service/csat.js';
import { renderConfirm, renderLinkProblem, renderRated } from '#service/csat-page.js';
import { csatRoutes as routes } from '#service/csat-routes.js';
import { type RatingLink, signRatingToken, verifyRatingToken } from '#service/csat-token.js';
import type { Case } from '#service/model.js';
import { serviceStore } from '#service/store-dynamo.js';

const deps = depsOf(serviceStore);
const headers = { 'cache-control': 'no-store' };
const htmlPage = (status: number, html: string): HttpResult => ({ status, html, headers });

const LINK_PROBLEMS = {
  invalid: 'This link is not valid: it may be cut short. Use a rating link of our email as it is.',
  expired: 'This link has expired: rating links work for 30 days after we send them.',
} as const;

type Request = { token: string; browser: boolean };

/** Runs `page` with the link's case and score; a bad link or a case gone is its page (or JSON error). */
async function withLink(
  { token, browser }: Request,
  page: (link: RatingLink, secret: string) => Promise<HttpResult>,
): Promise<HttpResult> {
  const secret = await signingSecret();
  const check = verifyRatingToken(secret, token, deps.clock.now());
  if (!check.ok) {
    if (browser) return htmlPage(403, renderLinkProblem(check.reason));
    throw forbidden(
      check.reason === 'expired' ? 'link_expired' : 'invalid_token',
      LINK_PROBLEMS[check.reason],
    );
  }
  try {
    return await page(check.link, secret);
  } catch (err) {
    if (browser && err instanceof DomainError && err.kind === 'not_found')
      return htmlPage(404, renderLinkProblem('gone'));
    throw err;
  }
}

/** The page's own address, and the link of each score (signed like the email's). */
const linksOf = (link: RatingLink, secret: string, token: string) => ({
  self: `/csat/${token}`,
  scoreLink: (score: number) => `/csat/${signRatingToken(secret, { ...link, score })}`,
});

const ratedPage = (
  c: Case,
  link: RatingLink,
  secret: string,
  token: string,
  state: Parameters<typeof renderRated>[3] = {},
) => renderRated(c, link.score, linksOf(link, secret, token), state);

export const handler = httpHandler([
  operation(routes.rateCase, ({ params, headers: h }) =>
    withLink({ token: params.token, browser: wantsHtml(h) }, async (link, secret) => {
      // A mail scanner opens every link of an email: a machine is asked to confirm, nothing recorded.
      if (isBot(h['user-agent'])) {
        const c = await getCase(deps, link.caseId);
        return htmlPage(200, renderConfirm(c, link.score, linksOf(link, secret, params.token)));
      }
      const { case: c } = await rateCase(deps, link.caseId, link.score);
      return htmlPage(200, ratedPage(c, link, secret, params.token));
    }),
  ),
  operation(routes.commentOnRating, ({ params, body, headers: h }) => {
    const request = { token: params.token, browser: wantsHtml(h) };
    const comment = body.comment?.trim() ?? '';
    return withLink(request, async (link, secret) => {
      if (comment || body.confirm) {
        const { case: c } = await rateCase(deps, link.caseId, link.score, comment || undefined);
        return htmlPage(200, ratedPage(c, link, secret, params.token, { commented: Boolean(comment) }));
      }
      // Nothing to keep: the page again, nothing written.
      const c = await getCase(deps, link.caseId);
      if (!request.browser)
        throw new DomainError('invalid', 'validation_error', 'the request body is not valid', [
          { path: 'comment', message: 'write a comment' },
        ]);
      return htmlPage(
        400,
        ratedPage(c, link, secret, params.token, { error: 'Please write a comment before sending it.' }),
      );
    });
  }),
]);
