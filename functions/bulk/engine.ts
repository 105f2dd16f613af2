/**
 * The bulk engine. The planner pages the audience from its index (a tag's GSI1 partition, the
 * segment's plan, or the selection) into chunks of 100 contact ids on the chunk queue, recording
 * its cursor as it goes so a rerun resumes there. A chunk worker applies the action to each contact
 * (each change is its own transaction with its events, and none is repeated: adding a tag the
 * contact has, removing one it lacks, deleting a contact that is gone change nothing), then counts
 * the chunk once; the last chunk counted completes the job with BulkActionCompleted.
 */
import { enrollContact } from '#automation/enrollment.js';
import type { WorkflowEngine } from '#automation/ports.js';
import { activeTrigger } from '#automation/workflows.js';
import { addTags, deleteContact, removeTag } from '#contacts/rules.js';
import { evaluateFilter } from '#insights/segments.js';
import { DomainError } from '#platform/errors.js';
import type { FileStore } from '#platform/files.js';
import { CommitConflict, emit } from '#platform/store.js';
import { exportFileKey, writeAudienceCsv, writePersonJson } from './exports.js';
import {
  BULK_CHUNK,
  type BulkAction,
  type BulkChunkMessage,
  type BulkCounts,
  type BulkJob,
  ZERO_BULK_COUNTS,
} from './model.js';
import type { BulkDeps } from './store.js';

export interface BulkQueue {
  send(messages: BulkChunkMessage[], options?: { delaySeconds?: number }): Promise<void>;
}

/** A chunk of a paused job goes back on the queue for this long, then looks again. */
export const PAUSED_DELAY_SECONDS = 30;
/** While applying a chunk, the job's status is read again this often (a pause stops the chunk). */
const PAUSE_CHECK_MS = 500;

/** One page of the audience's contact ids, from `cursor`. */
async function page(deps: BulkDeps, job: BulkJob, cursor: string | undefined) {
  const { audience } = job;
  if (audience.kind === 'selection') {
    const from = Number(cursor ?? 0);
    const ids = audience.contactIds.slice(from, from + BULK_CHUNK);
    const next = from + ids.length;
    return { ids, ...(next < audience.contactIds.length ? { cursor: String(next) } : {}) };
  }
  if (audience.kind === 'tag') {
    const out = await deps.store.listContactsByTag(audience.tag, { limit: BULK_CHUNK, cursor });
    return { ids: out.items.map((c) => c.id), ...(out.nextCursor ? { cursor: out.nextCursor } : {}) };
  }
  if (audience.kind === 'list') {
    const out = await deps.store.listMembers(audience.listId, { limit: BULK_CHUNK, cursor });
    return { ids: out.items, ...(out.nextCursor ? { cursor: out.nextCursor } : {}) };
  }
  const segment = await deps.store.getSegment(audience.segmentId);
  if (!segment) return { ids: [] };
  const out = await evaluateFilter(deps, segment.filter, { limit: BULK_CHUNK, cursor });
  return { ids: out.items.map((c) => c.id), ...(out.nextCursor ? { cursor: out.nextCursor } : {}) };
}

async function setJob(deps: BulkDeps, id: string, from: BulkJob['status'][], set: Partial<BulkJob>) {
  try {
    await deps.store.commit([{ kind: 'updateBulkJob', id, from, set }]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false; // cancelled meanwhile
    throw err;
  }
}

export async function planBulk(
  deps: BulkDeps,
  queue: BulkQueue,
  files: FileStore,
  jobId: string,
): Promise<'planned' | 'not_runnable'> {
  const job = await deps.store.getBulkJob(jobId);
  if (!job || !['queued', 'processing', 'paused'].includes(job.status)) return 'not_runnable';
  if (job.status === 'queued' && !(await setJob(deps, jobId, ['queued'], { status: 'processing' })))
    return 'not_runnable';
  if (job.action.kind === 'export' || job.action.kind === 'exportPerson' || job.action.kind === 'count')
    return plannerJob(deps, files, job);
  // Resumes where the last run recorded (a chunk queued after that record is queued again: written once).
  let chunk = job.chunksQueued;
  let cursor = job.cursor;
  let queued = job.queued;
  for (;;) {
    const { ids, cursor: next } = await page(deps, job, cursor);
    if (ids.length > 0) await queue.send([{ kind: 'bulk', jobId, chunk: chunk++, contactIds: ids }]);
    queued += ids.length;
    cursor = next;
    const set: Partial<BulkJob> = { chunksQueued: chunk, queued, updatedAt: deps.clock.now().toISOString() };
    if (cursor) set.cursor = cursor;
    else Object.assign(set, { chunksTotal: chunk, total: queued });
    // A paused job is still planned: its chunks wait on the queue until it is resumed.
    if (!(await setJob(deps, jobId, ['processing', 'paused'], set))) return 'not_runnable';
    if (!cursor) break;
  }
  await finishBulkIfDone(deps, jobId);
  return 'planned';
}

/**
 * Counts the audience, page by page from its index (never a Scan), recording how far it got every
 * thousand contacts (a cancel stops it there); undefined when cancelled. Run again after a crash, it
 * counts from the start (it changes nothing).
 */
async function countAudience(deps: BulkDeps, job: BulkJob): Promise<number | undefined> {
  let n = 0;
  let recorded = 0;
  let cursor: string | undefined;
  do {
    const next = await page(deps, job, cursor);
    // A selection names ids (some may be gone since it was picked); a tag or a segment pages contacts.
    n +=
      job.audience.kind === 'selection'
        ? (await deps.store.getContacts([...new Set(next.ids)])).size
        : next.ids.length;
    cursor = next.cursor;
    if (n - recorded >= 1000) {
      recorded = n;
      const set = { queued: n, updatedAt: deps.clock.now().toISOString() };
      if (!(await setJob(deps, job.id, ['processing'], set))) return undefined;
    }
  } while (cursor);
  return n;
}

/** An export or a count is done by the planner itself, in order, then the job completes (no chunks). */
async function plannerJob(
  deps: BulkDeps,
  files: FileStore,
  job: BulkJob,
): Promise<'planned' | 'not_runnable'> {
  let written: number | undefined;
  let file: BulkJob['file'];
  if (job.action.kind === 'count') {
    written = await countAudience(deps, job);
  } else if (job.action.kind === 'exportPerson') {
    const contactId = job.audience.kind === 'selection' ? job.audience.contactIds[0] : undefined;
    written = contactId ? await writePersonJson(deps, files, job, contactId) : 0;
    file = { key: exportFileKey(job.id, 'json'), name: `contact-${contactId}.json` };
  } else {
    let lastRecord = 0;
    written = await writeAudienceCsv(
      deps,
      files,
      job,
      (cursor) => page(deps, job, cursor),
      async (n) => {
        if (n - lastRecord < 1000) return true;
        lastRecord = n;
        return setJob(deps, job.id, ['processing'], { queued: n, updatedAt: deps.clock.now().toISOString() });
      },
    );
    file = { key: exportFileKey(job.id, 'csv'), name: `tendril-export-${job.id}.csv` };
  }
  if (written === undefined) return 'not_runnable'; // cancelled while writing
  const now = deps.clock.now();
  // A count changes nobody: every contact counted is left as it was.
  const counts =
    job.action.kind === 'count'
      ? { processed: written, changed: 0, unchanged: written, failed: 0 }
      : { processed: written, changed: written, unchanged: 0, failed: 0 };
  const set: Partial<BulkJob> = {
    status: 'completed',
    counts,
    queued: written,
    total: written,
    chunksTotal: 0,
    ...(file ? { file } : {}),
    finishedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  try {
    await deps.store.commit([
      { kind: 'updateBulkJob', id: job.id, from: ['processing'], set },
      emit(deps, now, 'BulkActionCompleted', { jobId: job.id, action: job.action.kind, ...counts }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict) return 'not_runnable'; // cancelled meanwhile
    throw err;
  }
  return 'planned';
}

/** What applying the action did to one contact; `leftOut`: unchanged, for this reason (counted by reason). */
export type Outcome = 'changed' | 'unchanged' | { leftOut: string };

/** Contacts of one chunk applied at the same time. */
const CONTACTS_IN_PARALLEL = 8;

/**
 * A contact whose change found the table busy (contention the unit of work could not get past) is
 * tried again after a pause, a few times, before the whole chunk is handed back to the queue (whose
 * visibility timeout is long: a chunk may take minutes).
 */
async function withBusyRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === 'busy') || attempt >= 4) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

/**
 * How one kind of action is applied: prepared once per chunk (what every contact needs is read
 * once), then called per contact. Kinds of other contexts (a campaign's send) are given by the
 * function that runs the chunks, so bulk does not depend on them.
 */
export type Applier = (job: BulkJob) => Promise<(contactId: string) => Promise<Outcome>>;
export type Appliers = Partial<Record<BulkAction['kind'], Applier>>;

/** The actions bulk applies itself: tags and deletion through the contacts use cases. */
function ownApplier(deps: BulkDeps): Applier {
  return async ({ action }) =>
    async (contactId) => {
      switch (action.kind) {
        case 'addTag':
          return (await addTags(deps, contactId, [action.tag])).added.length > 0 ? 'changed' : 'unchanged';
        case 'removeTag':
          return (await removeTag(deps, contactId, action.tag)).removed ? 'changed' : 'unchanged';
        case 'delete':
          await deleteContact(deps, contactId);
          return 'changed';
        default:
          throw new Error(`no applier for ${action.kind}`);
      }
    };
}

/** Enrolls each contact into the job's workflow (read once per chunk: paused meanwhile → every contact fails). */
export function enrollApplier(deps: BulkDeps, engine: WorkflowEngine): Applier {
  return async (job) => {
    if (job.action.kind !== 'enroll') throw new Error('not an enrollment');
    const wf = activeTrigger(deps, job.action.workflowId);
    wf.catch(() => undefined); // observed per contact below
    return async (contactId) => {
      const event = { eventId: `bulk:${job.id}:${contactId}`, contactId };
      return (await enrollContact(deps, engine, await wf, event)) ? 'changed' : 'unchanged';
    };
  };
}

/**
 * Applies one chunk and counts it once. A chunk of a paused job — or one whose job is paused while
 * it runs (looked at every 0.5 s; contacts being applied finish) — is sent back to `park` with a
 * delay, uncounted: delivered again, it skips what was done (each applier is idempotent).
 */
export async function processBulkChunk(
  deps: BulkDeps,
  appliers: Appliers,
  message: BulkChunkMessage,
  park?: BulkQueue,
): Promise<BulkCounts | undefined> {
  const job = await deps.store.getBulkJob(message.jobId);
  const parkIt = async () => {
    if (!park)
      throw new Error(`bulk job ${message.jobId} is paused and there is no queue to park its chunk on`);
    await park.send([message], { delaySeconds: PAUSED_DELAY_SECONDS });
    return undefined;
  };
  if (job?.status === 'paused') return parkIt();
  if (job?.status !== 'processing') return undefined;
  if (await deps.store.bulkChunkCounted(job.id, message.chunk)) {
    await finishBulkIfDone(deps, job.id);
    return undefined;
  }
  const counts: BulkCounts = { ...ZERO_BULK_COUNTS };
  const apply = await (appliers[job.action.kind] ?? ownApplier(deps))(job);
  // The contacts of a chunk are independent: a few at a time (each change is its own transaction).
  const queue = [...message.contactIds];
  let stop: { error: unknown } | undefined;
  let paused = false;
  let lookedAt = Date.now();
  const pausedMeanwhile = async () => {
    if (Date.now() - lookedAt < PAUSE_CHECK_MS) return paused;
    lookedAt = Date.now();
    paused ||= (await deps.store.getBulkJob(job.id))?.status === 'paused';
    return paused;
  };
  const worker = async () => {
    for (
      let contactId = queue.shift();
      contactId && !stop && !(await pausedMeanwhile());
      contactId = queue.shift()
    ) {
      try {
        const outcome = await withBusyRetry(() => apply(contactId));
        if (typeof outcome === 'string') counts[outcome]++;
        else {
          counts.unchanged++;
          counts.leftOut = {
            ...counts.leftOut,
            [outcome.leftOut]: (counts.leftOut?.[outcome.leftOut] ?? 0) + 1,
          };
        }
      } catch (err) {
        // A contact deleted meanwhile (or by an earlier attempt of this chunk) is left as it is.
        if (err instanceof DomainError && err.kind === 'not_found') counts.unchanged++;
        else if (!(err instanceof DomainError) || err.kind === 'busy') stop ??= { error: err };
        else counts.failed++;
      }
    }
  };
  // The chunk goes back to the queue only once none of its contacts is still being applied: a
  // delivery again must not find this one's sends half done.
  await Promise.all(Array.from({ length: CONTACTS_IN_PARALLEL }, worker));
  if (stop) throw stop.error;
  if (paused) return parkIt();
  counts.processed = counts.changed + counts.unchanged + counts.failed;
  try {
    await deps.store.commit([
      {
        kind: 'countBulkChunk',
        jobId: job.id,
        chunk: message.chunk,
        counts,
        at: deps.clock.now().toISOString(),
      },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    return undefined; // counted by a parallel delivery
  }
  await finishBulkIfDone(deps, job.id);
  return counts;
}

export async function finishBulkIfDone(deps: BulkDeps, jobId: string): Promise<boolean> {
  const job = await deps.store.getBulkJob(jobId);
  if (job?.status !== 'processing' || job.chunksTotal === undefined || job.chunksDone < job.chunksTotal)
    return false;
  const now = deps.clock.now();
  try {
    await deps.store.commit([
      { kind: 'finishBulkJob', id: jobId, chunksTotal: job.chunksTotal, at: now.toISOString() },
      emit(deps, now, 'BulkActionCompleted', { jobId, action: job.action.kind, ...job.counts }),
    ]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict) return false;
    throw err;
  }
}
