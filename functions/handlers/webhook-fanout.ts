/**
 * EventBridge target for every event a webhook may take: one delivery per subscription that wants
 * it, queued (webhooks/delivery.ts fanOut). A redelivered event changes nothing.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { deliveryQueue } from '#app/webhook-ports.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { fanOut } from '#webhooks/delivery.js';
import { webhooksStore } from '#webhooks/store-dynamo.js';

const deps = depsOf(webhooksStore);
const queue = deliveryQueue();

export const handler = lambdaHandler('webhook-fanout', async (event: EventBridgeEvent<string, unknown>) => {
  const parsed = parseEvent(event['detail-type'], event.detail);
  return { queued: await fanOut(deps, queue, parsed) };
});
