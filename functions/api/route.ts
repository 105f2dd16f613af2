/**
 * What every route definition is made of: the route shape, the Lambda function names, and the
 * schemas shared across areas. Each area's routes live in routes/*.ts, so a handler bundles only its
 * own; contract.ts joins them into the one table everything else is derived from.
 */
import * as z from 'zod/mini';
import '../core/zod-messages.js';
import { ULID_PATTERN } from '../core/ids.js';
import { fieldValueSchema, shortText } from '../core/values.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
/** The Lambda function serving a route. */
export type FunctionName =
  | 'contacts-api'
  | 'forms-api'
  | 'form-submit'
  | 'openapi'
  | 'templates-api'
  | 'workflows-api'
  | 'unsubscribe'
  | 'pipelines-api'
  | 'tasks-api'
  | 'segments-api'
  | 'contacts-io';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  fn: FunctionName;
  /** `admin`: bearer token (Cognito JWT in the cloud, the local token locally). `public`: no auth. */
  auth: 'admin' | 'public';
  summary: string;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** Media types the body may have; JSON when not set. */
  bodyTypes?: readonly string[];
  responses: Record<number, z.ZodMiniType | 'empty' | 'html' | 'redirect' | 'csv'>;
}

export const route = <R extends RouteDef>(r: R) => r;

// ---------- shared schemas ----------
export const idSchema = z.string().check(z.regex(ULID_PATTERN, 'must be a 26-character ULID'));
export const idParams = z.strictObject({ id: idSchema });
export const limitSchema = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25);
export const cursorSchema = z.optional(z.string().check(z.minLength(1), z.maxLength(2048)));
export const isoDateTime = z.iso.datetime({ offset: true });
export const optionalText = (max = 200) => z.optional(shortText(max));
export const nullableText = (max = 200) => z.optional(z.nullable(shortText(max)));
export const page = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });
export const listQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema });
export const ownerSchema = shortText(200);

export const ContactSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.optional(z.string()),
    lastName: z.optional(z.string()),
    phone: z.optional(z.string()),
    company: z.optional(z.string()),
    source: z.optional(z.string()),
    fields: z.record(z.string(), fieldValueSchema),
    tags: z.array(z.string()),
    consent: z.optional(
      z.object({ text: z.string(), givenAt: z.string(), sourceIp: z.string(), formId: z.string() }),
    ),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .check(z.meta({ id: 'Contact' }));

export const ErrorSchema = z
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
  .check(z.meta({ id: 'Error' }));

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
