/** API key routes (api-keys-api): admins create, list and revoke the keys of machine clients. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { API_SCOPES } from '#platform/http/api-keys.js';
import { ErrorSchema, idParams, listQuery, page, type RouteDef, route } from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import { ApiKeySchema } from './model.js';

export const apiKeyRoutes = {
  createApiKey: route({
    method: 'POST',
    path: '/v1/api-keys',
    fn: 'api-keys-api',
    auth: 'admin',
    summary: 'Create an API key for another system, with its scopes; the key is in this answer only',
    body: z.lazy(() =>
      z.strictObject({
        name: shortText(100),
        scopes: z.array(z.enum(API_SCOPES)).check(z.minLength(1), z.maxLength(API_SCOPES.length)),
      }),
    ),
    responses: { 201: z.lazy(() => z.object({ apiKey: ApiKeySchema, key: z.string() })) },
  }),
  listApiKeys: route({
    method: 'GET',
    path: '/v1/api-keys',
    fn: 'api-keys-api',
    auth: 'admin',
    summary: 'List API keys (never their secret), newest first',
    query: listQuery,
    responses: { 200: page(ApiKeySchema) },
  }),
  revokeApiKey: route({
    method: 'POST',
    path: '/v1/api-keys/{id}/revoke',
    fn: 'api-keys-api',
    auth: 'admin',
    summary: 'Revoke an API key: its requests are refused from now on',
    params: idParams,
    responses: { 200: ApiKeySchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
