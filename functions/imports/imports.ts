/**
 * Import jobs, as the user drives them: create one (and get an upload URL), preview the uploaded
 * file with a guessed mapping, start it with the corrected mapping and options, watch its progress,
 * download its refused rows, cancel it. The rows are written by the planner and chunk workers
 * (planner.ts, chunk.ts), not by these requests.
 */

import { parse } from 'csv-parse/sync';
import { toCsv } from '#contacts/csv.js';
import { conflict, invalid, notFound } from '#platform/errors.js';
import { type FileStore, type UploadTarget, uploadPlan } from '#platform/files.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { detectDelimiter } from './csv-dialect.js';
import { checkMapping, guessMapping } from './mapping.js';
import {
  type ColumnTarget,
  FINISHED,
  type Import,
  type ImportOptions,
  type ImportPreview,
  type ImportView,
  MAX_IMPORT_BYTES,
  ZERO_COUNTS,
} from './model.js';
import { importFileKey } from './ports.js';
import type { ImportsDeps } from './store.js';

/** How long an upload URL stays valid. */
export const UPLOAD_URL_SECONDS = 3600;
/** A preview reads at most this much of the file. */
const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_ROWS = 5;

async function load(deps: ImportsDeps, id: string): Promise<Import> {
  const record = await deps.store.getImport(id);
  if (!record) throw notFound('import', id);
  return record;
}

export async function createImport(
  deps: ImportsDeps,
  files: FileStore,
  input: { fileName: string; size: number },
): Promise<{ import: Import; upload: UploadTarget }> {
  if (input.size > MAX_IMPORT_BYTES)
    throw invalid('file_too_large', `files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB can be imported`, [
      { path: 'size', message: `must be at most ${MAX_IMPORT_BYTES}` },
    ]);
  const at = deps.clock.now().toISOString();
  const record: Import = {
    id: deps.ids.next(),
    status: 'draft',
    fileName: input.fileName,
    size: input.size,
    counts: { ...ZERO_COUNTS },
    chunksQueued: 0,
    chunksDone: 0,
    createdAt: at,
    updatedAt: at,
  };
  // The upload first: a request that fails to sign writes nothing (an unused multipart upload is
  // aborted by the bucket's lifecycle rule).
  const upload = await files.uploadTarget(importFileKey(record.id), input.size, UPLOAD_URL_SECONDS);
  if (upload.method === 'multipart') record.uploadId = upload.uploadId;
  await deps.store.commit([{ kind: 'createImport', record }]);
  return { import: record, upload };
}

/**
 * Assembles a large file uploaded in parts: every part from 1 to the last, each with the ETag its PUT
 * was answered with. Completing an upload that is already complete is answered the same.
 */
export async function completeUpload(
  deps: ImportsDeps,
  files: FileStore,
  id: string,
  parts: Array<{ number: number; etag: string }>,
): Promise<Import> {
  const record = await load(deps, id);
  if (!record.uploadId)
    throw conflict(
      'not_multipart',
      'this file is uploaded with one PUT to its upload URL; nothing to complete',
    );
  if (record.status !== 'draft') throw conflict('started', `the import is ${record.status}`);
  const plan = uploadPlan(record.size);
  const numbers = parts.map((p) => p.number).sort((a, b) => a - b);
  if (numbers.length !== plan.parts || numbers.some((n, i) => n !== i + 1))
    throw invalid(
      'parts_missing',
      `the file was to be uploaded in ${plan.parts} parts, numbered 1 to ${plan.parts}`,
      [{ path: 'parts', message: `must list parts 1 to ${plan.parts}, each once` }],
    );
  const key = importFileKey(id);
  const sorted = [...parts].sort((a, b) => a.number - b.number);
  if (!(await files.completeUpload(key, record.uploadId, sorted)) && (await files.size(key)) !== record.size)
    throw invalid(
      'parts_refused',
      'the file storage refused the parts: upload every part again, then complete',
      [{ path: 'parts', message: 'a part is missing, incomplete, or its ETag does not match' }],
    );
  return record;
}

/** The first rows of a CSV text (the rest may be cut anywhere: only whole lines are read), in its delimiter. */
export function previewRows(text: string, complete: boolean): string[][] {
  const whole = complete ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  // A broken line is skipped (the import refuses it alone): what comes before it still previews.
  return parse(whole, {
    bom: true,
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_quotes: true,
    to: PREVIEW_ROWS + 1,
  }) as string[][];
}

async function readHeader(deps: ImportsDeps, files: FileStore, record: Import) {
  const size = await files.size(importFileKey(record.id));
  if (size === undefined)
    throw conflict(
      'not_uploaded',
      'the file has not been uploaded yet; PUT it to the upload URL (or its parts, then complete the upload) first',
    );
  const bytes = await files.head(importFileKey(record.id), PREVIEW_BYTES);
  // A CSV is text: a NUL byte, or bytes that are not UTF-8, mean an image, a spreadsheet, an archive…
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const replaced = text.split('\uFFFD').length - 1;
  if (bytes.includes(0) || replaced > 8 || replaced > text.length / 100)
    throw invalid(
      'not_csv',
      `“${record.fileName}” is not a CSV text file (UTF-8): save it as CSV and upload it again`,
      [{ path: 'file', message: 'not text' }],
    );
  const rows = previewRows(text, bytes.length >= size);
  const [header, ...sample] = rows;
  if (!header || header.every((h) => h.trim() === ''))
    throw invalid('invalid_csv', 'the file is empty; it needs a header row');
  const definitions = await deps.store.listFieldDefinitions();
  return { header: header.map((h) => h.trim()), sample, definitions };
}

export async function previewImport(deps: ImportsDeps, files: FileStore, id: string): Promise<ImportPreview> {
  const record = await load(deps, id);
  const { header, sample, definitions } = await readHeader(deps, files, record);
  return {
    header,
    rows: sample,
    guessed:
      record.mapping && record.mapping.length === header.length
        ? record.mapping
        : guessMapping(header, definitions),
    fields: definitions.map((d) => ({ name: d.name, label: d.label, type: d.type })),
  };
}

export async function startImport(
  deps: ImportsDeps,
  files: FileStore,
  id: string,
  input: { mapping?: ColumnTarget[] | undefined; options: ImportOptions },
): Promise<Import> {
  const record = await load(deps, id);
  if (record.status !== 'draft') throw conflict('already_started', `the import is ${record.status}`);
  const { header, definitions } = await readHeader(deps, files, record);
  const mapping = input.mapping ?? guessMapping(header, definitions);
  checkMapping(mapping, header.length);
  const now = deps.clock.now();
  const set = { status: 'queued' as const, mapping, options: input.options, updatedAt: now.toISOString() };
  try {
    await deps.store.commit([
      { kind: 'updateImport', id, from: ['draft'], set },
      emit(deps, now, 'ImportStarted', { importId: id }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict) throw conflict('already_started', 'the import was started already');
    throw err;
  }
  return { ...record, ...set };
}

export async function cancelImport(deps: ImportsDeps, id: string): Promise<Import> {
  const record = await load(deps, id);
  if (FINISHED.includes(record.status)) throw conflict('finished', `the import is ${record.status}`);
  const at = deps.clock.now().toISOString();
  const set = { status: 'cancelled' as const, finishedAt: at, updatedAt: at };
  try {
    await deps.store.commit([{ kind: 'updateImport', id, from: ['draft', 'queued', 'processing'], set }]);
  } catch (err) {
    if (err instanceof CommitConflict) throw conflict('finished', 'the import has just finished');
    throw err;
  }
  return { ...record, ...set };
}

/** The import with its rate (rows per second since it started) and, once the total is known, its ETA. */
export function viewOf(record: Import, now: Date): ImportView {
  if (!record.startedAt || record.counts.processed === 0) return { import: record };
  const end = record.finishedAt ? Date.parse(record.finishedAt) : now.getTime();
  const seconds = Math.max(0.001, (end - Date.parse(record.startedAt)) / 1000);
  const rowsPerSecond = Math.round((record.counts.processed / seconds) * 10) / 10;
  const left = record.rows === undefined ? undefined : record.rows - record.counts.processed;
  return {
    import: record,
    rowsPerSecond,
    ...(left !== undefined && !record.finishedAt ? { etaSeconds: Math.ceil(left / rowsPerSecond) } : {}),
  };
}

export async function viewImport(deps: ImportsDeps, id: string): Promise<ImportView> {
  return viewOf(await load(deps, id), deps.clock.now());
}

export async function listImports(deps: ImportsDeps, options: ListOptions): Promise<Page<Import>> {
  return deps.store.listImports(options);
}

/** Refused rows as CSV (line, email, reasons), 5,000 per page. */
export async function rowErrorsCsv(
  deps: ImportsDeps,
  id: string,
  cursor: string | undefined,
): Promise<{ csv: string; nextCursor?: string }> {
  await load(deps, id);
  const rows: string[][] = [['line', 'email', 'reasons']];
  let next = cursor;
  do {
    const page = await deps.store.listRowErrors(id, { limit: 1000, cursor: next });
    for (const e of page.items) rows.push([String(e.line), e.email ?? '', e.reasons.join('; ')]);
    next = page.nextCursor;
  } while (next && rows.length <= 5000);
  return { csv: toCsv(rows), ...(next ? { nextCursor: next } : {}) };
}

/**
 * A CSV sent in the request body (the API's one-call import): stored as the import's file and
 * started with the guessed mapping; the answer is the queued job, not the rows' outcome.
 */
export async function importFromBody(
  deps: ImportsDeps,
  files: FileStore,
  csv: string,
  options: ImportOptions,
): Promise<Import> {
  // The header is checked before anything is stored: a file without an email column writes nothing.
  const [header] = previewRows(csv, true);
  if (!header) throw invalid('invalid_csv', 'the file is empty; it needs a header row');
  const mapping = guessMapping(
    header.map((h) => h.trim()),
    await deps.store.listFieldDefinitions(),
  );
  checkMapping(mapping, header.length);
  const bytes = new TextEncoder().encode(csv);
  const now = deps.clock.now();
  const at = now.toISOString();
  const record: Import = {
    id: deps.ids.next(),
    status: 'queued',
    fileName: 'request-body.csv',
    size: bytes.length,
    mapping,
    options,
    counts: { ...ZERO_COUNTS },
    chunksQueued: 0,
    chunksDone: 0,
    createdAt: at,
    updatedAt: at,
  };
  await files.put(importFileKey(record.id), bytes, 'text/csv');
  await deps.store.commit([
    { kind: 'createImport', record },
    emit(deps, now, 'ImportStarted', { importId: record.id }),
  ]);
  return record;
}
