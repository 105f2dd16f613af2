/**
 * The planner reads an import's file as a stream (never whole in memory), cuts it into chunks of
 * rows and queues them for the chunk workers. It is safe to run again: a rerun (a retried
 * invocation, a restart) skips the chunks the import records as queued, and a chunk queued twice is
 * written once (chunk.ts). It records the row and chunk totals at the end, so the import can finish.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { FileStore } from '#platform/files.js';
import { CommitConflict, emit } from '#platform/store.js';
import { detectDelimiter } from './csv-dialect.js';
import {
  CHUNK_BYTES,
  CHUNK_ROWS,
  type ChunkMessage,
  type Import,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  MAX_ROW_BYTES,
} from './model.js';
import { type ChunkQueue, importFileKey } from './ports.js';
import type { ImportsDeps } from './store.js';

/** How many chunks are queued between two progress records (what a rerun may queue again). */
const RECORD_EVERY = 20;

export type PlanOutcome = 'planned' | 'not_runnable' | 'failed' | 'cancelled';

async function fail(deps: ImportsDeps, record: Import, error: string): Promise<PlanOutcome> {
  const at = deps.clock.now().toISOString();
  await deps.store
    .commit([
      {
        kind: 'updateImport',
        id: record.id,
        from: ['queued', 'processing'],
        set: { status: 'failed', error, finishedAt: at, updatedAt: at },
      },
    ])
    .catch((err) => {
      if (!(err instanceof CommitConflict)) throw err;
    });
  return 'failed';
}

/** Records progress; false when the import is no longer processing (cancelled). */
async function record(deps: ImportsDeps, id: string, set: Partial<Import>): Promise<boolean> {
  try {
    await deps.store.commit([{ kind: 'updateImport', id, from: ['processing'], set }]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false;
    throw err;
  }
}

export async function planImport(
  deps: ImportsDeps,
  files: FileStore,
  queue: ChunkQueue,
  importId: string,
): Promise<PlanOutcome> {
  const job = await deps.store.getImport(importId);
  if (!job || (job.status !== 'queued' && job.status !== 'processing') || !job.mapping) return 'not_runnable';
  const key = importFileKey(importId);
  const size = await files.size(key);
  if (size === undefined) return fail(deps, job, 'the file was never uploaded');
  if (size > MAX_IMPORT_BYTES) return fail(deps, job, `the file is larger than ${MAX_IMPORT_BYTES} bytes`);
  const startedAt = job.startedAt ?? deps.clock.now().toISOString();
  if (job.status === 'queued') {
    const started = await deps.store
      .commit([
        {
          kind: 'updateImport',
          id: importId,
          from: ['queued'],
          set: { status: 'processing', startedAt, updatedAt: deps.clock.now().toISOString() },
        },
      ])
      .then(
        () => true,
        (err) => {
          if (err instanceof CommitConflict) return false;
          throw err;
        },
      );
    if (!started) return 'cancelled';
  }

  const alreadyQueued = job.chunksQueued;
  const lines = lineCounter();
  // The delimiter the preview saw: read from the same first bytes.
  const delimiter = detectDelimiter(new TextDecoder().decode(await files.head(key, 64 * 1024)));
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // A quote inside an unquoted cell (5" screen) is kept as written, as spreadsheets do.
    relax_quotes: true,
    max_record_size: MAX_ROW_BYTES,
    // Lines are counted as the parser reads (in order with its skips), not as the loop consumes.
    on_record: ((cells: string[], context: { lines: number }) => ({
      cells,
      line: lines.startOf(cells, context.lines),
    })) as never,
  });
  let pendingRefusals: Array<{ line: number; reason: string }> = [];
  let refusedTotal = 0;
  const refuse = (line: number, message: string) => {
    refusedTotal++;
    pendingRefusals.push({ line, reason: `not CSV: ${message}` });
  };
  // An unclosed quote runs to the end of the file: its record starts after the last one read.
  parser.on('skip', (err: Error & { lines?: number; code?: string }) =>
    refuse(
      err.lines === undefined || err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? lines.next()
        : lines.skipped(err.lines),
      err.message,
    ),
  );
  Readable.from(await files.stream(key)).pipe(parser);

  let chunk: ChunkMessage = { importId, chunk: 0, lines: [], rows: [], refused: [] };
  let chunkBytes = 0;
  let outgoing: ChunkMessage[] = [];
  let rows = 0;
  let header = true;
  let truncated = false;
  const flush = async (force = false) => {
    if (outgoing.length >= 10 || (force && outgoing.length > 0)) {
      await queue.send(outgoing);
      const last = outgoing[outgoing.length - 1] as ChunkMessage;
      outgoing = [];
      if ((last.chunk + 1) % RECORD_EVERY === 0 || force) {
        if (
          !(await record(deps, importId, {
            chunksQueued: last.chunk + 1,
            updatedAt: deps.clock.now().toISOString(),
          }))
        )
          return false;
      }
    }
    return true;
  };
  const close = async () => {
    chunk.refused.push(...pendingRefusals);
    pendingRefusals = [];
    if (chunk.rows.length === 0 && chunk.refused.length === 0) return true;
    // Chunks a previous run queued are not queued again.
    if (chunk.chunk >= alreadyQueued) outgoing.push(chunk);
    chunk = { importId, chunk: chunk.chunk + 1, lines: [], rows: [], refused: [] };
    chunkBytes = 0;
    return flush();
  };
  try {
    for await (const { cells, line } of parser as AsyncIterable<{ cells: string[]; line: number }>) {
      if (header) {
        header = false;
        continue;
      }
      if (cells.every((c) => c.trim() === '')) continue;
      if (rows >= MAX_IMPORT_ROWS) {
        truncated = true;
        break;
      }
      rows++;
      chunk.lines.push(line);
      chunk.rows.push(cells);
      chunkBytes += cells.reduce((n, c) => n + c.length + 3, 0);
      if (chunk.rows.length >= CHUNK_ROWS || chunkBytes >= CHUNK_BYTES) {
        if (!(await close())) return 'cancelled';
      }
    }
  } catch (err) {
    // The end of the file is not CSV (an unclosed quote): what came before is imported, that line refused.
    refuse(lines.next(), (err as Error).message);
  }
  parser.destroy();
  if (!(await close()) || !(await flush(true))) return 'cancelled';
  const chunksTotal = chunk.chunk;
  const done = await record(deps, importId, {
    chunksQueued: chunksTotal,
    chunksTotal,
    rows: rows + refusedTotal,
    ...(truncated ? { error: `only the first ${MAX_IMPORT_ROWS} rows were imported` } : {}),
    updatedAt: deps.clock.now().toISOString(),
  });
  if (!done) return 'cancelled';
  await finishIfDone(deps, importId);
  return 'planned';
}

/**
 * The file line a record starts on. csv-parse reports the line a record ends on, and counts a CRLF
 * inside a quoted cell as two lines (so every later record drifts by one per such CRLF): undone here.
 */
export function lineCounter() {
  let drift = 0;
  let next = 2; // the line after the header, until a record says otherwise
  return {
    /** Where the next record starts, at best (a record csv-parse skipped has no line of its own). */
    next: () => next,
    /** The line of a record csv-parse skipped, from the line its error names. */
    skipped(errorLine: number): number {
      const line = Math.max(next, errorLine - drift);
      next = line + 1;
      return line;
    },
    startOf(cells: string[], endLine: number): number {
      let counted = 0;
      let crlf = 0;
      for (const c of cells) {
        counted += c.match(/\r\n|\r|\n/g)?.length ?? 0;
        crlf += c.match(/\r\n/g)?.length ?? 0;
      }
      const start = endLine - counted - crlf - drift;
      drift += crlf;
      next = start + counted + 1;
      return start;
    },
  };
}

/**
 * Ends the import once every chunk is counted (whoever sees it first: the planner or the last chunk
 * worker), with its ImportCompleted event. A no-op when it is not done, or done already.
 */
export async function finishIfDone(deps: ImportsDeps, importId: string): Promise<boolean> {
  const job = await deps.store.getImport(importId);
  if (job?.status !== 'processing' || job.chunksTotal === undefined) return false;
  if (job.chunksDone < job.chunksTotal) return false;
  const now = deps.clock.now();
  const tagsAdded = await deps.store.importTagsAdded(importId);
  try {
    await deps.store.commit([
      { kind: 'finishImport', id: importId, chunksTotal: job.chunksTotal, at: now.toISOString() },
      emit(deps, now, 'ImportCompleted', {
        importId,
        rows: job.rows ?? job.counts.processed,
        ...job.counts,
        tagsAdded,
      }),
    ]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false;
    throw err;
  }
}
