/** Bulk action routes (bulk-api): start one on a selection, a tag or a segment; watch; cancel. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, idParams, idSchema, type RouteDef, route } from '#platform/http/route.js';
import { tagSchema } from '#platform/values.js';
import { BulkJobSchema, BulkJobViewSchema, MAX_SELECTION } from './model.js';

export const StartBulkBody = z.lazy(() =>
  z.strictObject({
    action: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('addTag'), tag: tagSchema }),
      z.strictObject({ kind: z.literal('removeTag'), tag: tagSchema }),
      z.strictObject({ kind: z.literal('delete') }),
      z.strictObject({ kind: z.literal('enroll'), workflowId: idSchema }),
      z.strictObject({ kind: z.literal('export') }),
      z.strictObject({ kind: z.literal('count') }),
    ]),
    audience: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('selection'),
        contactIds: z.array(idSchema).check(z.minLength(1), z.maxLength(MAX_SELECTION)),
      }),
      z.strictObject({ kind: z.literal('tag'), tag: tagSchema }),
      z.strictObject({ kind: z.literal('segment'), segmentId: idSchema }),
    ]),
  }),
);

export const bulkRoutes = {
  startBulkAction: route({
    method: 'POST',
    path: '/v1/bulk-actions',
    fn: 'bulk-api',
    auth: 'admin',
    summary:
      'Add or remove a tag, enroll into a published workflow, delete, export as CSV, or count exactly, for a selection, a tag or a segment, as a background job',
    body: StartBulkBody,
    responses: { 202: BulkJobSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  getBulkAction: route({
    method: 'GET',
    path: '/v1/bulk-actions/{id}',
    fn: 'bulk-api',
    auth: 'admin',
    summary:
      'A bulk action with its progress (contacts processed, changed, unchanged, failed) and, for a finished export, a download link',
    params: idParams,
    responses: { 200: BulkJobViewSchema, 404: ErrorSchema },
  }),
  cancelBulkAction: route({
    method: 'POST',
    path: '/v1/bulk-actions/{id}/cancel',
    fn: 'bulk-api',
    auth: 'admin',
    summary: 'Cancel a bulk action: contacts not yet reached are left as they are',
    params: idParams,
    responses: { 200: BulkJobSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  exportPerson: route({
    method: 'POST',
    path: '/v1/contacts/{id}/data-export',
    fn: 'bulk-api',
    auth: 'admin',
    summary:
      'Export everything keyed to the contact as JSON (a GDPR access request), as a bulk action; download it from /v1/bulk-actions/{id}',
    params: idParams,
    responses: { 202: BulkJobSchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
