/** Builders for API Gateway HTTP API (payload 2.0) events, as the gateway would send them. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type RouteDef, routeKey } from '#platform/http/route.js';

export interface RequestSpec {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send the body as-is (a string) instead of JSON-encoding it. */
  rawBody?: string;
  sourceIp?: string;
}

export function apiEvent(route: RouteDef, spec: RequestSpec = {}): APIGatewayProxyEventV2 {
  let path = route.path;
  for (const [k, v] of Object.entries(spec.params ?? {}))
    path = path.replace(`{${k}}`, encodeURIComponent(v));
  const body = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
  const headers: Record<string, string> = {
    ...(body !== undefined && spec.rawBody === undefined ? { 'content-type': 'application/json' } : {}),
    ...spec.headers,
  };
  return {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: path,
    rawQueryString: new URLSearchParams(spec.query ?? {}).toString(),
    headers,
    ...(spec.query ? { queryStringParameters: spec.query } : {}),
    ...(spec.params ? { pathParameters: spec.params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      http: {
        method: route.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: spec.sourceIp ?? '203.0.113.7',
        userAgent: 'test',
      },
      requestId: 'req-1',
      routeKey: routeKey(route),
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

export const lambdaContext = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
