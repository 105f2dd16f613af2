/**
 * Delivering events to subscriptions. The fan-out makes one delivery per matching subscription and
 * event (a record, then a queue message); each message is one attempt: the delivery is claimed with
 * a lease, POSTed signed, and either recorded delivered or followed by the next attempt, later
 * (30 s doubling to 15 min, MAX_ATTEMPTS in all) — so a crash or a redelivered message never loses a
 * delivery, and never sends one twice at once. A subscription failing for a day is disabled.
 *
 * Signature: `Tendril-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the
 * subscription's secret>`; receivers check it and refuse a `t` over five minutes old (verifySignature).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { matchesPattern, type Pattern } from '#platform/pattern-match.js';
import { CommitConflict } from '#platform/store.js';
import {
  DISABLE_AFTER,
  isFinished,
  MAX_ATTEMPTS,
  PING_TYPE,
  retryDelaySeconds,
  type Webhook,
  type WebhookDelivery,
  type WebhookMessage,
} from './model.js';
import type { DeliveryQueue, WebhookPoster, WebhooksDeps } from './store.js';

/** How long a claimed attempt may take before another worker may take the delivery over. */
const LEASE_MS = 45_000;
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const eventBody = (event: {
  id: string;
  type: string;
  source: string;
  occurredAt: string;
  data: unknown;
}) => JSON.stringify(event);

export function signature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver does with `Tendril-Signature`: true for this body and secret, signed within the tolerance. */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
  const given = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!Number.isFinite(t) || !given) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

export interface TendrilEventLike {
  source: string;
  detailType: string;
  detail: { eventId: string; occurredAt: string } & Record<string, unknown>;
}

const wants = (webhook: Webhook, event: TendrilEventLike) =>
  webhook.enabled &&
  webhook.eventTypes.includes(event.detailType) &&
  (!webhook.filter || matchesPattern(webhook.filter as Pattern, event.detail));

/** One delivery per subscription that wants the event; redelivered events change nothing. */
export async function fanOut(
  deps: WebhooksDeps,
  queue: DeliveryQueue,
  event: TendrilEventLike,
): Promise<number> {
  const subscribers = (await deps.store.listWebhooks()).filter((w) => wants(w, event));
  const now = deps.clock.now().toISOString();
  const { eventId } = event.detail;
  const messages: Array<Omit<WebhookMessage, 'kind'>> = [];
  for (const webhook of subscribers) {
    const delivery: WebhookDelivery = {
      id: eventId,
      webhookId: webhook.id,
      eventType: event.detailType,
      status: 'pending',
      payload: eventBody({
        id: eventId,
        type: event.detailType,
        source: event.source,
        occurredAt: event.detail.occurredAt,
        data: event.detail,
      }),
      attempts: 0,
      retryFrom: 0,
      createdAt: now,
      version: 1,
    };
    try {
      await deps.store.commit([{ kind: 'putDelivery', delivery }]);
    } catch (err) {
      if (!(err instanceof CommitConflict)) throw err;
      // Made by an earlier delivery of this event: queued again only if it never started.
      const existing = await deps.store.getDelivery(webhook.id, eventId);
      if (!existing || existing.attempts > 0 || existing.status !== 'pending') continue;
    }
    messages.push({ webhookId: webhook.id, deliveryId: eventId, attempt: 1 });
  }
  if (messages.length > 0) await queue.send(messages);
  return messages.length;
}

export type AttemptOutcome =
  | 'delivered'
  | 'retrying'
  | 'failed'
  | 'skipped'
  /** A duplicate or superseded message: nothing to do. */
  | 'stale'
  /** Another worker holds the delivery: the message was queued again for when its lease is over. */
  | 'deferred';

export async function attemptDelivery(
  deps: WebhooksDeps,
  ports: { queue: DeliveryQueue; poster: WebhookPoster },
  message: Pick<WebhookMessage, 'webhookId' | 'deliveryId' | 'attempt'>,
): Promise<{ outcome: AttemptOutcome; disabled?: boolean }> {
  const delivery = await deps.store.getDelivery(message.webhookId, message.deliveryId);
  if (!delivery || isFinished(delivery)) return { outcome: 'stale' };
  // The next attempt, or this very attempt again: its worker died after claiming it (SQS delivers the
  // message again) — taken over once its lease is over. Any other message is a duplicate.
  const next = message.attempt === delivery.attempts + 1;
  const crashed = message.attempt === delivery.attempts && delivery.status === 'sending';
  if (!next && !crashed) return { outcome: 'stale' };
  const now = deps.clock.now();
  const leaseLeft = Date.parse(delivery.leaseUntil ?? '') - now.getTime();
  if (delivery.status === 'sending' && leaseLeft > 0) {
    // Another worker holds it: this message comes back when the lease is over (a delay, not a failed
    // receive: the queue's receives are not spent waiting).
    await ports.queue.send([message], Math.min(900, Math.ceil(leaseLeft / 1000)));
    return { outcome: 'deferred' };
  }
  const found = await deps.store.getWebhook(message.webhookId);
  if (!found || (!found.webhook.enabled && delivery.eventType !== PING_TYPE)) {
    const reason = found ? 'the webhook is disabled' : 'the webhook was deleted';
    const { responseStatus: _s, latencyMs: _l, nextAttemptAt: _n, ...rest } = delivery;
    await record(deps, delivery, {
      ...rest,
      status: 'skipped',
      error: reason,
      version: delivery.version + 1,
    });
    return { outcome: 'skipped' };
  }
  const claimed: WebhookDelivery = {
    ...delivery,
    status: 'sending',
    attempts: message.attempt,
    lastAttemptAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
    version: delivery.version + 1,
  };
  if (!(await record(deps, delivery, claimed))) return { outcome: 'stale' };

  const result = await ports.poster.post(found.webhook.url, delivery.payload, {
    'content-type': 'application/json',
    'user-agent': 'Tendril-Webhooks/1',
    'tendril-event-id': delivery.id,
    'tendril-event-type': delivery.eventType,
    'tendril-delivery-attempt': String(message.attempt),
    'tendril-signature': signature(found.secret, delivery.payload, deps.clock.now()),
  });
  const ok = 'status' in result && result.status >= 200 && result.status < 300;
  const inSeries = message.attempt - delivery.retryFrom;
  const final = !ok && inSeries >= MAX_ATTEMPTS;
  const delay = retryDelaySeconds(inSeries);
  // The next attempt is queued before this one is recorded: a crash in between loses nothing.
  if (!ok && !final) await ports.queue.send([{ ...message, attempt: message.attempt + 1 }], delay);
  const { leaseUntil: _l, nextAttemptAt: _n, error: _e, responseStatus: _s, ...rest } = claimed;
  const outcome: AttemptOutcome = ok ? 'delivered' : final ? 'failed' : 'retrying';
  await record(deps, claimed, {
    ...rest,
    status: outcome as WebhookDelivery['status'],
    latencyMs: result.latencyMs,
    ...('status' in result ? { responseStatus: result.status } : {}),
    ...('error' in result ? { error: result.error } : {}),
    ...(!ok && !final
      ? { nextAttemptAt: new Date(deps.clock.now().getTime() + delay * 1000).toISOString() }
      : {}),
    version: claimed.version + 1,
  });
  const disabled = await countOutcome(deps, message.webhookId, ok);
  return { outcome, ...(disabled ? { disabled } : {}) };
}

/** Writes the delivery at the version read; false when someone else changed it first. */
async function record(deps: WebhooksDeps, read: WebhookDelivery, next: WebhookDelivery): Promise<boolean> {
  try {
    await deps.store.commit([{ kind: 'putDelivery', delivery: next, expectedVersion: read.version }]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false;
    throw err;
  }
}

/**
 * A success clears the subscription's failures; a failure counts, and turns it off once it has
 * failed DISABLE_AFTER.failures attempts in a row over DISABLE_AFTER.hours. True when it was turned off now.
 */
async function countOutcome(deps: WebhooksDeps, webhookId: string, ok: boolean): Promise<boolean> {
  const now = deps.clock.now();
  try {
    await deps.store.commit([{ kind: 'countWebhookAttempt', id: webhookId, ok, at: now.toISOString() }]);
  } catch (err) {
    if (err instanceof CommitConflict) return false; // deleted meanwhile
    throw err;
  }
  if (ok) return false;
  const found = await deps.store.getWebhook(webhookId);
  if (!found?.webhook.enabled || found.webhook.consecutiveFailures < DISABLE_AFTER.failures) return false;
  try {
    await deps.store.commit([
      {
        kind: 'disableWebhook',
        id: webhookId,
        reason: `every attempt failed for ${DISABLE_AFTER.hours} hours (${found.webhook.consecutiveFailures} in a row)`,
        at: now.toISOString(),
        minFailures: DISABLE_AFTER.failures,
        failingBefore: new Date(now.getTime() - DISABLE_AFTER.hours * 3600_000).toISOString(),
      },
    ]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false; // not failing long enough, or off already
    throw err;
  }
}
