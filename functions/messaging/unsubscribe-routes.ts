/** The public unsubscribe routes (unsubscribe). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, type RouteDef, route } from '#platform/http/route.js';

export const unsubscribeRoutes = {
  showUnsubscribe: route({
    method: 'GET',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary: 'Unsubscribe page (asks for confirmation; a GET never unsubscribes)',
    params: z.lazy(() => z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) })),
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  unsubscribe: route({
    method: 'POST',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary: 'Unsubscribe (RFC 8058 one-click POST, or the confirmation form)',
    params: z.lazy(() => z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) })),
    responses: { 200: 'html', 403: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
