import { depsOf } from '#app/runtime.js';
import { deliveryQueue, webhookPolicy } from '#app/webhook-ports.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { webhookRoutes as routes } from '#webhooks/routes.js';
import * as webhooks from '#webhooks/rules.js';
import { webhooksStore } from '#webhooks/store-dynamo.js';

const deps = depsOf(webhooksStore);
const queue = deliveryQueue();

export const handler = httpHandler([
  operation(routes.createWebhook, async ({ body }) => ({
    status: 201,
    body: await webhooks.createWebhook(deps, webhookPolicy, body),
  })),
  operation(routes.listWebhooks, async () => ({
    status: 200,
    body: { items: await webhooks.listWebhooks(deps) },
  })),
  operation(routes.getWebhook, async ({ params }) => ({
    status: 200,
    body: await webhooks.getWebhook(deps, params.id),
  })),
  operation(routes.updateWebhook, async ({ params, body }) => ({
    status: 200,
    body: await webhooks.updateWebhook(deps, webhookPolicy, params.id, body),
  })),
  operation(routes.deleteWebhook, async ({ params }) => {
    await webhooks.deleteWebhook(deps, params.id);
    return { status: 204 };
  }),
  operation(routes.listWebhookDeliveries, async ({ params, query }) => ({
    status: 200,
    body: await webhooks.listDeliveries(deps, params.id, query),
  })),
  operation(routes.redeliverWebhook, async ({ params }) => ({
    status: 202,
    body: await webhooks.redeliver(deps, queue, params.id, params.deliveryId),
  })),
  operation(routes.testWebhook, async ({ params }) => ({
    status: 202,
    body: await webhooks.sendTest(deps, queue, params.id),
  })),
]);
