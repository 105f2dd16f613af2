/** The public unsubscribe routes (unsubscribe). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, type RouteDef, route } from '#platform/http/route.js';

const tokenParams = z.lazy(() =>
  z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) }),
);

export const unsubscribeRoutes = {
  showUnsubscribe: route({
    method: 'GET',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary:
      'The preference page: the subscription types the contact receives, leave one or all (a GET never changes anything)',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  showPreferencesAfterAction: route({
    method: 'GET',
    path: '/u/{token}/{action}',
    fn: 'unsubscribe',
    auth: 'public',
    summary:
      'The preference page again, for a browser that reloads or bookmarks a page an action answered with (/all, /preferences, /resubscribe)',
    params: z.lazy(() =>
      z.strictObject({
        token: z.string().check(z.minLength(1), z.maxLength(200)),
        action: z.enum(['all', 'preferences', 'resubscribe']),
      }),
    ),
    responses: { 200: 'html', 400: ErrorSchema, 403: ErrorSchema },
  }),
  unsubscribe: route({
    method: 'POST',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary:
      'Unsubscribe (RFC 8058 one-click POST, or the page’s button): from the email’s subscription type if it has one, else from all marketing email',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  unsubscribeAll: route({
    method: 'POST',
    path: '/u/{token}/all',
    fn: 'unsubscribe',
    auth: 'public',
    summary: 'Unsubscribe from all marketing email (from the preference page; any body is accepted)',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  savePreferences: route({
    method: 'POST',
    path: '/u/{token}/preferences',
    fn: 'unsubscribe',
    auth: 'public',
    summary:
      'Save the subscription types the contact receives (the preference form: one `types` field per checked type)',
    params: tokenParams,
    bodyTypes: ['application/x-www-form-urlencoded'],
    // Not strict: a field a browser or an extension adds is ignored. The page's form always sends
    // `form=preferences`, so a form with every box unticked is not an empty body.
    body: z.lazy(() =>
      z.object({
        types: z.optional(
          z.union([
            z.string().check(z.maxLength(40)),
            z.array(z.string().check(z.maxLength(40))).check(z.maxLength(20)),
          ]),
        ),
      }),
    ),
    responses: { 200: 'html', 400: ErrorSchema, 403: ErrorSchema },
  }),
  resubscribe: route({
    method: 'POST',
    path: '/u/{token}/resubscribe',
    fn: 'unsubscribe',
    auth: 'public',
    summary:
      'Resubscribe with one’s own link (fresh consent, recorded on the timeline); a bounced address cannot',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
