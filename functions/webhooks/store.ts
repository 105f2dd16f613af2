/** Webhooks' storage port: subscriptions (with their signing secret) and their delivery log. */
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Webhook, WebhookDelivery } from './model.js';

export type WebhooksWrite =
  /** A new subscription, counted toward the limit (a conflict, part `limit`, past it). */
  | { kind: 'createWebhook'; webhook: Webhook; secret: string }
  | { kind: 'deleteWebhook'; id: string; expectedVersion: number }
  /**
   * A user's change of a subscription at that version (else a conflict): the attributes of `set`
   * written, those of `remove` removed, the version moved on. Its failure count is left alone.
   */
  | {
      kind: 'changeWebhook';
      id: string;
      set: Partial<Webhook>;
      remove: Array<keyof Webhook>;
      expectedVersion: number;
    }
  /** An attempt's outcome on the subscription's failure count (a success clears it); no version change. */
  | { kind: 'countWebhookAttempt'; id: string; ok: boolean; at: string }
  /**
   * Turns a subscription off when it is still on and has failed at least `minFailures` attempts in a
   * row since before `failingBefore` (else a conflict).
   */
  | {
      kind: 'disableWebhook';
      id: string;
      reason: string;
      at: string;
      minFailures: number;
      failingBefore: string;
    }
  /**
   * A delivery created (`expectedVersion` absent: a conflict when it exists, i.e. the event was
   * delivered to this subscription already) or changed at that version.
   */
  | { kind: 'putDelivery'; delivery: WebhookDelivery; expectedVersion?: number };

export interface WebhooksReads {
  getWebhook(id: string): Promise<{ webhook: Webhook; secret: string } | undefined>;
  /** Every subscription (at most MAX_WEBHOOKS), oldest first. */
  listWebhooks(): Promise<Webhook[]>;
  getDelivery(webhookId: string, deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** A subscription's deliveries, newest first. */
  listDeliveries(webhookId: string, options: ListOptions): Promise<Page<WebhookDelivery>>;
}

export type WebhooksStore = WebhooksReads & Commit<WebhooksWrite>;
export type WebhooksDeps = Deps<WebhooksStore>;

/** Where deliveries are queued (SQS: the webhook queue), each after `delaySeconds`. */
export interface DeliveryQueue {
  send(
    messages: Array<{ webhookId: string; deliveryId: string; attempt: number }>,
    delaySeconds?: number,
  ): Promise<void>;
}

/** An HTTP POST to a subscriber: its status, or the error that kept it from answering. */
export interface WebhookPoster {
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; latencyMs: number } | { error: string; latencyMs: number }>;
}
