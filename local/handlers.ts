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

// biome-ignore lint/suspicious/noExplicitAny: each handler has its own event type; callers know which.
export type AnyHandler = (event: any, context?: any) => Promise<any>;

export async function loadHandler(name: FunctionName): Promise<AnyHandler> {
  const module = (await import(`../functions/handlers/${name}.ts`)) as { handler: AnyHandler };
  return module.handler;
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
