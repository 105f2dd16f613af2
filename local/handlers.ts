/**
 * Loads the same handler modules the CDK stack deploys, by the manifest's names. Handlers read their
 * configuration when imported, so call this after the environment is set.
 */
import type { ApiHandler } from '#platform/http/handler.js';
import {
  FUNCTION_NAMES,
  type FunctionName,
  HTTP_FUNCTIONS,
  type HttpFunctionName,
} from '#platform/manifest.js';
import { asFunction, enforceTableGrants } from './table-grants.js';

// biome-ignore lint/suspicious/noExplicitAny: each handler has its own event type; callers know which.
export type AnyHandler = (event: any, context?: any) => Promise<any>;

/**
 * Function `name`'s handler, run as that function: its table calls are held to its grants as IAM
 * holds them in the cloud (table-grants.ts).
 */
export async function loadHandler(name: FunctionName): Promise<AnyHandler> {
  const module = (await import(`../functions/handlers/${name}.ts`)) as { handler: AnyHandler };
  if (process.env.TABLE_NAME) enforceTableGrants((await import('#app/runtime.js')).documentClient);
  return asFunction(name, module.handler);
}

/** The handlers behind the HTTP API, by function name. */
export async function loadHttpHandlers(): Promise<Record<HttpFunctionName, ApiHandler>> {
  const entries = await Promise.all(
    HTTP_FUNCTIONS.map(async (name) => [name, await loadHandler(name)] as const),
  );
  return Object.fromEntries(entries) as Record<HttpFunctionName, ApiHandler>;
}

/** Every handler, by function name. */
export async function loadAllHandlers(): Promise<Record<FunctionName, AnyHandler>> {
  const entries = await Promise.all(
    FUNCTION_NAMES.map(async (name) => [name, await loadHandler(name)] as const),
  );
  return Object.fromEntries(entries) as Record<FunctionName, AnyHandler>;
}
