/**
 * Machine clients: the scopes an API key may hold, what the API authorizer tells a function about
 * a key it let through, and the check every route then makes of it. The authorizer (cloud: a Lambda
 * authorizer; locally the gateway runs the same handler) only says who is calling; whether that key
 * may call this route, and at this rate, is answered here with the JSON errors of every route.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DomainError } from '../errors.js';

/** What a key may do; each route says which scopes may call it (RouteDef.scopes). */
export const API_SCOPES = [
  'contacts:read',
  'contacts:write',
  'purchases:read',
  'purchases:write',
  'events:write',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A key is `tdk_<id>_<secret>`: its id finds it, its secret (32 random bytes) proves it. */
export const KEY_PREFIX = 'tdk_';
export const KEY_PATTERN = /^tdk_([0-9A-HJKMNP-TV-Z]{26})_[A-Za-z0-9_-]{43}$/;

/** Requests a key may make per minute (beyond them: 429). */
export const KEY_REQUESTS_PER_MINUTE = 600;

/**
 * The authorizer's context for a request made with a key (`requestContext.authorizer.lambda`):
 * strings only, as API Gateway passes them on.
 */
export interface KeyCallerContext {
  principal: 'api-key';
  keyId: string;
  /** The key's scopes, space-separated. */
  scopes: string;
  /** 'true' when the key is over its rate this minute: the function answers 429. */
  rateLimited: 'true' | 'false';
}

/** The key behind this request, when a machine client made it. */
export function keyCallerOf(event: APIGatewayProxyEventV2): KeyCallerContext | undefined {
  const context = (
    event.requestContext as { authorizer?: { lambda?: Partial<KeyCallerContext> } } | undefined
  )?.authorizer?.lambda;
  return context?.principal === 'api-key' ? (context as KeyCallerContext) : undefined;
}

/**
 * Refuses a key without one of the route's scopes (403) or over its rate (429). Requests of users
 * (Cognito, the local admin token) pass: an admin may call every admin route.
 */
export function checkKeyCaller(scopes: readonly ApiScope[] | undefined, event: APIGatewayProxyEventV2): void {
  const caller = keyCallerOf(event);
  if (!caller) return;
  const held = caller.scopes.split(' ');
  if (!(scopes ?? []).some((scope) => held.includes(scope)))
    throw new DomainError(
      'forbidden',
      'insufficient_scope',
      `the API key lacks the scope this route needs (${scopes?.join(' or ') || 'none: admins only'})`,
    );
  if (caller.rateLimited === 'true')
    throw new DomainError(
      'rate_limited',
      'rate_limited',
      `at most ${KEY_REQUESTS_PER_MINUTE} requests a minute per API key`,
      [],
      60 - new Date().getUTCSeconds(),
    );
}
