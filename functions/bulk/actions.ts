/**
 * Bulk actions as the user drives them: start one on an audience, watch it, cancel it. The planner
 * and the chunk workers (engine.ts) do the work, on the import engine's queue.
 */

import { activeTrigger } from '#automation/workflows.js';
import { getSegment } from '#insights/segments.js';
import { conflict, invalid, notFound } from '#platform/errors.js';
import type { FileStore } from '#platform/files.js';
import { CommitConflict, emit } from '#platform/store.js';
import { DOWNLOAD_URL_SECONDS } from './exports.js';
import {
  type Audience,
  type BulkAction,
  type BulkJob,
  type BulkJobView,
  MAX_SELECTION,
  ZERO_BULK_COUNTS,
} from './model.js';
import type { BulkDeps, BulkWrite } from './store.js';

export async function startBulkAction(
  deps: BulkDeps,
  input: { action: BulkAction; audience: Audience },
): Promise<BulkJob> {
  const { audience } = input;
  if (audience.kind === 'selection' && audience.contactIds.length > MAX_SELECTION)
    throw invalid(
      'validation_error',
      `a selection has at most ${MAX_SELECTION} contacts; use a tag or a segment`,
      [{ path: 'audience.contactIds', message: `at most ${MAX_SELECTION}` }],
    );
  // The segment must exist now, and the workflow be published (a 404 or 409 here, not a failed job later).
  if (audience.kind === 'segment') await getSegment(deps, audience.segmentId);
  if (input.action.kind === 'enroll') await activeTrigger(deps, input.action.workflowId);
  const now = deps.clock.now();
  const job = newBulkJob(deps, input, now);
  await deps.store.commit(bulkJobWrites(deps, job, now));
  return job;
}

/** A new job (queued) for the action on the audience. */
export function newBulkJob(
  deps: Pick<BulkDeps, 'ids'>,
  { action, audience }: { action: BulkAction; audience: Audience },
  now: Date,
): BulkJob {
  return {
    id: deps.ids.next(),
    action,
    audience:
      audience.kind === 'selection'
        ? { kind: 'selection', contactIds: [...new Set(audience.contactIds)] }
        : audience,
    status: 'queued',
    counts: { ...ZERO_BULK_COUNTS },
    queued: 0,
    chunksQueued: 0,
    chunksDone: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** What starts a job: its record and BulkActionStarted (the planner's trigger), in one transaction with the caller's writes. */
export const bulkJobWrites = (deps: Pick<BulkDeps, 'ids'>, job: BulkJob, now: Date): BulkWrite[] => [
  { kind: 'createBulkJob', job },
  emit(deps, now, 'BulkActionStarted', { jobId: job.id }),
];

export async function getBulkJob(deps: BulkDeps, id: string): Promise<BulkJob> {
  const job = await deps.store.getBulkJob(id);
  if (!job) throw notFound('bulk action', id);
  return job;
}

/** The job, with a fresh download link when it is a finished export. */
export async function viewBulkJob(deps: BulkDeps, files: FileStore, id: string): Promise<BulkJobView> {
  const job = await getBulkJob(deps, id);
  if (job.status !== 'completed' || !job.file) return { job };
  return { job, downloadUrl: await files.downloadUrl(job.file.key, job.file.name, DOWNLOAD_URL_SECONDS) };
}

/** A GDPR access request: everything keyed to the contact, as a JSON file to download. */
export async function exportPerson(deps: BulkDeps, contactId: string): Promise<BulkJob> {
  if (!(await deps.store.getContact(contactId))) throw notFound('contact', contactId);
  return startBulkAction(deps, {
    action: { kind: 'exportPerson' },
    audience: { kind: 'selection', contactIds: [contactId] },
  });
}

export async function cancelBulkAction(deps: BulkDeps, id: string): Promise<BulkJob> {
  const job = await getBulkJob(deps, id);
  const at = deps.clock.now().toISOString();
  const set = { status: 'cancelled' as const, finishedAt: at, updatedAt: at };
  try {
    await deps.store.commit([{ kind: 'updateBulkJob', id, from: ['queued', 'processing', 'paused'], set }]);
  } catch (err) {
    if (err instanceof CommitConflict) throw conflict('finished', `the bulk action is ${job.status}`);
    throw err;
  }
  return { ...job, ...set };
}

/**
 * The writes that pause a job queued or being processed (its chunks then wait on the queue; its
 * planner still queues them) or resume a
 * paused one; a conflict when it is in neither state (finished, cancelled, or paused already).
 */
export function pauseBulkWrites(deps: BulkDeps, id: string, pause: boolean): BulkWrite[] {
  const at = deps.clock.now().toISOString();
  return [
    {
      kind: 'updateBulkJob',
      id,
      from: pause ? ['queued', 'processing'] : ['paused'],
      set: { status: pause ? 'paused' : 'processing', updatedAt: at },
    },
  ];
}
