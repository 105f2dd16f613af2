/** Insights' storage port: report counters (with per-event markers), saved segments, candidate reads. */
import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads } from '#messaging/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { SalesReads } from '#sales/store.js';
import type { Segment } from './model.js';

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
  | { kind: 'putSegment'; segment: Segment };

export interface InsightsReads {
  /** Counter items of a group, optionally only buckets in [from, to] (string order). */
  getCounters(group: string, range?: { from: string; to: string }): Promise<Counter[]>;
  getSegment(id: string): Promise<Segment | undefined>;
  listSegments(options: ListOptions): Promise<Page<Segment>>;
  /** One page of candidate contact ids from an index, each with the cursor that resumes after it. */
  listCandidates(
    source: CandidateSource,
    options: ListOptions,
  ): Promise<{ items: Candidate[]; nextCursor?: string }>;
}

export type InsightsStore = InsightsReads &
  Pick<ContactsReads, 'getContacts'> &
  Pick<MessagingReads, 'getEngagements'> &
  Pick<SalesReads, 'listPipelines'> &
  Commit<InsightsWrite>;
export type InsightsDeps = Deps<InsightsStore>;
