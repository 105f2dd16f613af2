/**
 * The rules of site tracking, without storage: which requests are bots, what of a URL is kept, how a
 * page pattern matches, the contact token an email link carries and the visitor token the snippet
 * keeps once its visitor is known.
 */
import { ULID_PATTERN } from '#platform/ids.js';
import { mac, macMatches } from '#platform/signing.js';

/** Hits of crawlers, link previewers, monitors and scripts are not recorded. */
export { isBot } from '#platform/user-agents.js';

/** The query parameter an email link carries the contact token in. */
export const CONTACT_TOKEN_PARAM = '_tc';

/** The longest URL and path kept (an event carries them: its size is bounded). */
const URL_KEPT = 2000;
const PATH_KEPT = 300;

/**
 * The URL as kept — without the contact token, credentials or fragment, at most 2,000 characters —
 * and its path as people write it (`/цены`, not `/%D1%86…`: what a page rule is compared with), at
 * most 300 characters.
 */
export function cleanUrl(raw: string): { url: string; path: string } {
  const u = new URL(raw);
  u.searchParams.delete(CONTACT_TOKEN_PARAM);
  u.hash = '';
  u.username = '';
  u.password = '';
  let path = u.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: the path as sent.
  }
  return { url: u.toString().slice(0, URL_KEPT), path: path.slice(0, PATH_KEPT) };
}

/**
 * A page pattern of a scoring rule: a path where `*` stands for anything (`/pricing*`, `/docs/*`),
 * compared case-insensitively; without `*` the path must be exactly it (a trailing slash aside).
 */
export function pathMatches(pattern: string, path: string): boolean {
  const norm = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p).toLowerCase();
  const escaped = norm(pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`).test(norm(path));
}

/** A link to one of the site's domains or their subdomains (the links that may carry the token). */
export function onSite(url: string, domains: string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

const PURPOSE = 'visitor';

/**
 * The token links in a contact's marketing emails carry: its id and a MAC. It says "this visitor
 * arrived from this contact's email" — which is why it names nothing else and grants nothing.
 */
export const signContactToken = (secret: string, contactId: string) =>
  `${contactId}.${mac(secret, PURPOSE, contactId)}`;

/** The contact a token names, or undefined for a forged or cut one. */
export function verifyContactToken(secret: string, token: string): string | undefined {
  const [id, given, ...rest] = token.split('.');
  if (!id || !given || rest.length > 0 || !ULID_PATTERN.test(id)) return undefined;
  return macMatches(mac(secret, PURPOSE, id), given) ? id : undefined;
}

const VISITOR_TOKEN_PURPOSE = 'visitor-token';

/**
 * The token the snippet keeps once its visitor is known (`vt`): the contact's id and a MAC over the
 * visitor's id and the contact's. It says "this visitor is this contact" without a read of the
 * visitor's profile; bound to the visitor id, it identifies no other browser's visitor.
 */
export const signVisitorToken = (secret: string, visitorId: string, contactId: string) =>
  `${contactId}.${mac(secret, VISITOR_TOKEN_PURPOSE, visitorId, contactId)}`;

/** The contact a visitor token names for this visitor, or undefined for a forged, edited or another visitor's. */
export function verifyVisitorToken(secret: string, visitorId: string, token: string): string | undefined {
  const [id, given, ...rest] = token.split('.');
  if (!id || !given || rest.length > 0 || !ULID_PATTERN.test(id)) return undefined;
  return macMatches(mac(secret, VISITOR_TOKEN_PURPOSE, visitorId, id), given) ? id : undefined;
}
