/** Import routes (imports-api): create, upload, preview, start, watch, cancel, refused rows. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { EMAIL_BASES } from '#contacts/model.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText, tagListSchema } from '#platform/values.js';
import {
  ColumnTargetSchema,
  ImportPreviewSchema,
  ImportSchema,
  ImportViewSchema,
  MAX_IMPORT_BYTES,
} from './model.js';

const optionsShape = () => ({
  mode: z._default(z.enum(['fill_blanks', 'overwrite']), 'fill_blanks'),
  tags: z._default(tagListSchema, []),
  triggerAutomations: z._default(z.boolean(), true),
  consentBasis: z.enum(EMAIL_BASES),
});

export const StartImportBody = z.lazy(() =>
  z.strictObject({
    /** One entry per column; the guessed mapping when absent. */
    mapping: z.optional(z.array(ColumnTargetSchema).check(z.maxLength(500))),
    options: z.strictObject(optionsShape()),
  }),
);

const boolText = z.lazy(() =>
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((v) => v === 'true'),
  ),
);

export const importRoutes = {
  createImport: route({
    method: 'POST',
    path: '/v1/imports',
    fn: 'imports-api',
    auth: 'admin',
    summary:
      'Create an import; PUT the CSV file to the returned upload URL (a file over 10 MB: each part to its URL, then complete the upload), then preview and start it',
    body: z.lazy(() =>
      z.strictObject({
        fileName: shortText(255),
        size: z.int().check(z.minimum(1), z.maximum(MAX_IMPORT_BYTES)),
      }),
    ),
    responses: {
      201: z.lazy(() =>
        z.object({
          import: ImportSchema,
          upload: z.discriminatedUnion('method', [
            z.object({
              method: z.literal('PUT'),
              url: z.string(),
              headers: z.record(z.string(), z.string()),
            }),
            z.object({
              method: z.literal('multipart'),
              uploadId: z.string(),
              partSize: z.int(),
              parts: z.array(z.object({ number: z.int(), url: z.string() })),
            }),
          ]),
        }),
      ),
      400: ErrorSchema,
    },
  }),
  completeImportUpload: route({
    method: 'POST',
    path: '/v1/imports/{id}/upload/complete',
    fn: 'imports-api',
    auth: 'admin',
    summary: 'Assemble a file uploaded in parts: every part number with the ETag its PUT was answered with',
    params: idParams,
    body: z.lazy(() =>
      z.strictObject({
        parts: z
          .array(z.strictObject({ number: z.int().check(z.minimum(1)), etag: shortText(200) }))
          .check(z.minLength(1), z.maxLength(10_000)),
      }),
    ),
    responses: { 200: ImportSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  listImports: route({
    method: 'GET',
    path: '/v1/imports',
    fn: 'imports-api',
    auth: 'admin',
    summary: 'Imports, newest first',
    query: listQuery,
    responses: { 200: z.lazy(() => page(ImportSchema)) },
  }),
  getImport: route({
    method: 'GET',
    path: '/v1/imports/{id}',
    fn: 'imports-api',
    auth: 'admin',
    summary: 'An import with its counts, rate and estimated time left',
    params: idParams,
    responses: { 200: ImportViewSchema, 404: ErrorSchema },
  }),
  previewImport: route({
    method: 'GET',
    path: '/v1/imports/{id}/preview',
    fn: 'imports-api',
    auth: 'admin',
    summary: "The uploaded file's header and first rows, with the guessed column mapping",
    params: idParams,
    responses: { 200: ImportPreviewSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  startImport: route({
    method: 'POST',
    path: '/v1/imports/{id}/start',
    fn: 'imports-api',
    auth: 'admin',
    summary:
      'Start an uploaded import with its column mapping and options; rows are written in the background',
    params: idParams,
    body: StartImportBody,
    responses: { 202: ImportSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  cancelImport: route({
    method: 'POST',
    path: '/v1/imports/{id}/cancel',
    fn: 'imports-api',
    auth: 'admin',
    summary: 'Cancel an import: chunks not yet written are dropped (written rows stay)',
    params: idParams,
    responses: { 200: ImportSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  importErrors: route({
    method: 'GET',
    path: '/v1/imports/{id}/errors',
    fn: 'imports-api',
    auth: 'admin',
    summary: 'Refused rows as CSV (line, email, reasons), 5,000 per page; next page in X-Next-Cursor',
    params: idParams,
    query: z.lazy(() => z.strictObject({ cursor: cursorSchema })),
    responses: { 200: 'csv', 404: ErrorSchema },
  }),
  importContacts: route({
    method: 'POST',
    path: '/v1/contacts/import',
    fn: 'imports-api',
    auth: 'admin',
    summary:
      'Import a CSV sent as the body (up to the API body limit) as an import job with the guessed mapping; watch it at /v1/imports/{id}',
    query: z.lazy(() =>
      z.strictObject({
        consentBasis: z.enum(EMAIL_BASES),
        mode: z._default(z.enum(['fill_blanks', 'overwrite']), 'fill_blanks'),
        tags: z._default(
          z.pipe(
            z.pipe(
              z.string(),
              z.transform((v) =>
                v
                  .split(';')
                  .map((t) => t.trim())
                  .filter(Boolean),
              ),
            ),
            tagListSchema,
          ),
          [],
        ),
        triggerAutomations: z._default(boolText, true),
      }),
    ),
    body: z.lazy(() => z.string()),
    bodyTypes: ['text/csv'],
    responses: { 202: ImportSchema, 400: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
