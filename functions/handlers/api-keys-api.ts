import { apiKeyRoutes as routes } from '#access/routes.js';
import * as keys from '#access/rules.js';
import { accessStore } from '#access/store-dynamo.js';
import { depsOf } from '#app/runtime.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(accessStore);

export const handler = httpHandler([
  operation(routes.createApiKey, async ({ body }) => ({
    status: 201,
    body: await keys.createApiKey(deps, body),
  })),
  operation(routes.listApiKeys, async ({ query }) => ({
    status: 200,
    body: await keys.listApiKeys(deps, query),
  })),
  operation(routes.revokeApiKey, async ({ params }) => ({
    status: 200,
    body: await keys.revokeApiKey(deps, params.id),
  })),
]);
