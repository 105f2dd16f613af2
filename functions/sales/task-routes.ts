/**
 * Task routes (tasks-api). An owner given is a user (GET /v1/users: an id, or a user's email, stored
 * as that user's id); a task's older free-text owner is kept until the owner is changed.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  isoDateTime,
  limitSchema,
  ownerSchema,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import { TASK_STATUSES, TaskSchema } from './model.js';

const notesSchema = z.lazy(() => z.string().check(z.trim(), z.maxLength(5000)));

export const TaskBody = z.lazy(() =>
  z.strictObject({
    title: shortText(500),
    dueAt: isoDateTime,
    contactId: z.optional(idSchema),
    dealId: z.optional(idSchema),
    owner: z.optional(ownerSchema),
    notes: z.optional(notesSchema),
  }),
);

export const TaskPatchBody = z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    title: z.optional(shortText(500)),
    dueAt: z.optional(isoDateTime),
    status: z.optional(z.enum(TASK_STATUSES)),
    owner: z.optional(z.nullable(ownerSchema)),
    /** null or empty: no notes. */
    notes: z.optional(z.nullable(notesSchema)),
  }),
);

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
    summary:
      'Tasks by status (default open), optionally of one owner (a user id), due at or after `dueAfter` and before `dueBefore`; soonest first (done: latest first)',
    query: z.lazy(() =>
      z.strictObject({
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
        dueAfter: z.optional(
          z.pipe(
            isoDateTime,
            z.transform((d) => new Date(d).toISOString()),
          ),
        ),
      }),
    ),
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
    summary:
      'Edit (title, due, owner, notes), complete (status done) or reopen a task; `version` must be current (409 otherwise)',
    params: idParams,
    body: TaskPatchBody,
    responses: { 200: TaskSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
