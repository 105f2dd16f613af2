/** Segment routes (segments-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { fieldComparisonSchema } from '#contacts/fields.js';
import { ContactSchema } from '#contacts/model.js';
import {
  ErrorSchema,
  idParams,
  isoDateTime,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText, tagListSchema } from '#platform/values.js';
import { SegmentSchema } from './model.js';

/** A segment filter as a request states it: checked, and dates normalized to UTC. */
export const SegmentFilterBody = z.lazy(() =>
  z.strictObject({
    tags: z.optional(
      z.strictObject({
        all: z.optional(tagListSchema),
        any: z.optional(tagListSchema),
        none: z.optional(tagListSchema),
      }),
    ),
    fields: z.optional(z.array(fieldComparisonSchema).check(z.maxLength(20))),
    created: z.optional(
      z.pipe(
        z
          .strictObject({
            after: z.optional(isoDateTime),
            before: z.optional(isoDateTime),
            withinDays: z.optional(z.int().check(z.minimum(1), z.maximum(3650))),
          })
          .check(
            z.refine((c) => !(c.after && c.withinDays), {
              message: 'use either after or withinDays, not both',
            }),
          ),
        z.transform((c) => ({
          ...c,
          ...(c.after ? { after: new Date(c.after).toISOString() } : {}),
          ...(c.before ? { before: new Date(c.before).toISOString() } : {}),
        })),
      ),
    ),
    engagement: z.optional(
      z.strictObject({
        type: z.enum(['opened', 'clicked']),
        withinDays: z.int().check(z.minimum(1), z.maximum(365)),
      }),
    ),
  }),
);

export const segmentRoutes = {
  createSegment: route({
    method: 'POST',
    path: '/v1/segments',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'Save a segment: tags (all/any/none), field comparisons, created date, engagement',
    body: z.lazy(() => z.strictObject({ name: shortText(200), filter: SegmentFilterBody })),
    responses: { 201: SegmentSchema },
  }),
  previewSegment: route({
    method: 'POST',
    path: '/v1/segments/preview',
    fn: 'segments-api',
    auth: 'admin',
    summary:
      'How many contacts a filter matches now, as a segment is built: exact up to 100 (`more`: over 100), and the most its index could hold',
    body: z.lazy(() => z.strictObject({ filter: SegmentFilterBody })),
    responses: {
      200: z.lazy(() =>
        z
          .object({ matched: z.number(), more: z.boolean(), estimatedCandidates: z.number() })
          .check(z.meta({ id: 'SegmentPreview' })),
      ),
      400: ErrorSchema,
    },
  }),
  listSegments: route({
    method: 'GET',
    path: '/v1/segments',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'List segments, newest first',
    query: listQuery,
    responses: { 200: page(SegmentSchema) },
  }),
  getSegment: route({
    method: 'GET',
    path: '/v1/segments/{id}',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'Get a segment',
    params: idParams,
    responses: { 200: SegmentSchema, 404: ErrorSchema },
  }),
  updateSegment: route({
    method: 'PATCH',
    path: '/v1/segments/{id}',
    fn: 'segments-api',
    auth: 'admin',
    summary:
      'Rename a segment or change its conditions, at its `version` (409 otherwise): SegmentChanged; contacts recorded in it that no longer match leave it, contacts that now match enter it (in the background)',
    params: idParams,
    body: z.lazy(() =>
      z
        .strictObject({
          version: z.int().check(z.minimum(1)),
          name: z.optional(shortText(200)),
          filter: z.optional(SegmentFilterBody),
        })
        .check(
          z.refine((b) => b.name !== undefined || b.filter !== undefined, {
            message: 'give a name, a filter or both',
          }),
        ),
    ),
    responses: { 200: SegmentSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteSegment: route({
    method: 'DELETE',
    path: '/v1/segments/{id}',
    fn: 'segments-api',
    auth: 'admin',
    summary:
      'Delete a segment at its `version` (409 otherwise): SegmentDeleted; its membership records go in the background. A segment an active workflow is triggered by is refused (409 `segment_in_use`, `details.workflows`)',
    params: idParams,
    query: z.lazy(() => z.strictObject({ version: z.coerce.number().check(z.int(), z.minimum(1)) })),
    responses: { 204: 'empty', 404: ErrorSchema, 409: ErrorSchema },
  }),
  segmentContacts: route({
    method: 'GET',
    path: '/v1/segments/{id}/contacts',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'One page of the segment’s contacts, read from its most selective index (the plan is returned)',
    params: idParams,
    query: listQuery,
    responses: {
      200: z.lazy(() =>
        z.object({
          items: z.array(ContactSchema),
          nextCursor: z.optional(z.string()),
          plan: z.object({
            sources: z.array(z.record(z.string(), z.string())),
            estimatedCandidates: z.number(),
          }),
          candidatesRead: z.number(),
        }),
      ),
      404: ErrorSchema,
    },
  }),
} as const satisfies Record<string, RouteDef>;
