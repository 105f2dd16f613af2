/**
 * Who sent a request: the address recorded with a consent and counted by the per-IP rate limits.
 *
 * Behind CloudFront the connection API Gateway sees (`requestContext.http.sourceIp`) is CloudFront's;
 * the viewer's address comes in the `CloudFront-Viewer-Address` header. Anyone can send that header
 * straight to the API, so it is believed only when the request also carries the origin secret that
 * CloudFront adds to every request it forwards to the API (an origin custom header) and that the API
 * stage hands the function as a stage variable. Neither value ever reaches a viewer: a request that
 * did not come through this stack's distribution cannot match it, and falls back to `sourceIp`.
 * Locally (no stage variables) the rule is the same: the socket's address.
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The origin custom header CloudFront adds to requests for the API (a viewer's own is overwritten). */
export const ORIGIN_SECRET_HEADER = 'x-tendril-origin-secret';
/** The API stage variable holding the same secret. */
export const ORIGIN_SECRET_STAGE_VARIABLE = 'originSecret';
/** Added by CloudFront (origin request policy): `ip:port`. */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/**
 * The IP of a `CloudFront-Viewer-Address` value: `198.51.100.10:46532`, IPv6 as CloudFront sends it
 * (`2001:db8::1:46532`, the port after the last colon) or bracketed (`[2001:db8::1]:46532`).
 * Anything else (no port, several values, not an address) is undefined.
 */
export function viewerIp(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const colon = v.lastIndexOf(':');
  if (colon <= 0 || !/^\d{1,5}$/.test(v.slice(colon + 1))) return undefined;
  let ip = v.slice(0, colon);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  return isIP(ip) ? ip : undefined;
}

function sameSecret(sent: string | undefined, expected: string | undefined): boolean {
  if (!sent || !expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The client's IP: the viewer's when the request provably came through CloudFront, else the connection's. */
export function clientIp(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext' | 'stageVariables'>,
): string {
  const fallback = event.requestContext.http.sourceIp;
  const headers = event.headers ?? {};
  if (!sameSecret(headers[ORIGIN_SECRET_HEADER], event.stageVariables?.[ORIGIN_SECRET_STAGE_VARIABLE]))
    return fallback;
  return viewerIp(headers[VIEWER_ADDRESS_HEADER]) ?? fallback;
}
