/** CSV export route (contacts-io); imports are jobs (functions/imports). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { cursorSchema, type RouteDef, route } from '#platform/http/route.js';
import { tagSchema } from '#platform/values.js';

export const contactIoRoutes = {
  exportContacts: route({
    method: 'GET',
    path: '/v1/contacts/export',
    fn: 'contacts-io',
    auth: 'admin',
    summary: 'Export contacts as CSV (formula-injection safe), 5,000 per page; next page in X-Next-Cursor',
    query: z.lazy(() => z.strictObject({ tag: z.optional(tagSchema), cursor: cursorSchema })),
    responses: { 200: 'csv' },
  }),
} as const satisfies Record<string, RouteDef>;
