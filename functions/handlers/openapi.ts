/** Serves the OpenAPI document, generated from the route table by `npm run generate` (scripts/generate-api.ts). */
import document from '#app/openapi.json' with { type: 'json' };
import { openApiRoutes as routes } from '#app/openapi-routes.js';
import { httpHandler, operation } from '#platform/http/handler.js';

export const handler = httpHandler([
  operation(routes.openapi, async () => ({ status: 200, body: document })),
]);
