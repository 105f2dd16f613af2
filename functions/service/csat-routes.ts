/** The public CSAT routes (csat): the page a survey's rating link opens, and its comment form. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, type RouteDef, route } from '#platform/http/route.js';

const tokenParams = z.lazy(() =>
  z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) }),
);

export const csatRoutes = {
  rateCase: route({
    method: 'GET',
    path: '/csat/{token}',
    fn: 'csat',
    auth: 'public',
    summary:
      'A CSAT survey’s one-click rating link (signed: the case, a score 1–5, 30 days): records the score (another score replaces it; CaseRated) and shows a thank-you page with an optional comment form; a machine (a mail scanner, a script, no User-Agent) gets a page asking to confirm, and nothing is recorded; a forged or expired link → 403 (a friendly page in a browser)',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema, 404: ErrorSchema },
  }),
  commentOnRating: route({
    method: 'POST',
    path: '/csat/{token}',
    fn: 'csat',
    auth: 'public',
    summary:
      'The thank-you page’s comment form (`comment`, up to 2,000 characters), kept with the rating; or the confirm page’s button (`confirm`), which records the link’s score',
    params: tokenParams,
    bodyTypes: ['application/x-www-form-urlencoded'],
    // Not strict: a field a browser or an extension adds is ignored; too long is cut to the limit.
    body: z.lazy(() =>
      z.object({
        comment: z.optional(z.string().check(z.maxLength(20_000))),
        confirm: z.optional(z.string().check(z.maxLength(10))),
      }),
    ),
    responses: { 200: 'html', 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
