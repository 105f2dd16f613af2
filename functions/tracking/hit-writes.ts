/**
 * The writes a site hit becomes: a known contact's hit (its visit, summary, timeline and event), and
 * an identification (the visitor's profile, its earlier anonymous hits moved to the contact,
 * VisitorIdentified) — each a list committed in one transaction.
 */
import type { Activity } from '#contacts/model.js';
import { emit } from '#platform/store.js';
import type { Visit } from './model.js';
import type { TrackingDeps, TrackingWrite } from './store.js';

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
export function contactWrites(
  deps: TrackingDeps,
  contactId: string,
  visits: Visit[],
  now: Date,
): TrackingWrite[] {
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
export function identificationWrites(
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
