/**
 * Generates the admin UI's API types (web/src/api-types.ts) from the OpenAPI document the server
 * serves, so record shapes are written once, in the server's zod schemas. `npm run api-types`
 * rewrites the file; test/unit/platform/openapi.test.ts fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { api } from '#app/api.js';
import { buildOpenApi } from '#platform/http/openapi.js';

export const API_TYPES_FILE = new URL('../web/src/api-types.ts', import.meta.url);

export async function apiTypes(): Promise<string> {
  // `defaultNonNullable: false`: a request property with a default stays optional.
  const ast = await openapiTS(structuredClone(buildOpenApi(api)) as never, { defaultNonNullable: false });
  return `/** Generated from GET /v1/openapi.json by \`npm run api-types\` (scripts/api-types.ts): do not edit. */\n\n${astToString(ast)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(API_TYPES_FILE, await apiTypes());
  console.log(`wrote ${API_TYPES_FILE.pathname}`);
}
