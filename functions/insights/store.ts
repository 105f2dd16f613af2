/** Insights' storage port: report counters (with per-event markers), saved segments, candidate reads. */
import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads } from '#messaging/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { SalesReads } from '#sales/store.js';
import type { DealAttribution, Segment, WonDeal } from './model.js';

/** Deltas for one counter item (`group` partition, `bucket` item). */
export interface CounterDelta {
  group: string;
  bucket: string;
  deltas: Record<string, number>;
}

export interface Counter {
  bucket: string;
  values: Record<string, number>;
}

/** Where a segment's candidates come from: one index, read in order. */
export type CandidateSource =
  | { index: 'tag'; tag: string }
  | { index: 'created'; after: string; before: string }
  | { index: 'engaged'; type: 'opened' | 'clicked'; since: string }
  | { index: 'all' };

export interface Candidate {
  contactId: string;
  /** Resumes the source right after this candidate. */
  cursor: string;
}

export type InsightsWrite =
  /** Applies counter deltas once per event: a second commit with the same event id is a conflict (part `processed`). */
  | { kind: 'bumpCounters'; consumer: string; eventId: string; counters: CounterDelta[] }
  /** A new segment (`expectedVersion` absent), or an edit of the one at `expectedVersion` (a conflict otherwise). */
  | { kind: 'putSegment'; segment: Segment; expectedVersion?: number }
  /** The segment goes, if it is still at `expectedVersion` (a conflict otherwise). */
  | { kind: 'deleteSegment'; segmentId: string; expectedVersion: number }
  /** A deleted segment's membership record goes (no condition: already gone is fine). */
  | { kind: 'dropMembership'; contactId: string; segmentId: string }
  /** The contact matches the segment now (a conflict, part `membership`, if it was recorded already). */
  | { kind: 'enterSegment'; contactId: string; segmentId: string; at: string }
  /** The contact no longer matches it (a conflict, part `membership`, if it was not recorded). */
  | { kind: 'leaveSegment'; contactId: string; segmentId: string }
  /** The contact is still at this version (a conflict, part `contact`, if it changed since it was read). */
  | { kind: 'contactUnchanged'; contactId: string; version: number }
  /** A won deal's touches (written with its revenue's counters, so once). */
  | { kind: 'putDealAttribution'; attribution: DealAttribution }
  /**
   * The deal is no longer won: its attribution goes (a conflict, part `attribution`, unless it is
   * the one won at `wonAt`), and so does its per-deal marker, so a new win credits it again.
   */
  | { kind: 'withdrawDealAttribution'; consumer: string; dealId: string; wonAt: string }
  /**
   * Records the deal as counted won: new (`expected` absent; a conflict, part `wonDeal`, if it is
   * recorded) or replacing the record won at `expected.wonAt` with that amount and currency.
   */
  | { kind: 'putWonDeal'; won: WonDeal; expected?: WonDeal | undefined }
  /** The deal is no longer counted won (a conflict, part `wonDeal`, unless it is the record `expected`). */
  | { kind: 'deleteWonDeal'; expected: WonDeal }
  /**
   * Records the day the point-in-time figures' net changes began to be counted (open-changes.ts):
   * written once (a conflict, part `history`, if it is there already).
   */
  | { kind: 'startHistory'; since: string };

export interface InsightsReads {
  /** Counter items of a group, optionally only buckets in [from, to] (string order). */
  getCounters(group: string, range?: { from: string; to: string }): Promise<Counter[]>;
  getSegment(id: string): Promise<Segment | undefined>;
  listSegments(options: ListOptions): Promise<Page<Segment>>;
  /** Segments a published workflow is triggered by: their membership is tracked. */
  listTrackedSegmentIds(): Promise<string[]>;
  /** The tracked segments a contact was last found to match. */
  getSegmentMemberships(contactId: string): Promise<string[]>;
  /** One page of the contacts recorded in a segment (its membership records, by contact id). */
  listSegmentMembers(segmentId: string, options: ListOptions): Promise<Page<string>>;
  /** Of `contactIds`, those recorded in the segment. */
  findSegmentMembers(segmentId: string, contactIds: string[]): Promise<Set<string>>;
  /** The active workflows triggered by the segment (their trigger records: one Query by key). */
  listSegmentWorkflowIds(segmentId: string): Promise<string[]>;
  getDealAttribution(dealId: string): Promise<DealAttribution | undefined>;
  /** The deal as counted won (deals-won.ts); not won: undefined. */
  getWonDeal(dealId: string): Promise<WonDeal | undefined>;
  /** Won deals with their touches, the latest won first. */
  listWonDeals(options: ListOptions): Promise<Page<DealAttribution>>;
  /** The day the net changes of the point-in-time figures began to be counted (none yet: undefined). */
  getHistoryStart(): Promise<string | undefined>;
  /** One page of candidate contact ids from an index, each with the cursor that resumes after it. */
  listCandidates(
    source: CandidateSource,
    options: ListOptions,
  ): Promise<{ items: Candidate[]; nextCursor?: string }>;
}

export type InsightsStore = InsightsReads &
  Pick<ContactsReads, 'getContacts' | 'getContact'> &
  Pick<MessagingReads, 'getEngagements'> &
  Pick<SalesReads, 'listPipelines' | 'getPipeline'> &
  Commit<InsightsWrite>;
export type InsightsDeps = Deps<InsightsStore>;
