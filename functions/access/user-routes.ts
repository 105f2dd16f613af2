/**
 * User routes (served by tasks-api, which checks owners against the same directory): who may own
 * records, and who is signed in. Adding users works in local mode only (the cloud's users are the
 * Cognito user pool's: 403 there).
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, type RouteDef, route } from '#platform/http/route.js';
import { emailSchema, shortText } from '#platform/values.js';
import { UserSchema } from './model.js';

export const userRoutes = {
  listUsers: route({
    method: 'GET',
    path: '/v1/users',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Users who may own contacts, deals and tasks (id, name, email), by name',
    responses: { 200: z.lazy(() => z.object({ items: z.array(UserSchema) })) },
  }),
  getMe: route({
    method: 'GET',
    path: '/v1/me',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'The signed-in user (from the token: the local admin in local mode)',
    responses: { 200: UserSchema, 400: ErrorSchema },
  }),
  createUser: route({
    method: 'POST',
    path: '/v1/users',
    fn: 'tasks-api',
    auth: 'admin',
    summary: "Add a user to local mode's user list (in the cloud users are managed in Cognito: 403)",
    body: z.lazy(() => z.strictObject({ name: shortText(200), email: emailSchema })),
    responses: { 201: UserSchema, 400: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
