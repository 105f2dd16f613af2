import { depsOf } from '#app/runtime.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { listContactVisits, recordProductEvent } from '#tracking/collect.js';
import { trackingApiRoutes as routes } from '#tracking/routes.js';
import { trackingStore } from '#tracking/store-dynamo.js';

const deps = depsOf(trackingStore);

export const handler = httpHandler([
  operation(routes.recordProductEvent, async ({ body }) => ({
    status: 202,
    body: await recordProductEvent(deps, body),
  })),
  operation(routes.listContactVisits, async ({ params, query }) => ({
    status: 200,
    body: await listContactVisits(deps, params.id, query),
  })),
]);
