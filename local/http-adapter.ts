/**
 * Local stand-in for API Gateway HTTP API: turns Node HTTP requests into payload-format-2.0 events,
 * routes them with the same route table the CDK stack deploys, enforces the bearer token on admin
 * routes (the cloud uses a Cognito JWT authorizer; on routes API keys may call, the `api-authorizer`
 * function, which this gateway invokes for keys as API Gateway does) and writes the Lambda result back.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
} from 'aws-lambda';
import { ROUTES } from '#app/api.js';
import { type ApiHandler, MAX_BODY_BYTES } from '#platform/http/handler.js';
import { type RouteDef, routeKey } from '#platform/http/route.js';
import { localContext, timeoutMsOf } from '#platform/lambda.js';
import type { HttpFunctionName } from '#platform/manifest.js';

interface CompiledRoute {
  route: RouteDef;
  regex: RegExp;
  names: string[];
}

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${source}$`), names };
}

const COMPILED = ROUTES.map(compile).sort((a, b) => a.names.length - b.names.length);

export type RouteMatch =
  | { kind: 'found'; route: RouteDef; params: Record<string, string> }
  | { kind: 'not-found' | 'wrong-method' | 'bad-path' };

export function matchRoute(method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const c of COMPILED) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    try {
      c.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
    } catch {
      return { kind: 'bad-path' };
    }
    return { kind: 'found', route: c.route, params };
  }
  return { kind: pathMatched ? 'wrong-method' : 'not-found' };
}

/**
 * Invocations running at once per function, as Lambda's concurrency is bounded: a burst queues
 * here instead of overloading the one local DynamoDB. The time spent queued counts against the
 * gateway's 30 s (handlers read the request's arrival time), as it would in the cloud.
 */
const LOCAL_CONCURRENCY = Number(process.env.TENDRIL_LOCAL_CONCURRENCY ?? 16);
const running = new Map<string, { active: number; waiting: Array<() => void> }>();

async function invokeBounded<T>(fn: string, invoke: () => Promise<T>): Promise<T> {
  const slot = running.get(fn) ?? { active: 0, waiting: [] };
  running.set(fn, slot);
  if (slot.active >= LOCAL_CONCURRENCY) await new Promise<void>((resolve) => slot.waiting.push(resolve));
  slot.active++;
  try {
    return await invoke();
  } finally {
    slot.active--;
    slot.waiting.shift()?.();
  }
}

function sendJson(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: { code, message, details: [] } }));
}

/** Reads the body, stopping (without buffering the rest) as soon as it is larger than the API accepts. */
async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Constant-time check of an `Authorization: Bearer <token>` header. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Own properties whatever the names (`__proto__`, `constructor`), as API Gateway's JSON event has. */
function flatHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
    ),
  );
}

export interface GatewayOptions {
  handlers: Record<HttpFunctionName, ApiHandler>;
  adminToken: string;
  /** The `api-authorizer` function's handler (simple responses, payload 2.0). */
  authorizer: (event: APIGatewayRequestAuthorizerEventV2) => Promise<APIGatewaySimpleAuthorizerResult>;
}

/** Handles one request as API Gateway would; returns false when no API route matched the path. */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: GatewayOptions,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const match = matchRoute(method, url.pathname);
  if (match.kind === 'not-found') return false;
  if (match.kind === 'wrong-method') {
    sendJson(res, 405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`);
    return true;
  }
  if (match.kind !== 'found') {
    sendJson(res, 400, 'bad_path', 'the path is not validly encoded');
    return true;
  }
  const { route, params } = match;
  let caller: { jwt: Record<string, unknown> } | { lambda: Record<string, unknown> } | undefined;
  if (route.auth === 'admin') {
    const key = /^Bearer\s+tdk_/i.test(req.headers.authorization ?? '');
    if (key && route.scopes?.length) {
      // A machine client's API key, judged by the same authorizer function as in the cloud; refused,
      // API Gateway answers 403 without calling the route's function.
      const decision = await options.authorizer({
        version: '2.0',
        type: 'REQUEST',
        routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${method}${url.pathname}`,
        identitySource: [req.headers.authorization ?? ''],
        routeKey: routeKey(route),
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        cookies: (req.headers.cookie ?? '').split(/;\s*/).filter(Boolean),
        headers: flatHeaders(req),
        queryStringParameters: Object.fromEntries(url.searchParams),
        pathParameters: params,
        stageVariables: {},
        requestContext: {} as APIGatewayRequestAuthorizerEventV2['requestContext'],
      });
      if (!decision.isAuthorized) {
        sendJson(res, 403, 'forbidden', 'the API key is not valid or was revoked');
        return true;
      }
      caller = { lambda: (decision as { context?: Record<string, unknown> }).context ?? {} };
    } else if (tokenMatches(req.headers.authorization, options.adminToken)) {
      caller = { jwt: { claims: { sub: 'local-admin', 'cognito:username': 'admin' }, scopes: [] } };
    } else {
      res.setHeader('www-authenticate', 'Bearer');
      sendJson(res, 401, 'unauthorized', 'a valid bearer token is required');
      return true;
    }
  }
  const body = await readBody(req);
  if (body === 'too-large') {
    // The rest of the body is never read: answer and close the connection.
    res.setHeader('connection', 'close');
    sendJson(res, 413, 'payload_too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`);
    return true;
  }
  const headers = flatHeaders(req);
  const queryMap = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const prior = queryMap.get(name);
    queryMap.set(name, prior === undefined ? value : `${prior},${value}`);
  }
  const query: Record<string, string> = Object.fromEntries(queryMap);
  const now = new Date();
  const text = body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(body);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(caller ? { authorizer: caller } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body.length > 0 ? { body: isText ? text : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
  // As API Gateway: the integration gets 30 s, then the client gets a 503 (the function runs on).
  let timer: NodeJS.Timeout | undefined;
  const result: APIGatewayProxyStructuredResultV2 = await Promise.race([
    invokeBounded(route.fn, () =>
      options.handlers[route.fn](event, localContext(route.fn, timeoutMsOf(route.fn))),
    ),
    new Promise<APIGatewayProxyStructuredResultV2>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            statusCode: 503,
            headers: { 'content-type': 'application/json' },
            body: '{"message":"Service Unavailable"}',
          }),
        30_000,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  const status = result.statusCode ?? 200;
  res.writeHead(status, result.headers as Record<string, string>);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
  return true;
}
