/**
 * Generates what is derived from the route table once, at development time, instead of at every
 * cold start: the OpenAPI document the `openapi` function serves (functions/app/openapi.json) and
 * the admin UI's API types (web/src/api-types.ts), so record shapes are written once, in the server's
 * zod schemas. `npm run generate` rewrites both; test/unit/platform/openapi.test.ts fails when
 * either is out of date.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { api } from '#app/api.js';
import { buildOpenApi } from '#platform/http/openapi.js';

export const OPENAPI_FILE = new URL('../functions/app/openapi.json', import.meta.url);
export const API_TYPES_FILE = new URL('../web/src/api-types.ts', import.meta.url);

export const openApiJson = () => `${JSON.stringify(buildOpenApi(api), null, 1)}\n`;

export async function apiTypes(): Promise<string> {
  // `defaultNonNullable: false`: a request property with a default stays optional.
  const ast = await openapiTS(structuredClone(buildOpenApi(api)) as never, { defaultNonNullable: false });
  return `/** Generated from the OpenAPI document by \`npm run generate\` (scripts/generate-api.ts): do not edit. */\n\n${astToString(ast)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(OPENAPI_FILE, openApiJson());
  writeFileSync(API_TYPES_FILE, await apiTypes());
  console.log(`wrote ${OPENAPI_FILE.pathname} and ${API_TYPES_FILE.pathname}`);
}
