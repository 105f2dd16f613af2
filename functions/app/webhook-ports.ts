/**
 * The webhooks context's ports as its functions run them: the webhook queue (SQS), the POST to a
 * subscriber (node:https, 10 s, no redirects, private addresses refused unless local mode allows
 * them) and the policy that says so.
 */
import { sqsQueue } from '#platform/aws/chunk-queue.js';
import { optionalFlagEnv, requireEnv } from '#platform/config.js';
import { postOut } from '#platform/http/outbound.js';
import type { WebhookPolicy } from '#webhooks/rules.js';
import type { DeliveryQueue, WebhookPoster } from '#webhooks/store.js';

export const webhookPolicy: WebhookPolicy = {
  allowPrivate: optionalFlagEnv('WEBHOOKS_ALLOW_PRIVATE_TARGETS'),
};

const POST_TIMEOUT_MS = 10_000;

export function deliveryQueue(): DeliveryQueue {
  const queue = sqsQueue(requireEnv('WEBHOOK_QUEUE_URL'));
  return {
    send: (messages, delaySeconds) =>
      queue.send(
        messages.map((m) => ({ kind: 'webhook', ...m })),
        delaySeconds ? { delaySeconds } : {},
      ),
  };
}

export const webhookPoster: WebhookPoster = {
  async post(url, body, headers) {
    const result = await postOut(url, body, headers, {
      timeoutMs: POST_TIMEOUT_MS,
      allowPrivate: webhookPolicy.allowPrivate,
    });
    return result.status !== undefined
      ? { status: result.status, latencyMs: result.latencyMs }
      : { error: result.error ?? 'no answer', latencyMs: result.latencyMs };
  },
};
