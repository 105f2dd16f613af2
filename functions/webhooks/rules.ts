/**
 * Webhook subscriptions: created with the events they take (and an optional filter on the event's
 * detail), changed, enabled again after Tendril disabled them, deleted; their delivery log,
 * redelivering one delivery, and a test delivery. The signing secret is shown once, at creation.
 */
import { randomBytes } from 'node:crypto';
import type { ErrorDetail } from '#platform/errors.js';
import { conflict, DomainError, invalid, notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import { CommitConflict } from '#platform/store.js';
import { checkFilter, checkUrl } from './checks.js';
import { eventBody } from './delivery.js';
import {
  isFinished,
  MAX_WEBHOOKS,
  PING_TYPE,
  type Webhook,
  type WebhookDelivery,
  type WebhookEventType,
} from './model.js';
import type { DeliveryQueue, WebhooksDeps } from './store.js';

/** What a subscription may reach: private addresses only locally (WEBHOOKS_ALLOW_PRIVATE_TARGETS). */
export interface WebhookPolicy {
  allowPrivate: boolean;
}

export interface WebhookInput {
  url: string;
  description?: string | undefined;
  eventTypes: WebhookEventType[];
  filter?: Record<string, unknown> | undefined;
}

function checked(input: Partial<WebhookInput>, policy: WebhookPolicy) {
  const problems: ErrorDetail[] = [
    ...(input.url !== undefined ? checkUrl(input.url, policy.allowPrivate) : []),
    ...(input.filter !== undefined ? checkFilter(input.filter) : []),
  ];
  if (problems.length > 0) throw invalid('validation_error', 'the webhook is not valid', problems);
}

export async function createWebhook(
  deps: WebhooksDeps,
  policy: WebhookPolicy,
  input: WebhookInput,
): Promise<{ webhook: Webhook; secret: string }> {
  checked(input, policy);
  const now = deps.clock.now().toISOString();
  const webhook: Webhook = {
    id: deps.ids.next(),
    url: new URL(input.url).href,
    ...(input.description ? { description: input.description } : {}),
    eventTypes: [...new Set(input.eventTypes)].sort(),
    ...(input.filter ? { filter: input.filter } : {}),
    enabled: true,
    consecutiveFailures: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  try {
    await deps.store.commit([{ kind: 'createWebhook', webhook, secret }]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'limit')
      throw conflict('too_many_webhooks', `at most ${MAX_WEBHOOKS} webhooks; delete one first`);
    throw err;
  }
  return { webhook, secret };
}

export const listWebhooks = (deps: WebhooksDeps): Promise<Webhook[]> => deps.store.listWebhooks();

export async function getWebhook(deps: WebhooksDeps, id: string): Promise<Webhook> {
  const found = await deps.store.getWebhook(id);
  if (!found) throw notFound('webhook', id);
  return found.webhook;
}

/** A change at the version the client read (409 otherwise); enabling again clears the failures. */
export async function updateWebhook(
  deps: WebhooksDeps,
  policy: WebhookPolicy,
  id: string,
  patch: Omit<Partial<WebhookInput>, 'filter' | 'description'> & {
    description?: string | null | undefined;
    enabled?: boolean | undefined;
    filter?: Record<string, unknown> | null | undefined;
    version: number;
  },
): Promise<Webhook> {
  const found = await deps.store.getWebhook(id);
  if (!found) throw notFound('webhook', id);
  const { webhook } = found;
  if (webhook.version !== patch.version) throw staleVersion(webhook);
  checked({ url: patch.url, filter: patch.filter ?? undefined }, policy);
  const now = deps.clock.now().toISOString();
  const set: Partial<Webhook> = { updatedAt: now };
  const remove: Array<keyof Webhook> = [];
  if (patch.url !== undefined) set.url = new URL(patch.url).href;
  if (patch.description === null) remove.push('description');
  else if (patch.description !== undefined) set.description = patch.description;
  if (patch.eventTypes) set.eventTypes = [...new Set(patch.eventTypes)].sort();
  if (patch.filter === null) remove.push('filter');
  else if (patch.filter) set.filter = patch.filter;
  if (patch.enabled === true && !webhook.enabled) {
    // On again: its failures start over.
    Object.assign(set, { enabled: true, consecutiveFailures: 0 });
    remove.push('disabledReason', 'disabledAt', 'failingSince');
  } else if (patch.enabled === false && webhook.enabled)
    Object.assign(set, { enabled: false, disabledReason: 'turned off by a user', disabledAt: now });
  try {
    await deps.store.commit([{ kind: 'changeWebhook', id, set, remove, expectedVersion: webhook.version }]);
  } catch (err) {
    if (err instanceof CommitConflict) throw staleVersion(webhook);
    throw err;
  }
  return getWebhook(deps, id);
}

const staleVersion = (webhook: Webhook) =>
  new DomainError('conflict', 'version_conflict', 'the webhook was changed meanwhile; load it again', {
    currentVersion: webhook.version,
  });

export async function deleteWebhook(deps: WebhooksDeps, id: string): Promise<void> {
  const found = await deps.store.getWebhook(id);
  if (!found) return;
  try {
    await deps.store.commit([{ kind: 'deleteWebhook', id, expectedVersion: found.webhook.version }]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    // Changed meanwhile (edited, or turned off after a day of failures): delete what is there now.
    await deleteWebhook(deps, id);
  }
}

export async function listDeliveries(
  deps: WebhooksDeps,
  id: string,
  options: ListOptions,
): Promise<Page<WebhookDelivery>> {
  await getWebhook(deps, id);
  return deps.store.listDeliveries(id, options);
}

/** Sends a delivery again, as it was, with a new series of attempts (not while one is under way: 409). */
export async function redeliver(
  deps: WebhooksDeps,
  queue: DeliveryQueue,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const webhook = await getWebhook(deps, webhookId);
  if (!webhook.enabled) throw conflict('webhook_off', 'the webhook is turned off; turn it on to send again');
  const delivery = await deps.store.getDelivery(webhookId, deliveryId);
  if (!delivery) throw notFound('delivery', deliveryId);
  if (!isFinished(delivery))
    throw conflict('delivery_in_flight', 'this delivery is still being attempted; wait for its outcome');
  const { nextAttemptAt: _n, leaseUntil: _l, error: _e, ...rest } = delivery;
  const next: WebhookDelivery = {
    ...rest,
    status: 'pending',
    retryFrom: delivery.attempts,
    version: delivery.version + 1,
  };
  try {
    await deps.store.commit([{ kind: 'putDelivery', delivery: next, expectedVersion: delivery.version }]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('delivery_in_flight', 'this delivery was redelivered meanwhile');
    throw err;
  }
  await queue.send([{ webhookId, deliveryId, attempt: delivery.attempts + 1 }]);
  return next;
}

/** A test event (`WebhookPinged`) to the subscription's URL, whether it is enabled or not; see the log. */
export async function sendTest(
  deps: WebhooksDeps,
  queue: DeliveryQueue,
  webhookId: string,
): Promise<WebhookDelivery> {
  const webhook = await getWebhook(deps, webhookId);
  const now = deps.clock.now().toISOString();
  const id = deps.ids.next();
  const delivery: WebhookDelivery = {
    id,
    webhookId,
    eventType: PING_TYPE,
    status: 'pending',
    payload: eventBody({
      id,
      type: PING_TYPE,
      source: 'tendril.webhooks',
      occurredAt: now,
      data: { webhookId: webhook.id },
    }),
    attempts: 0,
    retryFrom: 0,
    createdAt: now,
    version: 1,
  };
  await deps.store.commit([{ kind: 'putDelivery', delivery }]);
  await queue.send([{ webhookId, deliveryId: id, attempt: 1 }]);
  return delivery;
}
