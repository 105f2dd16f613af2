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
    summary: 'Unsubscribe page (asks for confirmation; a GET never unsubscribes)',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  unsubscribe: route({
    method: 'POST',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary: 'Unsubscribe (RFC 8058 one-click POST, or the confirmation form)',
    params: tokenParams,
    responses: { 200: 'html', 403: ErrorSchema },
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
