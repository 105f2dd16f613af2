/**
 * What follows a segment's edit and delete, in the segment-membership consumer (never on a request
 * path; every read a Query or a Get by key).
 *
 * Edited conditions (SegmentChanged with `previousFilter`), for a tracked segment (one an active
 * workflow is triggered by; an untracked one keeps no membership): each contact recorded in it that
 * no longer matches leaves it (SegmentLeft); each contact the new conditions match that is not
 * recorded and did not match the previous ones enters it (SegmentEntered, which enrolls it). A
 * contact that matched before and is not recorded stays as creation leaves it: it is recorded on its
 * next change (membership.ts). Each contact is one transaction that checks it is still the version
 * matched; one changed meanwhile (or recorded meanwhile) is skipped: its own change event matches
 * it against the new conditions. Delivered twice, it does nothing twice.
 *
 * Deleted (SegmentDeleted): its membership records are dropped, page by page (its GSI1 partition).
 */
import type { Contact } from '#contacts/model.js';
import { CommitConflict, type Emit } from '#platform/store.js';
import { entering, leaving } from './membership.js';
import { type Segment, type SegmentFilter, SegmentFilterSchema } from './model.js';
import { evaluateFilter, matchesFilter } from './segments.js';
import type { InsightsDeps, InsightsWrite } from './store.js';

const PAGE = 100;

/** The contacts' latest engagement of the filter's type (none asked: an empty map). */
async function engagementsFor(deps: InsightsDeps, filter: SegmentFilter, ids: string[]) {
  const type = filter.engagement?.type;
  return type && ids.length > 0 ? deps.store.getEngagements(ids, type) : new Map<string, string>();
}

/** Commits one contact's change of membership; false when the contact or its record changed meanwhile. */
async function settle(
  deps: InsightsDeps,
  contact: Contact,
  writes: Array<InsightsWrite | Emit>,
): Promise<boolean> {
  try {
    await deps.store.commit([
      { kind: 'contactUnchanged', contactId: contact.id, version: contact.version },
      ...writes,
    ]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false;
    throw err;
  }
}

/** Recorded members that the segment's conditions no longer match leave it. */
async function leaveNonMatching(deps: InsightsDeps, segment: Segment, now: Date): Promise<string[]> {
  const left: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listSegmentMembers(segment.id, { limit: PAGE, cursor });
    const [contacts, engaged] = await Promise.all([
      deps.store.getContacts(page.items),
      engagementsFor(deps, segment.filter, page.items),
    ]);
    for (const contactId of page.items) {
      const contact = contacts.get(contactId);
      // Erased: its records went with its partition (a stale index entry).
      if (!contact || matchesFilter(contact, segment.filter, now, engaged.get(contactId))) continue;
      if (await settle(deps, contact, leaving(deps, now, contactId, segment.id))) left.push(contactId);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return left;
}

/** Contacts the new conditions match, not recorded, that the previous ones did not match, enter it. */
async function enterNewlyMatching(
  deps: InsightsDeps,
  segment: Segment,
  previous: SegmentFilter,
): Promise<string[]> {
  const entered: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await evaluateFilter(deps, segment.filter, { limit: PAGE, cursor });
    const ids = page.items.map((c) => c.id);
    const now = deps.clock.now();
    const [members, engagedBefore] = await Promise.all([
      ids.length > 0 ? deps.store.findSegmentMembers(segment.id, ids) : Promise.resolve(new Set<string>()),
      engagementsFor(deps, previous, ids),
    ]);
    for (const contact of page.items) {
      if (members.has(contact.id) || matchesFilter(contact, previous, now, engagedBefore.get(contact.id)))
        continue;
      if (await settle(deps, contact, entering(deps, now, contact.id, segment.id))) entered.push(contact.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return entered;
}

/** After an edit of the segment's conditions (`previousFilter`: what they were). */
export async function rematchSegment(
  deps: InsightsDeps,
  segmentId: string,
  previousFilter: unknown,
): Promise<{ entered: string[]; left: string[] }> {
  const segment = await deps.store.getSegment(segmentId);
  // Deleted since (SegmentDeleted drops its records), or untracked (no membership is kept).
  if (!segment || !(await deps.store.listTrackedSegmentIds()).includes(segmentId))
    return { entered: [], left: [] };
  const previous = SegmentFilterSchema.parse(previousFilter);
  const left = await leaveNonMatching(deps, segment, deps.clock.now());
  const entered = await enterNewlyMatching(deps, segment, previous);
  return { entered, left };
}

/** After a delete: every membership record of the segment goes. */
export async function dropSegmentMemberships(deps: InsightsDeps, segmentId: string): Promise<number> {
  let dropped = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.listSegmentMembers(segmentId, { limit: 25, cursor });
    if (page.items.length > 0)
      await deps.store.commit(
        page.items.map((contactId) => ({ kind: 'dropMembership' as const, contactId, segmentId })),
      );
    dropped += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return dropped;
}
