/** A contact's deals (pipelines-api) and tasks (tasks-api), for the contact page. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, idParams, type RouteDef, route } from '#platform/http/route.js';
import { DealSchema, TASK_STATUSES, TaskSchema } from './model.js';

export const contactSalesRoutes = {
  listContactDeals: route({
    method: 'GET',
    path: '/v1/contacts/{id}/deals',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'The contact’s deals (up to 50), newest first',
    params: idParams,
    responses: { 200: z.lazy(() => z.object({ items: z.array(DealSchema) })), 404: ErrorSchema },
  }),
  listContactTasks: route({
    method: 'GET',
    path: '/v1/contacts/{id}/tasks',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'The contact’s tasks by status (default open, up to 100), soonest due first',
    params: idParams,
    query: z.lazy(() => z.strictObject({ status: z._default(z.enum(TASK_STATUSES), 'open') })),
    responses: { 200: z.lazy(() => z.object({ items: z.array(TaskSchema) })), 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
