/**
 * The marketing events of the contract (events.ts spreads them in): lists at scale (imports, bulk
 * actions), segment membership, a contact's standing (lead score, lifecycle stage), and what
 * known visitors do on the site and in the product (tracking).
 */
import * as z from 'zod/mini';
import './zod-messages.js';
import { EVENT_SOURCES, envelope } from './event-parts.js';

/** The stages a contact moves through, in order (scoring/model.ts names them for people). */
export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketing_qualified_lead',
  'sales_qualified_lead',
  'opportunity',
  'customer',
  'evangelist',
] as const;

export const marketingEventContracts = {
  /** An import was started: the planner reads its file into chunks. */
  ImportStarted: {
    source: EVENT_SOURCES.imports,
    detail: z.lazy(() => z.object({ ...envelope(), importId: z.string() })),
  },
  /** Every row of an import was processed. */
  ImportCompleted: {
    source: EVENT_SOURCES.imports,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        importId: z.string(),
        rows: z.number(),
        processed: z.number(),
        created: z.number(),
        updated: z.number(),
        unchanged: z.number(),
        failed: z.number(),
        /** Tags the import added, with how many contacts each was added to. */
        tagsAdded: z.record(z.string(), z.number()),
      }),
    ),
  },
  /** A bulk action was started: its planner pages the audience into chunks. */
  BulkActionStarted: {
    source: EVENT_SOURCES.bulk,
    detail: z.lazy(() => z.object({ ...envelope(), jobId: z.string() })),
  },
  /** Every contact of a bulk action's audience was processed. */
  BulkActionCompleted: {
    source: EVENT_SOURCES.bulk,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        jobId: z.string(),
        action: z.string(),
        processed: z.number(),
        changed: z.number(),
        unchanged: z.number(),
        failed: z.number(),
      }),
    ),
  },
  /** A contact started to match a segment a published workflow is triggered by (segments are tracked while one is). */
  SegmentEntered: {
    source: EVENT_SOURCES.segments,
    detail: z.lazy(() => z.object({ ...envelope(), contactId: z.string(), segmentId: z.string() })),
  },
  /** A contact no longer matches a tracked segment (entering it again is a new SegmentEntered). */
  SegmentLeft: {
    source: EVENT_SOURCES.segments,
    detail: z.lazy(() => z.object({ ...envelope(), contactId: z.string(), segmentId: z.string() })),
  },
  /**
   * A segment was edited (renamed, its conditions changed) to `segmentVersion`. `previousFilter`: its
   * conditions before, when they changed (its tracked membership is matched again: insights).
   */
  SegmentChanged: {
    source: EVENT_SOURCES.segments,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        segmentId: z.string(),
        segmentVersion: z.number(),
        name: z.string(),
        previousFilter: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
  },
  /** A segment was deleted (its membership records are dropped after it, in the background). */
  SegmentDeleted: {
    source: EVENT_SOURCES.segments,
    detail: z.lazy(() => z.object({ ...envelope(), segmentId: z.string(), name: z.string() })),
  },
  /**
   * A contact's lead score changed by scoring rules (`ruleIds`) or by hand. `thresholdReached`: it
   * crossed the workspace's qualification threshold upward with this change (the `scoreReached` trigger).
   */
  ScoreChanged: {
    source: EVENT_SOURCES.scoring,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        previousScore: z.number(),
        score: z.number(),
        ruleIds: z.array(z.string()),
        thresholdReached: z.boolean(),
      }),
    ),
  },
  /** A known contact viewed a page of the site (the tracking snippet). */
  PageVisited: {
    source: EVENT_SOURCES.tracking,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        visitId: z.string(),
        path: z.string(),
        url: z.string(),
        /** The host of the page the visitor came from, when it was another site (a referral). */
        referrer: z.optional(z.string()),
      }),
    ),
  },
  /** A known contact did something the site (the snippet) or the product (POST /v1/events) reports. */
  EventTracked: {
    source: EVENT_SOURCES.tracking,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        visitId: z.string(),
        name: z.string(),
        source: z.enum(['site', 'api']),
      }),
    ),
  },
  /**
   * A visitor was identified as a contact (an email link's token): its earlier anonymous page views
   * (`paths`) and events (`events`) joined the contact.
   */
  VisitorIdentified: {
    source: EVENT_SOURCES.tracking,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        visitorId: z.string(),
        paths: z.array(z.string()),
        events: z.array(z.string()),
      }),
    ),
  },
  /** A contact moved to another lifecycle stage: forward by a rule, or either way by hand. */
  LifecycleStageChanged: {
    source: EVENT_SOURCES.scoring,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        fromStage: z.optional(z.enum(LIFECYCLE_STAGES)),
        toStage: z.enum(LIFECYCLE_STAGES),
        reason: z.enum(['form_submitted', 'score', 'deal_created', 'deal_won', 'manual']),
      }),
    ),
  },
} as const;
