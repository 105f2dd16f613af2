/** Report routes (reports-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, idParams, listQuery, page, type RouteDef, route } from '#platform/http/route.js';
import { DashboardSchema, DealAttributionSchema } from './model.js';

const dayParam = z.lazy(() => z.iso.date());

export const reportRoutes = {
  dashboard: route({
    method: 'GET',
    path: '/v1/reports/dashboard',
    fn: 'reports-api',
    auth: 'admin',
    summary:
      'Leads per day by source, tag counts, pipeline value by stage, email engagement, follow-ups due, customer service metrics',
    query: z.lazy(() => z.strictObject({ from: z.optional(dayParam), to: z.optional(dayParam) })),
    responses: { 200: DashboardSchema },
  }),
  listWonDeals: route({
    method: 'GET',
    path: '/v1/reports/won-deals',
    fn: 'reports-api',
    auth: 'admin',
    summary: 'Won deals with their contact’s first and latest marketing touch when won, the latest won first',
    query: listQuery,
    responses: { 200: page(DealAttributionSchema) },
  }),
  getDealAttribution: route({
    method: 'GET',
    path: '/v1/deals/{id}/attribution',
    fn: 'reports-api',
    auth: 'admin',
    summary:
      'A won deal’s attribution: its contact’s first and latest marketing touch when it was won (404 until won)',
    params: idParams,
    responses: { 200: DealAttributionSchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
