/**
 * Site tracking use cases. A hit of an unknown visitor is kept under the visitor (it expires). A
 * visitor who arrives by a contact's email link (its signed token) is identified: in one
 * transaction the visitor is marked as that contact and its latest anonymous hits join the contact,
 * announced as VisitorIdentified (scoring counts those pages then). Hits of a known visitor are the
 * contact's (PageVisited, EventTracked); custom events are also on its timeline.
 */
import { createHash } from 'node:crypto';
import type { Activity } from '#contacts/model.js';
import { DomainError, invalid, notFound } from '#platform/errors.js';
import { CommitConflict, emit } from '#platform/store.js';
import { normalizeEmail } from '#platform/values.js';
import {
  type CollectBody,
  type ContactVisits,
  type ProductEventBody,
  RAW_RETENTION_DAYS,
  type Visit,
} from './model.js';
import { cleanUrl, isBot, verifyContactToken } from './rules.js';
import type { TrackingDeps, TrackingWrite } from './store.js';

/** Hits one address may send in a minute (a page view and a few events per page, for a busy office). */
export const HITS_PER_IP_PER_MINUTE = 300;
/** The latest anonymous hits an identification moves to the contact (one transaction's worth). */
export const MERGED_AT_MOST = 90;
/** Items of an identification's transaction besides the merged hits (profile, summary, events, this hit). */
const IDENTIFY_ITEMS = 6;
const MAX_TRANSACTION_ITEMS = 100;

/**
 * The latest earlier hits that fit in the identification's transaction: a page is one item, an
 * event two (it is put on the timeline too).
 */
function mergeable(earlier: Visit[]): Visit[] {
  const out: Visit[] = [];
  let items = IDENTIFY_ITEMS;
  for (const v of earlier) {
    items += v.type === 'event' ? 2 : 1;
    if (items > MAX_TRANSACTION_ITEMS) break;
    out.push(v);
  }
  return out;
}

/** What VisitorIdentified names of the merged hits: each page and event once, at most 50 of each. */
function merged(visits: Visit[]): { paths: string[]; events: string[] } {
  const unique = (xs: string[]) => [...new Set(xs)].slice(0, 50);
  return {
    paths: unique(visits.flatMap((v) => (v.type === 'page' && v.path ? [v.path] : []))),
    events: unique(visits.flatMap((v) => (v.type === 'event' && v.name ? [v.name] : []))),
  };
}
const RATE_WINDOW_MS = 60_000;

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

/** The referring site's host, when the visitor came from another site than the page's. */
function referralOf(visit: Visit): { referrer?: string } {
  if (!visit.referrer || !visit.url) return {};
  try {
    const from = new URL(visit.referrer).host;
    return from && from !== new URL(visit.url).host ? { referrer: from } : {};
  } catch {
    return {};
  }
}

/**
 * The writes of one hit of a known contact besides the visit itself: a custom event on its
 * timeline, and (when `announce`) the hit's event — PageVisited or EventTracked.
 */
function hitWrites(
  deps: TrackingDeps,
  contactId: string,
  visit: Visit,
  now: Date,
  announce: boolean,
): TrackingWrite[] {
  if (visit.type === 'page')
    return announce
      ? [
          emit(deps, now, 'PageVisited', {
            contactId,
            visitId: visit.id,
            path: visit.path ?? '/',
            url: visit.url ?? '',
            ...referralOf(visit),
          }),
        ]
      : [];
  const name = visit.name ?? 'event';
  const activity: Activity = {
    id: visit.id,
    contactId,
    type: 'event_tracked',
    body: name,
    occurredAt: visit.at,
    recordedAt: now.toISOString(),
    data: { source: visit.source, ...(visit.properties ? { properties: visit.properties } : {}) },
  };
  return [
    { kind: 'putActivity', activity, checkContact: false },
    ...(announce
      ? [emit(deps, now, 'EventTracked', { contactId, visitId: visit.id, name, source: visit.source })]
      : []),
  ];
}

/** The writes that record known contact's hits: the visits (and the summary), each announced. */
function contactWrites(deps: TrackingDeps, contactId: string, visits: Visit[], now: Date): TrackingWrite[] {
  return [
    { kind: 'recordVisits', contactId, visits },
    ...visits.flatMap((visit) => hitWrites(deps, contactId, visit, now, true)),
  ];
}

/**
 * Identifies the visitor as the contact, all or nothing: the profile, its latest anonymous hits that
 * fit (none when it was another contact's before: those stay with that contact) moved to the contact
 * with their events on its timeline, announced by one VisitorIdentified; and `current`, the hit
 * that identified it, announced as any hit of a known contact.
 */
function identificationWrites(
  deps: TrackingDeps,
  ids: { visitorId: string; contactId: string },
  earlier: Visit[],
  current: Visit | undefined,
  now: Date,
): TrackingWrite[] {
  const { visitorId, contactId } = ids;
  const moved = mergeable(earlier);
  const visits = current ? [...moved, current] : moved;
  return [
    { kind: 'identifyVisitor', visitorId, contactId, at: now.toISOString() },
    ...(visits.length > 0 ? [{ kind: 'recordVisits' as const, contactId, visits }] : []),
    ...moved.flatMap((visit) => hitWrites(deps, contactId, visit, now, false)),
    emit(deps, now, 'VisitorIdentified', { contactId, visitorId, ...merged(moved) }),
    ...(current ? hitWrites(deps, contactId, current, now, true) : []),
  ];
}

/** The rate window of an address's hits in the minute of `now` (the address hashed: no IP is stored). */
export function collectRateWindow(ip: string, now: Date): { key: string; end: Date } {
  const windowStart = now.getTime() - (now.getTime() % RATE_WINDOW_MS);
  return {
    key: `collect:${createHash('sha256').update(ip).digest('base64url')}:${windowStart}`,
    end: new Date(windowStart + RATE_WINDOW_MS),
  };
}

async function takeSlot(deps: TrackingDeps, ip: string, now: Date) {
  const window = collectRateWindow(ip, now);
  const ok = await deps.store.takeRateSlot(window.key, HITS_PER_IP_PER_MINUTE, window.end);
  if (!ok)
    throw new DomainError(
      'rate_limited',
      'rate_limited',
      'too many hits from this address; try again in a minute',
      [],
      Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000)),
    );
}

/** Records one hit of the snippet. Bots are not recorded (the caller counts them). */
export async function collectHit(
  deps: TrackingDeps,
  secret: () => Promise<string>,
  body: CollectBody,
  caller: Caller,
): Promise<CollectOutcome> {
  if (isBot(caller.userAgent)) return 'bot';
  const now = deps.clock.now();
  const visit = visitOf(deps, body, now);
  // The address's slot is taken while the visitor is looked up: a refused hit only read.
  const [, fromLink, known] = await Promise.all([
    takeSlot(deps, caller.ip, now),
    body.ct ? secret().then((s) => verifyContactToken(s, body.ct ?? '')) : undefined,
    deps.store.getVisitorContact(body.v),
  ]);
  if (fromLink && fromLink !== known && (await deps.store.getContact(fromLink)))
    return identify(deps, body.v, fromLink, known, visit, now);
  // Erased since it was identified: its hits are nobody's again.
  if (known && (await deps.store.getContact(known))) {
    await deps.store.commit(contactWrites(deps, known, [visit], now));
    return 'contact';
  }
  await deps.store.commit([{ kind: 'recordAnonymousHit', visitorId: body.v, visit }]);
  return 'anonymous';
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
