/**
 * A bulk action: one change (add a tag, remove a tag, enroll into a workflow, delete) applied to every contact of an
 * audience (a selection, a tag, a segment) as a job on the same engine as imports: a planner pages
 * the audience from its index into chunk messages, chunk workers apply the change, each chunk is
 * counted once.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

/** A selection is sent in the request: at most this many contacts (a tag or a segment has no limit). */
export const MAX_SELECTION = 1000;
export const BULK_CHUNK = 100;

export const BulkActionSchema = z.lazy(() =>
  z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('addTag'), tag: z.string() }),
      z.object({ kind: z.literal('removeTag'), tag: z.string() }),
      z.object({ kind: z.literal('delete') }),
      /** Enroll into a published workflow (contacts it would not enroll are left: see enrollment). */
      z.object({ kind: z.literal('enroll'), workflowId: z.string() }),
      /** Send a campaign's email (campaigns/send.ts applies it). */
      z.object({
        kind: z.literal('sendCampaign'),
        campaignId: z.string(),
        /** An A/B campaign's share of test variants, then the winner to the rest. */
        phase: z.optional(z.enum(['test', 'winner'])),
      }),
      /** The audience as a CSV file. */
      z.object({ kind: z.literal('export') }),
      /** How many contacts the audience holds, exactly: paged by the planner, nothing changed (`total`). */
      z.object({ kind: z.literal('count') }),
      /** Everything keyed to one person (a selection of one) as JSON: a GDPR access request. */
      z.object({ kind: z.literal('exportPerson') }),
    ])
    .check(z.meta({ id: 'BulkAction' })),
);
export type BulkAction = z.infer<typeof BulkActionSchema>;

export const AudienceSchema = z.lazy(() =>
  z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('selection'), contactIds: z.array(z.string()) }),
      z.object({ kind: z.literal('tag'), tag: z.string() }),
      z.object({ kind: z.literal('segment'), segmentId: z.string() }),
      /**
       * Contacts written to a stored list by an earlier job (a local-time campaign's wave: the
       * contacts whose local send time is that wave's).
       */
      z.object({ kind: z.literal('list'), listId: z.string() }),
    ])
    .check(z.meta({ id: 'Audience' })),
);
export type Audience = z.infer<typeof AudienceSchema>;

/** `paused`: its chunks wait on the queue (re-sent with a delay) until it is resumed. */
export const BULK_STATUSES = ['queued', 'processing', 'paused', 'completed', 'cancelled', 'failed'] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];

export const BulkCountsSchema = z.lazy(() =>
  z.object({
    processed: z.number(),
    /** Contacts the action changed. */
    changed: z.number(),
    /** Contacts it left as they were (the tag was there already, or gone; the contact was gone). */
    unchanged: z.number(),
    /**
     * Why contacts were left as they were, by reason, when the action says (a campaign's email:
     * `unsubscribed`, `unsubscribed_from_type`, `suppressed`, `no_consent_basis`, `frequency_cap`,
     * `excluded`, `render_failed`, `email_rejected`); counted in `unchanged` too.
     */
    leftOut: z.optional(z.record(z.string(), z.number())),
    failed: z.number(),
  }),
);
export type BulkCounts = z.infer<typeof BulkCountsSchema>;
export const ZERO_BULK_COUNTS: BulkCounts = { processed: 0, changed: 0, unchanged: 0, failed: 0 };

export const BulkJobSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      action: BulkActionSchema,
      audience: AudienceSchema,
      status: z.enum(BULK_STATUSES),
      counts: BulkCountsSchema,
      /** Contacts in the audience, known once the planner has paged it all. */
      total: z.optional(z.number()),
      /** Contacts and chunks queued so far; `chunksTotal` once the planner has paged it all. */
      queued: z.number(),
      chunksQueued: z.number(),
      chunksTotal: z.optional(z.number()),
      chunksDone: z.number(),
      /** Where the planner resumes the audience after a restart. */
      cursor: z.optional(z.string()),
      error: z.optional(z.string()),
      /** The file an export wrote (in the files bucket). */
      file: z.optional(z.object({ key: z.string(), name: z.string() })),
      createdAt: z.string(),
      updatedAt: z.string(),
      finishedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'BulkJob' })),
);
export type BulkJob = z.infer<typeof BulkJobSchema>;

/** A bulk action as the API shows it: with a download link once an export is written. */
export const BulkJobViewSchema = z.lazy(() =>
  z.object({ job: BulkJobSchema, downloadUrl: z.optional(z.string()) }).check(z.meta({ id: 'BulkJobView' })),
);
export type BulkJobView = z.infer<typeof BulkJobViewSchema>;

/** One chunk of an audience as the planner queues it (on the same queue as import chunks). */
export const BulkChunkMessageSchema = z.lazy(() =>
  z.object({
    kind: z.literal('bulk'),
    jobId: z.string(),
    chunk: z.int(),
    contactIds: z.array(z.string()),
  }),
);
export type BulkChunkMessage = z.infer<typeof BulkChunkMessageSchema>;
