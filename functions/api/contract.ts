/**
 * The HTTP API contract: every route with its zod schemas. The Lambda routers, the local HTTP adapter,
 * the CDK routes and the OpenAPI document are all derived from this one table. Routes are defined by
 * area in routes/*.ts (each handler imports only its own area); this module joins them.
 */
import * as z from 'zod/mini';
import '../core/zod-messages.js';
import { type RouteDef, route } from './route.js';
import { contactRoutes } from './routes/contacts.js';
import { contactIoRoutes } from './routes/contacts-io.js';
import { formRoutes, publicFormRoutes } from './routes/forms.js';
import { salesRoutes } from './routes/sales.js';
import { segmentRoutes } from './routes/segments.js';
import { taskRoutes } from './routes/tasks.js';
import { templateRoutes } from './routes/templates.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { workflowRoutes } from './routes/workflows.js';

export * from './route.js';
export * from './routes/contacts.js';
export * from './routes/contacts-io.js';
export * from './routes/forms.js';
export * from './routes/sales.js';
export * from './routes/segments.js';
export * from './routes/tasks.js';
export * from './routes/templates.js';
export * from './routes/unsubscribe.js';
export * from './routes/workflows.js';

export const openApiRoutes = {
  openapi: route({
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'openapi',
    auth: 'admin',
    summary: 'This OpenAPI document',
    responses: { 200: z.looseObject({}) },
  }),
} as const satisfies Record<string, RouteDef>;

export const api = {
  ...contactRoutes,
  ...formRoutes,
  ...publicFormRoutes,
  ...templateRoutes,
  ...workflowRoutes,
  ...unsubscribeRoutes,
  ...salesRoutes,
  ...taskRoutes,
  ...segmentRoutes,
  ...contactIoRoutes,
  ...openApiRoutes,
} as const satisfies Record<string, RouteDef>;

export type Api = typeof api;
export type RouteName = keyof Api;
