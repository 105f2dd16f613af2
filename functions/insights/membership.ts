/**
 * Segment membership, for the segments a published workflow is triggered by: when a contact changes
 * (created, updated, tagged, untagged, engaged), it is matched against each of them again; a segment
 * it starts to match is recorded on the contact with SegmentEntered, one it no longer matches is
 * removed with SegmentLeft — in one transaction that also checks the contact is still the version
 * that was matched (changed meanwhile: matched again). A membership already recorded, or already
 * gone, makes it a no-op: events delivered twice, or out of order, announce nothing twice.
 *
 * Membership is kept only while a segment is tracked, and only on a contact's changes (not an
 * import's: its contacts are matched when they next change): a segment
 * whose filter depends on time (created within N days, engaged within N days) is not re-evaluated as
 * time passes. An edit of a tracked segment's conditions matches its recorded members, and the
 * contacts it now matches, again; a deleted segment's records are dropped (segment-rematch.ts).
 */
import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads } from '#messaging/store.js';
import { type Commit, CommitConflict, type Deps, emit } from '#platform/store.js';
import type { Segment } from './model.js';
import { matchesFilter } from './segments.js';
import type { InsightsReads, InsightsWrite } from './store.js';

export type MembershipDeps = Deps<
  Pick<InsightsReads, 'getSegment' | 'listTrackedSegmentIds' | 'getSegmentMemberships'> &
    Pick<ContactsReads, 'getContact'> &
    Pick<MessagingReads, 'getEngagements'> &
    Commit<InsightsWrite>
>;

/** Attempts at a consistent match before the event is handed back (and delivered again). */
const ATTEMPTS = 4;

/** A contact entering a segment: its record and SegmentEntered (here and after a segment's edit). */
export const entering = (
  deps: Pick<MembershipDeps, 'clock' | 'ids'>,
  now: Date,
  contactId: string,
  segmentId: string,
) => [
  { kind: 'enterSegment' as const, contactId, segmentId, at: now.toISOString() },
  emit(deps, now, 'SegmentEntered', { contactId, segmentId }),
];

/** A contact leaving a segment: its record removed and SegmentLeft. */
export const leaving = (
  deps: Pick<MembershipDeps, 'clock' | 'ids'>,
  now: Date,
  contactId: string,
  segmentId: string,
) => [
  { kind: 'leaveSegment' as const, contactId, segmentId },
  emit(deps, now, 'SegmentLeft', { contactId, segmentId }),
];

export async function updateMemberships(
  deps: MembershipDeps,
  contactId: string,
): Promise<{ entered: string[]; left: string[] }> {
  for (let attempt = 1; ; attempt++) {
    const tracked = await deps.store.listTrackedSegmentIds();
    if (tracked.length === 0) return { entered: [], left: [] };
    const [contact, members, segments] = await Promise.all([
      deps.store.getContact(contactId),
      deps.store.getSegmentMemberships(contactId),
      Promise.all(tracked.map((id) => deps.store.getSegment(id))),
    ]);
    // Erased meanwhile: its memberships went with its partition.
    if (!contact) return { entered: [], left: [] };
    const now = deps.clock.now();
    const live = segments.filter((s): s is Segment => s !== undefined);
    // The contact's engagement of each type a segment asks about, read once per type.
    const types = [...new Set(live.flatMap((s) => (s.filter.engagement ? [s.filter.engagement.type] : [])))];
    const engaged = new Map(
      await Promise.all(
        types.map(
          async (type) =>
            [type, (await deps.store.getEngagements([contactId], type)).get(contactId)] as const,
        ),
      ),
    );
    const matching = new Set<string>();
    for (const segment of live) {
      const type = segment.filter.engagement?.type;
      if (matchesFilter(contact, segment.filter, now, type ? engaged.get(type) : undefined))
        matching.add(segment.id);
    }
    const entered = [...matching].filter((id) => !members.includes(id));
    // A deleted segment is left too; one no longer tracked keeps its record (it is not looked at).
    const left = members.filter((id) => tracked.includes(id) && !matching.has(id));
    if (entered.length === 0 && left.length === 0) return { entered, left };
    try {
      await deps.store.commit([
        { kind: 'contactUnchanged', contactId, version: contact.version },
        ...entered.flatMap((segmentId) => entering(deps, now, contactId, segmentId)),
        ...left.flatMap((segmentId) => leaving(deps, now, contactId, segmentId)),
      ]);
      return { entered, left };
    } catch (err) {
      // The contact changed, or another evaluation recorded first: match again on what is there now.
      if (err instanceof CommitConflict && attempt < ATTEMPTS) continue;
      throw err;
    }
  }
}
