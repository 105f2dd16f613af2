/** Builds the OpenAPI 3.1 document from the route contract (zod schemas → JSON Schema). */
import * as z from 'zod/mini';
import '../core/zod-messages.js';
import { api, ErrorSchema, type RouteDef } from './contract.js';

const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

function parameters(route: RouteDef) {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, unknown>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, s] of Object.entries(props)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: s });
    }
  }
  return out;
}

export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(api) as Array<[string, RouteDef]>) {
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(route.responses)) {
      if (res === 'empty' || res === 'redirect')
        responses[status] = { description: res === 'empty' ? 'No content' : 'See Other' };
      else if (res === 'html') responses[status] = { description: 'HTML page', content: { 'text/html': {} } };
      else if (res === 'csv') responses[status] = { description: 'CSV file', content: { 'text/csv': {} } };
      else
        responses[status] = {
          description: 'OK',
          content: { 'application/json': { schema: toSchema(res, 'output') } },
        };
    }
    responses['4XX'] ??= {
      description: 'Client error',
      content: { 'application/json': { schema: toSchema(ErrorSchema, 'output') } },
    };
    const body = route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (route.bodyTypes ?? ['application/json']).map((t) => [
                t,
                { schema: toSchema(route.body as z.ZodMiniType, 'input') },
              ]),
            ),
          },
        }
      : {};
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: name,
      summary: route.summary,
      security: route.auth === 'admin' ? [{ bearer: [] }] : [],
      parameters: parameters(route),
      ...body,
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tendril CRM API', version: '1.0.0' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
