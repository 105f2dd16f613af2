/** Follow-up routes (follow-ups-api): one-time emails to one contact at a chosen time. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  ErrorSchema,
  idParams,
  idSchema,
  isoDateTime,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { FollowUpSchema } from './model.js';

export const FollowUpBody = z.lazy(() => z.strictObject({ templateId: idSchema, sendAt: isoDateTime }));

export const followUpRoutes = {
  createFollowUp: route({
    method: 'POST',
    path: '/v1/contacts/{id}/follow-ups',
    fn: 'follow-ups-api',
    auth: 'admin',
    summary: 'Schedule a one-time follow-up email (EventBridge Scheduler at()); sendAt must be in the future',
    params: idParams,
    body: FollowUpBody,
    responses: { 201: FollowUpSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  listFollowUps: route({
    method: 'GET',
    path: '/v1/contacts/{id}/follow-ups',
    fn: 'follow-ups-api',
    auth: 'admin',
    summary: 'The contact’s follow-ups, by send time',
    params: idParams,
    query: listQuery,
    responses: { 200: page(FollowUpSchema), 404: ErrorSchema },
  }),
  cancelFollowUp: route({
    method: 'DELETE',
    path: '/v1/follow-ups/{id}',
    fn: 'follow-ups-api',
    auth: 'admin',
    summary:
      'Cancel a scheduled follow-up (409 while its email is being sent, or once sent, skipped or cancelled)',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
