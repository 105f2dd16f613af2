/**
 * The shared HTTP stack for every API function: route dispatch by routeKey, body limits, parsing,
 * zod validation and the mapping of every failure onto `{"error":{"code","message","details"}}`.
 */

import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { $ZodError } from 'zod/v4/core';
import { GATEWAY_LIMIT_MS, MIDDY_OPTIONS, withDeadline } from '../deadline.js';
import { DomainError, type ErrorDetail, type ErrorKind } from '../errors.js';
import { logger, type MetricsBuffer, type ObservedContext, observability } from '../logger.js';
import { checkKeyCaller } from './api-keys.js';
import { errorPage, htmlCsp } from './html.js';
import { type RouteDef, routeKey } from './route.js';

export const MAX_BODY_BYTES = 256 * 1024;

type Out<T> = T extends z.ZodMiniType ? z.output<T> : undefined;

export interface Input<R extends RouteDef> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  body: Out<R['body']>;
  headers: Record<string, string | undefined>;
  /** Business metrics of this request, published when it ends. */
  metrics: MetricsBuffer;
  /** The media type the body arrived as (for routes that accept several). */
  mediaType?: string;
  event: APIGatewayProxyEventV2;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  html?: string;
  /** A CSV download. */
  csv?: { body: string; filename: string };
  /** A calendar invite download. */
  ics?: { body: string; filename: string };
  /** A script any site may load (the tracking snippet), cached for `maxAgeSeconds`. */
  script?: { body: string; maxAgeSeconds: number };
  headers?: Record<string, string>;
}

export interface Operation {
  route: RouteDef;
  run(input: Input<RouteDef>): Promise<HttpResult>;
}

export function operation<R extends RouteDef>(
  route: R,
  run: (input: Input<R>) => Promise<HttpResult>,
): Operation {
  return { route, run: run as Operation['run'] };
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The one place where a domain error kind becomes an HTTP status. */
export const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  busy: 503,
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const TRANSIENT = new Set([
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TooManyRequestsException',
]);

/** An AWS SDK error worth retrying later (throttling, timeouts, a 5xx of the service). */
function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const sdk = err as Error & { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    TRANSIENT.has(err.name) ||
    (sdk.$metadata !== undefined &&
      (sdk.$retryable !== undefined || (sdk.$metadata.httpStatusCode ?? 0) >= 500))
  );
}

/** Whether the client is a browser navigating (it asks for HTML first), not a JSON client. */
export function wantsHtml(headers: Record<string, string | undefined> | undefined): boolean {
  const accept = headers?.accept ?? '';
  return /(^|,)\s*text\/html/.test(accept);
}

/** The error as the client understands it: a friendly page for a browser, the JSON error otherwise. */
export function errorResponseFor(
  err: unknown,
  headers: Record<string, string | undefined> | undefined,
): APIGatewayProxyStructuredResultV2 {
  const response = errorResponse(err);
  if (!wantsHtml(headers)) return response;
  const { error } = JSON.parse(String(response.body)) as { error: { message: string } };
  const retryAfter = response.headers?.['retry-after'];
  const status = response.statusCode ?? 500;
  return toResponse({
    status,
    html: errorPage(status, error.message, retryAfter !== undefined ? Number(retryAfter) : undefined),
    headers: {
      'cache-control': 'no-store',
      ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
    },
  });
}

export function errorResponse(err: unknown): APIGatewayProxyStructuredResultV2 {
  if (err instanceof DomainError) {
    const status = STATUS_OF[err.kind];
    if (status >= 500) logger.error('request failed', { code: err.code, error: err });
    const response = json(status, { error: { code: err.code, message: err.message, details: err.details } });
    if (err.retryAfterSeconds !== undefined)
      response.headers = { ...response.headers, 'retry-after': String(err.retryAfterSeconds) };
    return response;
  }
  if (err instanceof $ZodError) return json(400, { error: validationBody(err) });
  if (isTransient(err)) {
    // A dependency throttled or timed out: a retry may succeed. Logged: it is counted and alarmed.
    logger.warn('dependency unavailable', { error: err as Error });
    return errorResponse(
      new DomainError('busy', 'busy', 'a service Tendril depends on is busy; retry shortly', [], 2),
    );
  }
  logger.error('unhandled error', { error: err as Error });
  return json(500, { error: { code: 'internal_error', message: 'internal error', details: [] } });
}

function validationBody(
  err: $ZodError,
  prefix?: string,
): { code: string; message: string; details: ErrorDetail[] } {
  return {
    code: 'validation_error',
    message: 'the request is not valid',
    details: err.issues.flatMap((i): ErrorDetail[] => {
      const path = (extra: PropertyKey[] = []) =>
        [prefix, ...i.path, ...extra].filter((p) => p !== undefined).join('.');
      // One detail per unknown key, at the key's own path.
      if (i.code === 'unrecognized_keys') {
        return i.keys.map((key) => ({ path: path([key]), message: 'is not a known field', code: i.code }));
      }
      return [{ path: path(), message: i.message, code: i.code }];
    }),
  };
}

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { ...JSON_HEADERS, ...SECURITY_HEADERS },
    body: JSON.stringify(body),
  };
}

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  if (result.html !== undefined) {
    return {
      statusCode: result.status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        // No page of Tendril may be framed unless it says so (a hosted form embedded on allowed origins).
        'content-security-policy': htmlCsp(),
        ...SECURITY_HEADERS,
        ...result.headers,
      },
      body: result.html,
    };
  }
  if (result.script !== undefined) {
    return {
      statusCode: result.status,
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': `public, max-age=${result.script.maxAgeSeconds}`,
        'cross-origin-resource-policy': 'cross-origin',
        ...SECURITY_HEADERS,
        ...result.headers,
      },
      body: result.script.body,
    };
  }
  const file = result.csv ?? result.ics;
  if (file !== undefined) {
    return {
      statusCode: result.status,
      headers: {
        'content-type': `${result.csv ? 'text/csv' : 'text/calendar'}; charset=utf-8`,
        'content-disposition': `attachment; filename="${file.filename}"`,
        'cache-control': 'no-store',
        ...SECURITY_HEADERS,
        ...result.headers,
      },
      body: file.body,
    };
  }
  const base =
    result.body === undefined
      ? { statusCode: result.status, headers: { ...SECURITY_HEADERS } }
      : json(result.status, result.body);
  return { ...base, headers: { ...base.headers, ...result.headers } };
}

function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, where: string): z.output<T> {
  const out = schema.safeParse(value);
  if (!out.success) {
    const body = validationBody(out.error, where === 'body' ? undefined : where);
    const what = where === 'params' ? 'path parameters are' : `${where} is`;
    throw new DomainError('invalid', 'validation_error', `the request ${what} not valid`, body.details);
  }
  return out.data;
}

function decodeBody(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new DomainError(
      'too_large',
      'payload_too_large',
      `the body must be at most ${MAX_BODY_BYTES} bytes`,
    );
  }
  return raw.toString('utf8');
}

/**
 * Parses a urlencoded body; a repeated name becomes an array so validation can reject it. Names
 * become own properties, whatever they are (`__proto__` included), so validation sees them all.
 */
export function parseUrlEncoded(text: string): Record<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(text)) {
    const prior = out.get(name);
    out.set(name, prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value]);
  }
  return Object.fromEntries(out);
}

class ProtoKey extends Error {}

/** JSON.parse, refusing `__proto__` keys (validators would drop them silently, code might follow them). */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw new ProtoKey();
    return value;
  });
}

function parseBody(route: RouteDef, event: APIGatewayProxyEventV2): { body: unknown; mediaType?: string } {
  const text = decodeBody(event);
  if (!route.body) return { body: undefined };
  if (text === undefined || text.trim() === '')
    throw new DomainError('invalid', 'missing_body', 'a request body is required');
  const mediaType = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const allowed = route.bodyTypes ?? ['application/json'];
  if (!allowed.includes(mediaType)) {
    throw new DomainError(
      'unsupported',
      'unsupported_media_type',
      `content-type must be ${allowed.join(' or ')}`,
    );
  }
  if (mediaType === 'application/x-www-form-urlencoded') return { body: parseUrlEncoded(text), mediaType };
  if (mediaType === 'text/csv') return { body: text, mediaType };
  try {
    return { body: parseJson(text), mediaType };
  } catch (err) {
    if (err instanceof ProtoKey) {
      throw new DomainError('invalid', 'invalid_json', 'the body may not contain a key named __proto__', [
        { path: '__proto__', message: 'is not an allowed key', code: 'forbidden_key' },
      ]);
    }
    throw new DomainError('invalid', 'invalid_json', 'the body is not valid JSON');
  }
}

/** Builds the Lambda handler of one API function from its operations. */
export function httpHandler(operations: Operation[]): ApiHandler {
  const byKey = new Map(operations.map((op) => [routeKey(op.route), op]));
  const dispatch = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const op = byKey.get(event.routeKey);
    if (!op) throw new DomainError('not_found', 'route_not_found', `no route ${event.routeKey}`);
    const { route } = op;
    checkKeyCaller(route.scopes, event);
    const { body, mediaType } = parseBody(route, event);
    const input: Input<RouteDef> = {
      params: route.params ? parseWith(route.params, event.pathParameters ?? {}, 'params') : undefined,
      query: route.query ? parseWith(route.query, event.queryStringParameters ?? {}, 'query') : undefined,
      body: route.body ? parseWith(route.body, body, 'body') : undefined,
      headers: event.headers ?? {},
      metrics: (context as ObservedContext).metrics,
      ...(mediaType ? { mediaType } : {}),
      event,
    };
    // Answer before API Gateway gives up (30 s after the request arrived) or Lambda stops the
    // function, whichever is first.
    const arrived = event.requestContext?.timeEpoch ?? Date.now();
    const budget =
      Math.min(context.getRemainingTimeInMillis(), arrived + GATEWAY_LIMIT_MS - Date.now()) - 300;
    return toResponse(await withDeadline(budget, () => op.run(input)));
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>(MIDDY_OPTIONS)
    .use(observability<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>())
    .use({
      onError: async (request) => {
        request.response = errorResponseFor(request.error, request.event.headers);
      },
    })
    .handler(dispatch) as unknown as ApiHandler;
}
