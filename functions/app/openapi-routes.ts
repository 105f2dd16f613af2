/** The route of the OpenAPI document itself (openapi). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { type RouteDef, route } from '#platform/http/route.js';

export const openApiRoutes = {
  openapi: route({
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'openapi',
    auth: 'admin',
    summary: 'This OpenAPI document',
    responses: { 200: z.lazy(() => z.record(z.string(), z.unknown())) },
  }),
} as const satisfies Record<string, RouteDef>;
