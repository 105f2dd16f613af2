/**
 * What every route definition is made of: the route shape and the schemas shared across contexts.
 * Each context's routes live in its own `routes.ts`, so a handler bundles only its own;
 * functions/app/api.ts joins them into the one table everything else is derived from.
 */
import * as z from 'zod/mini';
import '../zod-messages.js';
import { ULID_PATTERN } from '../ids.js';
import type { HttpFunctionName } from '../manifest.js';
import { shortText } from '../values.js';
import type { ApiScope } from './api-keys.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  /** The Lambda function serving the route (platform/manifest.ts). */
  fn: HttpFunctionName;
  /** `admin`: bearer token (Cognito JWT in the cloud, the local token locally). `public`: no auth. */
  auth: 'admin' | 'public';
  /**
   * API keys with one of these scopes may call this admin route too (machine clients: another
   * system). None: admins only.
   */
  scopes?: readonly ApiScope[];
  summary: string;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** Media types the body may have; JSON when not set. */
  bodyTypes?: readonly string[];
  responses: Record<number, z.ZodMiniType | 'empty' | 'html' | 'redirect' | 'csv' | 'ics' | 'script'>;
}

export const route = <R extends RouteDef>(r: R) => r;

// ---------- shared schemas ----------
export const idSchema = z.lazy(() => z.string().check(z.regex(ULID_PATTERN, 'must be a 26-character ULID')));
export const idParams = z.lazy(() => z.strictObject({ id: idSchema }));
/** `?ids=`: comma-separated record ids, at most 100 (a list page's batch read). */
export const idListQuery = z.lazy(() =>
  z.strictObject({
    ids: z.pipe(
      z.string().check(z.maxLength(100 * 27)),
      z.pipe(
        z.transform((ids: string) => ids.split(',').filter((id) => id !== '')),
        z.array(idSchema).check(z.minLength(1), z.maxLength(100)),
      ),
    ),
  }),
);
export const limitSchema = z.lazy(() =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
);
export const cursorSchema = z.lazy(() => z.optional(z.string().check(z.minLength(1), z.maxLength(2048))));
export const isoDateTime = z.lazy(() => z.iso.datetime({ offset: true }));
export const optionalText = (max = 200) => z.optional(shortText(max));
export const nullableText = (max = 200) => z.optional(z.nullable(shortText(max)));
/** A page of a list (built when first used, as every schema: none is built at import). */
export const page = <T extends z.ZodMiniType>(item: T) =>
  z.lazy(() => z.object({ items: z.array(item), nextCursor: z.optional(z.string()) }));
export const listQuery = z.lazy(() => z.strictObject({ limit: limitSchema, cursor: cursorSchema }));
export const ownerSchema = z.lazy(() => shortText(200));

export const ErrorSchema = z.lazy(() =>
  z
    .object({
      error: z.object({
        code: z.string(),
        message: z.string(),
        details: z.union([
          z.array(z.object({ path: z.string(), message: z.string(), code: z.optional(z.string()) })),
          z.record(z.string(), z.unknown()),
        ]),
      }),
    })
    .check(z.meta({ id: 'Error' })),
);

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
