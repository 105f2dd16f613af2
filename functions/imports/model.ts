/**
 * An import job: a CSV file uploaded to the files bucket, its column mapping and options, and its
 * progress as chunks of rows are written by the chunk workers. One zod schema per record; the API,
 * OpenAPI, the stored item and the web client use it.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { CONTACT_PROPERTIES } from '#contacts/model.js';

/** Files up to this size and row count are accepted (HubSpot's limit is 1,048,576 rows). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 1_000_000;
/** Rows per chunk message (and per chunk worker invocation). */
export const CHUNK_ROWS = 100;
/** A chunk message stays under SQS's 256 KB message limit. */
export const CHUNK_BYTES = 200 * 1024;
/** One row may not be longer than this (a broken quote would otherwise swallow the file). */
export const MAX_ROW_BYTES = 64 * 1024;

export const IMPORT_STATUSES = [
  /** Created: waiting for the file and the mapping. */
  'draft',
  /** Started: the planner will read the file into chunks. */
  'queued',
  /** The planner is reading, or chunk workers are writing. */
  'processing',
  'completed',
  'cancelled',
  /** The file could not be read (missing, too big, not CSV); no row was written. */
  'failed',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const FINISHED: readonly ImportStatus[] = ['completed', 'cancelled', 'failed'];

/** Where one column of the file goes. */
export const ColumnTargetSchema = z.lazy(() =>
  z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('email') }),
      z.object({
        kind: z.literal('property'),
        name: z.enum(CONTACT_PROPERTIES),
      }),
      z.object({ kind: z.literal('field'), name: z.string() }),
      /** Tags separated by `;`. */
      z.object({ kind: z.literal('tags') }),
      z.object({ kind: z.literal('ignore') }),
    ])
    .check(z.meta({ id: 'ColumnTarget' })),
);
export type ColumnTarget = z.infer<typeof ColumnTargetSchema>;

export const CONSENT_BASES = ['consent', 'legitimate_interest', 'contract', 'none'] as const;
export type ConsentBasis = (typeof CONSENT_BASES)[number];

export const ImportOptionsSchema = z.lazy(() =>
  z
    .object({
      /** `fill_blanks`: only properties a contact has no value for; `overwrite`: the file's values win. */
      mode: z.enum(['fill_blanks', 'overwrite']),
      /** Added to every imported contact. */
      tags: z.array(z.string()),
      /** When false, the import's events carry `silent` and no workflow is triggered by them. */
      triggerAutomations: z.boolean(),
      /** The lawful basis for emailing the list; `none`: never enrolled into email workflows or sent marketing email. */
      consentBasis: z.enum(CONSENT_BASES),
    })
    .check(z.meta({ id: 'ImportOptions' })),
);
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

export const ImportCountsSchema = z.lazy(() =>
  z.object({
    processed: z.number(),
    created: z.number(),
    updated: z.number(),
    /** Rows of known contacts that changed nothing. */
    unchanged: z.number(),
    failed: z.number(),
  }),
);
export type ImportCounts = z.infer<typeof ImportCountsSchema>;
export const ZERO_COUNTS: ImportCounts = { processed: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };

export const ImportSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      status: z.enum(IMPORT_STATUSES),
      fileName: z.string(),
      /** Declared at creation; the upload URL only accepts exactly this many bytes. */
      size: z.number(),
      /** The multipart upload a large file is sent in (assembled by POST /v1/imports/{id}/upload/complete). */
      uploadId: z.optional(z.string()),
      mapping: z.optional(z.array(ColumnTargetSchema)),
      options: z.optional(ImportOptionsSchema),
      counts: ImportCountsSchema,
      /** Data rows in the file (blank lines aside), known once the planner has read it all. */
      rows: z.optional(z.number()),
      /** Chunks queued so far and in all (`chunksTotal` once the planner has finished). */
      chunksQueued: z.number(),
      chunksTotal: z.optional(z.number()),
      chunksDone: z.number(),
      error: z.optional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
      startedAt: z.optional(z.string()),
      finishedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'Import' })),
);
export type Import = z.infer<typeof ImportSchema>;

/** What the API shows of an import: the record plus its rate and estimated time left. */
export const ImportViewSchema = z.lazy(() =>
  z
    .object({
      import: ImportSchema,
      /** Rows written per second since it started. */
      rowsPerSecond: z.optional(z.number()),
      /** Seconds left at that rate (once the row total is known). */
      etaSeconds: z.optional(z.number()),
    })
    .check(z.meta({ id: 'ImportView' })),
);
export type ImportView = z.infer<typeof ImportViewSchema>;

/** One refused row: its line in the file, its email (when it had one) and why. */
export const RowErrorSchema = z.lazy(() =>
  z.object({ line: z.number(), email: z.optional(z.string()), reasons: z.array(z.string()) }),
);
export type RowError = z.infer<typeof RowErrorSchema>;

/** One chunk of rows as the planner queues it (an SQS message body). */
export const ChunkMessageSchema = z.lazy(() =>
  z.object({
    importId: z.string(),
    chunk: z.int(),
    /** The file line of each row (a quoted cell may span lines). */
    lines: z.array(z.int()),
    rows: z.array(z.array(z.string())),
    /** Lines the CSV parser could not read (counted and reported as failed rows). */
    refused: z.array(z.object({ line: z.int(), reason: z.string() })),
  }),
);
export type ChunkMessage = z.infer<typeof ChunkMessageSchema>;

/** The first rows of an uploaded file, with the mapping Tendril guesses for its header. */
export const ImportPreviewSchema = z.lazy(() =>
  z
    .object({
      header: z.array(z.string()),
      rows: z.array(z.array(z.string())),
      guessed: z.array(ColumnTargetSchema),
      /** The custom fields a column can be mapped to, with their types. */
      fields: z.array(z.object({ name: z.string(), label: z.string(), type: z.string() })),
    })
    .check(z.meta({ id: 'ImportPreview' })),
);
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
