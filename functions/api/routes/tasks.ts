/** Task and follow-up routes (tasks-api). */
import * as z from 'zod/mini';
import '../../core/zod-messages.js';
import { TASK_STATUSES } from '../../core/model.js';
import { shortText } from '../../core/values.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  isoDateTime,
  limitSchema,
  listQuery,
  ownerSchema,
  page,
  type RouteDef,
  route,
} from '../route.js';

export const TaskBody = z.strictObject({
  title: shortText(500),
  dueAt: isoDateTime,
  contactId: z.optional(idSchema),
  dealId: z.optional(idSchema),
  owner: z.optional(ownerSchema),
});

export const TaskPatchBody = z.strictObject({
  version: z.int().check(z.minimum(1)),
  title: z.optional(shortText(500)),
  dueAt: z.optional(isoDateTime),
  status: z.optional(z.enum(TASK_STATUSES)),
  owner: z.optional(z.nullable(ownerSchema)),
});

export const TaskSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    dueAt: z.string(),
    status: z.enum(TASK_STATUSES),
    contactId: z.optional(z.string()),
    dealId: z.optional(z.string()),
    owner: z.optional(z.string()),
    source: z.optional(z.object({ workflowId: z.string(), enrollmentId: z.string(), stepId: z.string() })),
    remindedAt: z.optional(z.string()),
    completedAt: z.optional(z.string()),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .check(z.meta({ id: 'Task' }));

export const FollowUpBody = z.strictObject({ templateId: idSchema, sendAt: isoDateTime });

export const FollowUpSchema = z
  .object({
    id: z.string(),
    contactId: z.string(),
    templateId: z.string(),
    sendAt: z.string(),
    status: z.enum(['scheduled', 'sending', 'sent', 'cancelled', 'skipped']),
    reason: z.optional(z.string()),
    scheduleName: z.string(),
    messageId: z.optional(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .check(z.meta({ id: 'FollowUp' }));

export const taskRoutes = {
  createTask: route({
    method: 'POST',
    path: '/v1/tasks',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Create a follow-up task; a reminder fires at dueAt',
    body: TaskBody,
    responses: { 201: TaskSchema, 400: ErrorSchema },
  }),
  listTasks: route({
    method: 'GET',
    path: '/v1/tasks',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Tasks by status (default open), optionally of one owner and due before a time; soonest first',
    query: z.strictObject({
      limit: limitSchema,
      cursor: cursorSchema,
      status: z._default(z.enum(TASK_STATUSES), 'open'),
      owner: z.optional(ownerSchema),
      dueBefore: z.optional(
        z.pipe(
          isoDateTime,
          z.transform((d) => new Date(d).toISOString()),
        ),
      ),
    }),
    responses: { 200: page(TaskSchema) },
  }),
  getTask: route({
    method: 'GET',
    path: '/v1/tasks/{id}',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Get a task',
    params: idParams,
    responses: { 200: TaskSchema, 404: ErrorSchema },
  }),
  patchTask: route({
    method: 'PATCH',
    path: '/v1/tasks/{id}',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Edit, complete (status done) or reopen a task; `version` must be current',
    params: idParams,
    body: TaskPatchBody,
    responses: { 200: TaskSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  createFollowUp: route({
    method: 'POST',
    path: '/v1/contacts/{id}/follow-ups',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Schedule a one-time follow-up email (EventBridge Scheduler at()); sendAt must be in the future',
    params: idParams,
    body: FollowUpBody,
    responses: { 201: FollowUpSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  listFollowUps: route({
    method: 'GET',
    path: '/v1/contacts/{id}/follow-ups',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'The contact’s follow-ups, by send time',
    params: idParams,
    query: listQuery,
    responses: { 200: page(FollowUpSchema), 404: ErrorSchema },
  }),
  cancelFollowUp: route({
    method: 'DELETE',
    path: '/v1/follow-ups/{id}',
    fn: 'tasks-api',
    auth: 'admin',
    summary:
      'Cancel a scheduled follow-up (409 while its email is being sent, or once sent, skipped or cancelled)',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
