/**
 * Site tracking use cases. A hit of an unknown visitor is one put under the visitor (it expires). A
 * visitor who arrives by a contact's email link (its signed token) is identified: in one
 * transaction the visitor is marked as that contact and its latest anonymous hits join the contact,
 * announced as VisitorIdentified (scoring counts those pages then), and the answer gives the
 * snippet a visitor token. Hits carrying it are the contact's (PageVisited, EventTracked; custom
 * events also on its timeline) without a read: the contact's existence is checked in the hit's own
 * transaction. The per-address limit is counted in memory (HitLimiter), behind WAF's.
 */
import { DomainError, invalid, notFound } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import { normalizeEmail } from '#platform/values.js';
import { HitLimiter } from './hit-limiter.js';
import { contactWrites, identificationWrites, MERGED_AT_MOST } from './hit-writes.js';
import {
  type CollectBody,
  type ContactVisits,
  type ProductEventBody,
  RAW_RETENTION_DAYS,
  type Visit,
} from './model.js';
import { cleanUrl, isBot, signVisitorToken, verifyContactToken, verifyVisitorToken } from './rules.js';
import type { TrackingDeps } from './store.js';

/** Hits one address may send in a minute (a page view and a few events per page, for a busy office). */
export const HITS_PER_IP_PER_MINUTE = 300;
/** Addresses one instance keeps a window of (a bounded map: see HitLimiter). */
const ADDRESSES_COUNTED = 20_000;

/** This instance's per-address window of collect hits (in memory: see HitLimiter). */
export const collectLimiter = (now?: () => number) =>
  new HitLimiter({
    limit: HITS_PER_IP_PER_MINUTE,
    windowMs: 60_000,
    maxAddresses: ADDRESSES_COUNTED,
    ...(now ? { now } : {}),
  });

export type CollectOutcome = 'anonymous' | 'contact' | 'identified' | 'bot';

export interface Caller {
  userAgent: string | undefined;
  ip: string;
}

function visitOf(deps: TrackingDeps, body: CollectBody, now: Date): Visit {
  const { url, path } = cleanUrl(body.url);
  return {
    id: deps.ids.next(),
    at: now.toISOString(),
    type: body.t,
    url,
    path,
    ...(body.title ? { title: body.title } : {}),
    ...(body.ref ? { referrer: body.ref } : {}),
    ...(body.t === 'event' && body.name ? { name: body.name } : {}),
    ...(body.t === 'event' && body.props ? { properties: body.props } : {}),
    source: 'site',
  };
}

/** What the endpoint needs besides the store: the signing key and this instance's limiter. */
export interface CollectContext {
  secret: () => Promise<string>;
  limiter: HitLimiter;
}

/** What became of a hit, and the visitor token to answer with (a hit that asked, of a known visitor). */
export interface CollectResult {
  outcome: CollectOutcome;
  visitorToken?: string;
}

/**
 * Records one hit of the snippet. Bots are not recorded (the caller counts them). What it costs in
 * DynamoDB: an anonymous hit one PutItem; a hit with a valid visitor token one transaction (the
 * visit, the summary, the event, the contact's ConditionCheck); a hit that asks (`ask`) a read of
 * the visitor's profile first; an email link's hit the reads of an identification. A visitor token
 * that does not verify (forged, edited, another visitor's) identifies nobody: the hit is anonymous.
 */
export async function collectHit(
  deps: TrackingDeps,
  ctx: CollectContext,
  body: CollectBody,
  caller: Caller,
): Promise<CollectResult> {
  if (isBot(caller.userAgent)) return { outcome: 'bot' };
  const retryAfter = ctx.limiter.take(caller.ip);
  if (retryAfter !== undefined)
    throw new DomainError(
      'rate_limited',
      'rate_limited',
      'too many hits from this address; try again in a minute',
      [],
      retryAfter,
    );
  const now = deps.clock.now();
  const visit = visitOf(deps, body, now);
  const key = body.ct || body.vt || body.ask ? await ctx.secret() : '';
  const carried = body.vt ? verifyVisitorToken(key, body.v, body.vt) : undefined;
  const fromLink = body.ct ? verifyContactToken(key, body.ct) : undefined;
  let result: { outcome: CollectOutcome; contactId?: string };
  if (fromLink && fromLink !== carried)
    result = await fromEmailLink(deps, body.v, fromLink, carried, visit, now);
  else if (body.ask) {
    // After a form submission (identified by the scoring consumer) or a link whose answer was lost.
    const contactId = (await deps.store.getVisitorContact(body.v)) ?? carried;
    result = contactId
      ? await contactHit(deps, body.v, contactId, visit, now)
      : await anonymous(deps, body.v, visit);
  } else if (carried) result = await contactHit(deps, body.v, carried, visit, now);
  else result = await anonymous(deps, body.v, visit);
  // Only a hit whose answer the snippet reads gets the token.
  return result.contactId && (body.ct || body.ask)
    ? { outcome: result.outcome, visitorToken: signVisitorToken(key, body.v, result.contactId) }
    : { outcome: result.outcome };
}

async function anonymous(deps: TrackingDeps, visitorId: string, visit: Visit) {
  await deps.store.commit([{ kind: 'recordAnonymousHit', visitorId, visit }]);
  return { outcome: 'anonymous' as const };
}

/** A known contact's hit, in one transaction with the contact's ConditionCheck: erased, its hits are nobody's again. */
async function contactHit(deps: TrackingDeps, visitorId: string, contactId: string, visit: Visit, now: Date) {
  try {
    await deps.store.commit([
      { kind: 'requireContact', contactId },
      ...contactWrites(deps, contactId, [visit], now),
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict) || err.part !== 'contact') throw err;
    return anonymous(deps, visitorId, visit);
  }
  return { outcome: 'contact' as const, contactId };
}

/** A hit carrying an email link's valid token of another contact than its visitor token's (if any). */
async function fromEmailLink(
  deps: TrackingDeps,
  visitorId: string,
  linkContact: string,
  carried: string | undefined,
  visit: Visit,
  now: Date,
): Promise<{ outcome: CollectOutcome; contactId?: string }> {
  const [previous, contact] = await Promise.all([
    deps.store.getVisitorContact(visitorId),
    deps.store.getContact(linkContact),
  ]);
  // An erased contact's link identifies nobody.
  if (!contact)
    return carried ? contactHit(deps, visitorId, carried, visit, now) : anonymous(deps, visitorId, visit);
  // Already that contact (the snippet lost its token, or a second tab): a hit of the contact.
  if (previous === linkContact) return contactHit(deps, visitorId, linkContact, visit, now);
  return {
    outcome: await identify(deps, visitorId, linkContact, previous, visit, now),
    contactId: linkContact,
  };
}

/**
 * Identifies the visitor as the contact: its latest anonymous hits (none when it was another
 * contact's before: those stay with that contact) and this one join the contact, all or nothing.
 */
async function identify(
  deps: TrackingDeps,
  visitorId: string,
  contactId: string,
  previous: string | undefined,
  visit: Visit,
  now: Date,
): Promise<CollectOutcome> {
  const earlier = previous ? [] : await deps.store.listAnonymousHits(visitorId, MERGED_AT_MOST);
  const writes = identificationWrites(deps, { visitorId, contactId }, earlier, visit, now);
  try {
    await deps.store.commit(writes);
  } catch (err) {
    // Identified meanwhile by the same link (a second tab): this hit is the contact's.
    if (!(err instanceof CommitConflict) || err.part !== 'identified') throw err;
    await deps.store.commit(contactWrites(deps, contactId, [visit], now));
    return 'contact';
  }
  return 'identified';
}

/**
 * A visitor who submitted a form on the site (the snippet put its id in the form) is the contact the
 * submission is: its latest anonymous hits join the contact, as with an email link. Idempotent: a
 * visitor already identified as that contact changes nothing.
 */
export async function identifyFromForm(
  deps: TrackingDeps,
  visitorId: string,
  contactId: string,
): Promise<'identified' | 'unchanged' | 'no_contact'> {
  const [known, contact] = await Promise.all([
    deps.store.getVisitorContact(visitorId),
    deps.store.getContact(contactId),
  ]);
  if (!contact) return 'no_contact';
  if (known === contactId) return 'unchanged';
  const now = deps.clock.now();
  const earlier = known ? [] : await deps.store.listAnonymousHits(visitorId, MERGED_AT_MOST);
  try {
    await deps.store.commit(identificationWrites(deps, { visitorId, contactId }, earlier, undefined, now));
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'identified') return 'unchanged';
    throw err;
  }
  return 'identified';
}

/** A product event another system reports for the contact with that email. */
export async function recordProductEvent(deps: TrackingDeps, body: ProductEventBody): Promise<Visit> {
  const contactId = await deps.store.findContactIdByEmail(normalizeEmail(body.email));
  if (!contactId) throw notFound('contact with email', body.email);
  const now = deps.clock.now();
  const at = body.occurredAt ? new Date(body.occurredAt) : now;
  // Not in the future (a clock a little ahead aside), not older than what raw hits are kept for.
  if (
    at.getTime() > now.getTime() + 5 * 60_000 ||
    at.getTime() < now.getTime() - RAW_RETENTION_DAYS * 86_400_000
  )
    throw invalid('occurred_at_out_of_range', 'occurredAt must be within the last 90 days', [
      {
        path: 'occurredAt',
        message: 'must be within the last 90 days and not in the future',
        code: 'out_of_range',
      },
    ]);
  const visit: Visit = {
    id: deps.ids.next(),
    at: at.toISOString(),
    type: 'event',
    name: body.name,
    ...(body.properties ? { properties: body.properties } : {}),
    source: 'api',
  };
  await deps.store.commit(contactWrites(deps, contactId, [visit], now));
  return visit;
}

/** A contact's site and product activity: what stays (the summary) and the hits still kept. */
export async function listContactVisits(
  deps: TrackingDeps,
  contactId: string,
  options: { limit: number; cursor?: string | undefined },
): Promise<ContactVisits> {
  const [contact, summary, page] = await Promise.all([
    deps.store.getContact(contactId),
    deps.store.getWebSummary(contactId),
    deps.store.listVisits(contactId, options),
  ]);
  if (!contact) throw notFound('contact', contactId);
  return { summary: summary ?? { pageViews: 0, events: 0 }, ...page };
}
