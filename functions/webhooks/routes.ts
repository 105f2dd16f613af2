/** Webhook routes (webhooks-api): subscriptions, their delivery log, redelivery and a test send. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  ErrorSchema,
  idParams,
  idSchema,
  listQuery,
  nullableText,
  optionalText,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { WEBHOOK_EVENT_TYPES, WebhookDeliverySchema, WebhookSchema } from './model.js';

const eventTypes = z.lazy(() =>
  z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.minLength(1), z.maxLength(WEBHOOK_EVENT_TYPES.length)),
);
const filter = z.lazy(() => z.record(z.string(), z.unknown()));
const url = z.lazy(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)));
const deliveryParams = z.lazy(() => z.strictObject({ id: idSchema, deliveryId: idSchema }));

export const webhookRoutes = {
  createWebhook: route({
    method: 'POST',
    path: '/v1/webhooks',
    fn: 'webhooks-api',
    auth: 'admin',
    summary:
      'Subscribe a URL to events (optionally filtered on their detail, EventBridge-style); the signing secret is in this answer only',
    body: z.lazy(() =>
      z.strictObject({ url, description: optionalText(200), eventTypes, filter: z.optional(filter) }),
    ),
    responses: {
      201: z.lazy(() => z.object({ webhook: WebhookSchema, secret: z.string() })),
      409: ErrorSchema,
    },
  }),
  listWebhooks: route({
    method: 'GET',
    path: '/v1/webhooks',
    fn: 'webhooks-api',
    auth: 'admin',
    summary: 'List webhook subscriptions (never their secret), oldest first',
    responses: { 200: z.lazy(() => z.object({ items: z.array(WebhookSchema) })) },
  }),
  getWebhook: route({
    method: 'GET',
    path: '/v1/webhooks/{id}',
    fn: 'webhooks-api',
    auth: 'admin',
    summary: 'Get a webhook subscription',
    params: idParams,
    responses: { 200: WebhookSchema, 404: ErrorSchema },
  }),
  updateWebhook: route({
    method: 'PATCH',
    path: '/v1/webhooks/{id}',
    fn: 'webhooks-api',
    auth: 'admin',
    summary:
      'Change a subscription at its current `version` (409 otherwise); `enabled: true` turns a disabled one on again, its failures cleared; `filter: null` removes the filter',
    params: idParams,
    body: z.lazy(() =>
      z.strictObject({
        version: z.number().check(z.int(), z.minimum(1)),
        url: z.optional(url),
        description: nullableText(200),
        eventTypes: z.optional(eventTypes),
        filter: z.optional(z.nullable(filter)),
        enabled: z.optional(z.boolean()),
      }),
    ),
    responses: { 200: WebhookSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteWebhook: route({
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    fn: 'webhooks-api',
    auth: 'admin',
    summary: 'Delete a subscription (idempotent); its delivery log expires with its 30 days',
    params: idParams,
    responses: { 204: 'empty' },
  }),
  listWebhookDeliveries: route({
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    fn: 'webhooks-api',
    auth: 'admin',
    summary: 'The delivery log, newest first: status, attempts, response status, latency, error (30 days)',
    params: idParams,
    query: listQuery,
    responses: { 200: page(WebhookDeliverySchema), 404: ErrorSchema },
  }),
  redeliverWebhook: route({
    method: 'POST',
    path: '/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    fn: 'webhooks-api',
    auth: 'admin',
    summary:
      'Send a delivered, failed or skipped delivery again, as it was (409 while it is being attempted)',
    params: deliveryParams,
    responses: { 202: WebhookDeliverySchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  testWebhook: route({
    method: 'POST',
    path: '/v1/webhooks/{id}/test',
    fn: 'webhooks-api',
    auth: 'admin',
    summary: 'Send a test event (WebhookPinged) to the URL, enabled or not; its outcome is in the log',
    params: idParams,
    responses: { 202: WebhookDeliverySchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
