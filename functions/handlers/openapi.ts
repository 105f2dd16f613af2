import { api } from '#app/api.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { buildOpenApi } from '#platform/http/openapi.js';

const document = buildOpenApi(api);

export const handler = httpHandler([operation(api.openapi, async () => ({ status: 200, body: document }))]);
