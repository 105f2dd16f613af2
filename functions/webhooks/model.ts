/**
 * Webhooks: subscriptions of another system to Tendril's events, each delivered to its URL as a
 * signed POST, with a log of every delivery. One schema per record.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

/** The events a subscription may take (the webhook rule's detail-types). */
import { WEBHOOK_EVENT_TYPES } from '#platform/event-rules.js';

export { WEBHOOK_EVENT_TYPES };
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** The type of a test delivery (`POST /v1/webhooks/{id}/test`). */
export const PING_TYPE = 'WebhookPinged';

/** At most this many subscriptions (each event reads them all: one Query). */
export const MAX_WEBHOOKS = 20;
/** Attempts of one delivery before it is failed: 30 s, 1, 2, 4, 8, then every 15 minutes (about 1.5 h in all). */
export const MAX_ATTEMPTS = 10;
/** The pause before attempt `n + 1` after `n` failed (SQS delays a message at most 15 minutes). */
export const retryDelaySeconds = (attempt: number) => Math.min(900, 30 * 2 ** (attempt - 1));
/** A subscription is disabled when it has failed this many attempts in a row over at least a day. */
export const DISABLE_AFTER = { failures: 20, hours: 24 } as const;
/** How long delivery records are kept (TTL). */
export const DELIVERY_LOG_DAYS = 30;

export const WebhookSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      url: z.string(),
      description: z.optional(z.string()),
      eventTypes: z.array(z.string()),
      /** An EventBridge-style pattern the event's detail must match (e.g. `{"source":["shop"]}`). */
      filter: z.optional(z.record(z.string(), z.unknown())),
      enabled: z.boolean(),
      /** Why it was disabled (by Tendril after persistent failure, or by a user). */
      disabledReason: z.optional(z.string()),
      disabledAt: z.optional(z.string()),
      /** Attempts failed in a row, and when the first of them failed (reset by a success). */
      consecutiveFailures: z.number(),
      failingSince: z.optional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
      version: z.number(),
    })
    .check(z.meta({ id: 'Webhook' })),
);
export type Webhook = z.infer<typeof WebhookSchema>;

export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'retrying',
  'delivered',
  'failed',
  'skipped',
] as const;

export const WebhookDeliverySchema = z.lazy(() =>
  z
    .object({
      /** The event's id (one delivery per subscription and event). */
      id: z.string(),
      webhookId: z.string(),
      eventType: z.string(),
      status: z.enum(DELIVERY_STATUSES),
      /** The body as sent (so a redelivery sends the same event). */
      payload: z.string(),
      attempts: z.number(),
      /** Attempts made before the latest redelivery: each series gets MAX_ATTEMPTS. */
      retryFrom: z.number(),
      createdAt: z.string(),
      lastAttemptAt: z.optional(z.string()),
      nextAttemptAt: z.optional(z.string()),
      /** The last attempt's HTTP status, latency and error (a timeout, a refused connection). */
      responseStatus: z.optional(z.number()),
      latencyMs: z.optional(z.number()),
      error: z.optional(z.string()),
      /** A claim's end: another worker may take the delivery over after it. */
      leaseUntil: z.optional(z.string()),
      version: z.number(),
    })
    .check(z.meta({ id: 'WebhookDelivery' })),
);
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** A delivery no attempt is under way for: delivered, failed or skipped (it may be sent again). */
export const isFinished = (d: Pick<WebhookDelivery, 'status'>) =>
  d.status === 'delivered' || d.status === 'failed' || d.status === 'skipped';

/** A message of the webhook queue: attempt `attempt` of one delivery. */
export const WebhookMessageSchema = z.lazy(() =>
  z.object({
    kind: z.literal('webhook'),
    webhookId: z.string(),
    deliveryId: z.string(),
    attempt: z.number(),
  }),
);
export type WebhookMessage = z.infer<typeof WebhookMessageSchema>;
