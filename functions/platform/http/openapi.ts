/** Builds the OpenAPI 3.1 document of a route table (zod schemas → JSON Schema, shared ones as components). */
import type * as z from 'zod/mini';
import '../zod-messages.js';
import { schemaCollector } from './json-schema.js';
import { ErrorSchema, type RouteDef } from './route.js';

export function buildOpenApi(routes: Record<string, RouteDef>) {
  const c = schemaCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, route] of Object.entries(routes)) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const json = c.schema(schema, 'input');
      const required = new Set((json.required ?? []) as string[]);
      for (const [name, s] of Object.entries((json.properties ?? {}) as Record<string, unknown>))
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: s });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(route.responses)) {
      if (res === 'empty') responses[status] = { description: 'No content' };
      else if (res === 'redirect') responses[status] = { description: 'See Other' };
      else if (res === 'html') responses[status] = { description: 'HTML page', content: { 'text/html': {} } };
      else if (res === 'csv') responses[status] = { description: 'CSV file', content: { 'text/csv': {} } };
      else if (res === 'script')
        responses[status] = { description: 'JavaScript', content: { 'text/javascript': {} } };
      else if (res === 'ics')
        responses[status] = { description: 'Calendar invite', content: { 'text/calendar': {} } };
      else
        responses[status] = {
          description: Number(status) < 400 ? 'OK' : 'Error',
          content: { 'application/json': { schema: c.schema(res, 'output') } },
        };
    }
    responses['4XX'] ??= {
      description: 'Client error',
      content: { 'application/json': { schema: c.schema(ErrorSchema, 'output') } },
    };
    const body = route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (route.bodyTypes ?? ['application/json']).map((t) => [
                t,
                { schema: c.schema(route.body as z.ZodMiniType, 'input') },
              ]),
            ),
          },
        }
      : {};
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId,
      summary: route.summary,
      // Public routes say so explicitly: no security requirement. Routes machine clients may call
      // list the API key scopes that may (one of them is enough).
      security:
        route.auth === 'admin'
          ? [{ bearer: [] }, ...(route.scopes?.length ? [{ apiKey: [...route.scopes] }] : [])]
          : [],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...body,
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tendril CRM API',
      version: '1.0.0',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tdk_<id>_<secret>',
          description:
            'An API key an admin created (POST /v1/api-keys) for another system; a route lists the key scopes that may call it.',
        },
      },
      schemas: c.finish(),
    },
    paths,
  };
}
