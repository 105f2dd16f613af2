/**
 * SQS consumer of the webhook queue: one attempt of one delivery per message (webhooks/delivery.ts).
 * A subscriber's failures are the delivery's (logged, retried later by a message of its own, then
 * failed); only Tendril's own errors fail the message, which the queue delivers again and, after its
 * maximum receives, dead-letters (alarmed).
 */
import { chunkConsumer } from '#app/chunk-consumer.js';
import { depsOf } from '#app/runtime.js';
import { deliveryQueue, webhookPoster } from '#app/webhook-ports.js';
import { logger } from '#platform/logger.js';
import { attemptDelivery } from '#webhooks/delivery.js';
import { WebhookMessageSchema } from '#webhooks/model.js';
import { webhooksStore } from '#webhooks/store-dynamo.js';

const deps = depsOf(webhooksStore);
const ports = { queue: deliveryQueue(), poster: webhookPoster };

export const handler = chunkConsumer('webhook-deliveries', async (body, context) => {
  const message = WebhookMessageSchema.parse(body);
  const { outcome, disabled } = await attemptDelivery(deps, ports, message);
  if (outcome === 'delivered') context.metrics.count('WebhookDelivered');
  if (outcome === 'retrying' || outcome === 'failed') context.metrics.count('WebhookAttemptFailed');
  if (outcome === 'failed') context.metrics.count('WebhookDeliveryFailed');
  if (disabled) {
    context.metrics.count('WebhookDisabled');
    logger.warn('webhook disabled after failing for a day', { webhookId: message.webhookId });
  }
  logger.info('webhook attempt', { ...message, outcome });
});
