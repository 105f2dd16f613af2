/**
 * A chunk worker writes one chunk of an import's rows. Rows are read in batches (email guards,
 * contacts, suppressions), planned, and committed in transactions of up to 100 items, so each row
 * is atomic with its events and race-safe against a form submission of the same email (the email
 * guard is a condition). A conflicting transaction is redone row by row with fresh reads. Then the
 * refused rows are stored and the chunk is counted once (a marker item), and the import finishes
 * when it was the last chunk. A retried or duplicated chunk writes nothing twice: each row's
 * contact remembers the import row that wrote it.
 */
import { type ImportedRow, importedContactWrites, type RowResult } from '#contacts/imported.js';
import type { Contact } from '#contacts/model.js';
import { DomainError } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict } from '#platform/store.js';
import { mapRow } from './mapping.js';
import { type ChunkMessage, type Import, type ImportCounts, type RowError, ZERO_COUNTS } from './model.js';
import { finishIfDone } from './planner.js';
import type { ImportsDeps, ImportsWrite } from './store.js';

const MAX_TRANSACTION_ITEMS = 100;

export type ChunkOutcome = 'written' | 'duplicate' | 'skipped';

interface Planned {
  row: ImportedRow;
  result: RowResult;
  writes: ImportsWrite[];
  tagsAdded: string[];
}

export async function processChunk(
  deps: ImportsDeps,
  message: ChunkMessage,
): Promise<{ outcome: ChunkOutcome; counts?: ImportCounts }> {
  const job = await deps.store.getImport(message.importId);
  // Cancelled, failed or unknown: the rest of its chunks are dropped.
  if (job?.status !== 'processing' || !job.mapping || !job.options) return { outcome: 'skipped' };
  if (await deps.store.chunkCounted(job.id, message.chunk)) {
    await finishIfDone(deps, job.id);
    return { outcome: 'duplicate' };
  }
  const definitions = new Map((await deps.store.listFieldDefinitions()).map((d) => [d.name, d]));
  const errors: RowError[] = message.refused.map((r) => ({ line: r.line, reasons: [r.reason] }));
  const rows: ImportedRow[] = [];
  message.rows.forEach((cells, i) => {
    const line = message.lines[i] ?? 0;
    const mapped = mapRow(cells, job.mapping ?? [], definitions, job.options?.tags ?? []);
    if ('input' in mapped) rows.push({ line, input: mapped.input });
    else errors.push({ line, ...(mapped.email ? { email: mapped.email } : {}), reasons: mapped.reasons });
  });

  const counts: ImportCounts = { ...ZERO_COUNTS };
  const tagsAdded: Record<string, number> = {};
  for (const round of rounds(rows)) {
    for (const { row, outcome } of await writeRound(deps, job, round)) {
      if ('error' in outcome) {
        errors.push({ line: row.line, email: row.input.email, reasons: [outcome.error] });
        continue;
      }
      counts[outcome.result]++;
      for (const tag of outcome.tagsAdded) tagsAdded[tag] = (tagsAdded[tag] ?? 0) + 1;
    }
  }
  counts.failed = errors.length;
  counts.processed = counts.created + counts.updated + counts.unchanged + counts.failed;
  errors.sort((a, b) => a.line - b.line);
  await deps.store.putRowErrors(job.id, errors);
  try {
    await deps.store.commit([
      {
        kind: 'countChunk',
        importId: job.id,
        chunk: message.chunk,
        counts,
        tagsAdded,
        at: deps.clock.now().toISOString(),
      },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    return { outcome: 'duplicate' }; // a parallel delivery of the same chunk counted it
  }
  await finishIfDone(deps, job.id);
  return { outcome: 'written', counts };
}

/** Rows of one email go in successive rounds (in file order), so each round has each email once. */
function rounds(rows: ImportedRow[]): ImportedRow[][] {
  const out: ImportedRow[][] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const n = seen.get(row.input.email) ?? 0;
    seen.set(row.input.email, n + 1);
    const round = out[n] ?? [];
    round.push(row);
    out[n] = round;
  }
  return out;
}

const settingsOf = (job: Import) => ({
  importId: job.id,
  silent: job.options?.triggerAutomations === false,
  mode: job.options?.mode ?? 'fill_blanks',
  emailBasis: job.options?.consentBasis ?? 'none',
});

async function plan(deps: ImportsDeps, job: Import, rows: ImportedRow[]): Promise<Planned[]> {
  const emails = rows.map((r) => r.input.email);
  const ids = await deps.store.findContactIdsByEmail(emails);
  const [contacts, suppressions] = await Promise.all([
    deps.store.getContacts([...ids.values()]),
    deps.store.getSuppressions(emails.filter((e) => !ids.has(e))),
  ]);
  const now = deps.clock.now();
  return rows.map((row) => {
    const id = ids.get(row.input.email);
    const existing: Contact | undefined = id ? contacts.get(id) : undefined;
    const planned = importedContactWrites(
      deps,
      row,
      existing,
      suppressions.get(row.input.email),
      settingsOf(job),
      now,
    );
    return { row, ...planned };
  });
}

type RowOutcome = { result: RowResult; tagsAdded: string[] } | { error: string };
const done = (p: Planned): RowOutcome => ({ result: p.result, tagsAdded: p.tagsAdded });

async function writeRound(
  deps: ImportsDeps,
  job: Import,
  rows: ImportedRow[],
): Promise<Array<{ row: ImportedRow; outcome: RowOutcome }>> {
  const planned = await plan(deps, job, rows);
  const out: Array<{ row: ImportedRow; outcome: RowOutcome }> = [];
  let batch: Planned[] = [];
  let items = 0;
  const commitBatch = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    items = 0;
    try {
      await deps.store.commit(current.flatMap((p) => p.writes));
      for (const p of current) out.push({ row: p.row, outcome: done(p) });
    } catch (err) {
      if (!(err instanceof CommitConflict)) throw err;
      // Someone else wrote one of these emails meanwhile: each row again, alone, from fresh reads.
      for (const p of current) out.push({ row: p.row, outcome: await writeAlone(deps, job, p.row) });
    }
  };
  for (const p of planned) {
    const n = deps.store.itemCount(p.writes);
    if (n === 0) {
      out.push({ row: p.row, outcome: done(p) });
      continue;
    }
    if (n > MAX_TRANSACTION_ITEMS) {
      out.push({ row: p.row, outcome: { error: 'too many tags and fields for one row' } });
      continue;
    }
    if (items + n > MAX_TRANSACTION_ITEMS) await commitBatch();
    batch.push(p);
    items += n;
  }
  await commitBatch();
  return out;
}

async function writeAlone(deps: ImportsDeps, job: Import, row: ImportedRow): Promise<RowOutcome> {
  try {
    return await withOptimisticRetry(
      async () => {
        const [p] = await plan(deps, job, [row]);
        if (!p) throw new Error('no plan for the row');
        await deps.store.commit(p.writes);
        return done(p);
      },
      () => true,
      10,
    );
  } catch (err) {
    if (err instanceof DomainError && err.kind !== 'busy') return { error: err.message };
    throw err; // busy or an outage: the chunk is retried by the queue
  }
}
