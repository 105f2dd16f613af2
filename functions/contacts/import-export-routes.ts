/** CSV import and export routes (contacts-io). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { cursorSchema, ErrorSchema, type RouteDef, route } from '#platform/http/route.js';
import { tagSchema } from '#platform/values.js';
import { ImportReportSchema } from './model.js';

export const contactIoRoutes = {
  importContacts: route({
    method: 'POST',
    path: '/v1/contacts/import',
    fn: 'contacts-io',
    auth: 'admin',
    summary: 'Import contacts from CSV (header row; email required; tags separated by ;). Per-row errors.',
    body: z.lazy(() => z.string()),
    bodyTypes: ['text/csv'],
    responses: { 200: ImportReportSchema, 400: ErrorSchema },
  }),
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
