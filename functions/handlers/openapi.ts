import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import { buildOpenApi } from '../api/openapi.js';

const document = buildOpenApi();

export const handler = httpHandler([operation(api.openapi, async () => ({ status: 200, body: document }))]);
