import { depsOf } from '#app/runtime.js';
import { purchaseRoutes as routes } from '#commerce/routes.js';
import * as purchases from '#commerce/rules.js';
import { commerceStore } from '#commerce/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(commerceStore);

export const handler = httpHandler([
  operation(routes.recordPurchase, async ({ body }) => {
    const { purchase, created } = await purchases.recordPurchase(deps, body);
    return { status: created ? 201 : 200, body: purchase };
  }),
  operation(routes.listPurchases, async ({ params, query }) => ({
    status: 200,
    body: await purchases.listPurchases(deps, params.id, query),
  })),
]);
