/**
 * What every route definition is made of: the route shape, the Lambda function names, and the
 * schemas shared across areas. Each area's routes live in routes/*.ts, so a handler bundles only its
 * own; contract.ts joins them into the one table everything else is derived from.
 */
import * as z from 'zod';
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
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Media types the body may have; JSON when not set. */
  bodyTypes?: readonly string[];
  responses: Record<number, z.ZodType | 'empty' | 'html' | 'redirect' | 'csv'>;
}

export const route = <R extends RouteDef>(r: R) => r;

// ---------- shared schemas ----------
export const idSchema = z.string().regex(ULID_PATTERN, 'must be a 26-character ULID');
export const idParams = z.strictObject({ id: idSchema });
export const limitSchema = z.coerce.number().int().min(1).max(100).default(25);
export const cursorSchema = z.string().min(1).max(2048).optional();
export const isoDateTime = z.iso.datetime({ offset: true });
export const optionalText = (max = 200) => shortText(max).optional();
export const nullableText = (max = 200) => shortText(max).nullable().optional();
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });
export const listQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema });
export const ownerSchema = shortText(200);

export const ContactSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    phone: z.string().optional(),
    company: z.string().optional(),
    source: z.string().optional(),
    fields: z.record(z.string(), fieldValueSchema),
    tags: z.array(z.string()),
    consent: z
      .object({ text: z.string(), givenAt: z.string(), sourceIp: z.string(), formId: z.string() })
      .optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contact' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.union([
        z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
        z.record(z.string(), z.unknown()),
      ]),
    }),
  })
  .meta({ id: 'Error' });

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
