/** Report routes (reports-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { type RouteDef, route } from '#platform/http/route.js';
import { DashboardSchema } from './model.js';

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
} as const satisfies Record<string, RouteDef>;
