/**
 * Sales' backfill: what was saved before two of its indexes existed is put in them once.
 * - Tasks (the open ones, then the done ones, from their due-time collections) get their item in
 *   their contact's index (contact-tasks.ts), so the contact page lists them.
 * - Deals (each pipeline's board, pipeline by pipeline) get their deal list keys (GSI2 `DEALS#<status>`),
 *   so `GET /v1/deals` without a pipeline lists them before their next save.
 * Every record is read from a Query of a collection it is already in: never a Scan. The reconciler
 * runs a bounded stretch every 5 minutes (at most `budget` records, or until `until`), resuming where
 * the last run stopped (one progress item, written with a version guard after each page: a run that
 * dies redoes at most that page, and every write is conditional, so redone is harmless) until it is
 * done for the current layout (SALES_INDEX_VERSION: a new layout sweeps again). Once done, a run
 * costs one read.
 */
import { CommitConflict } from '#platform/store.js';
import type { SalesBackfillDeps, SalesBackfillWrite } from './backfill-store.js';
import type { SalesBackfillState } from './model.js';

/** Bumped when the layout of these indexes changes: the backfill then sweeps every record again. */
export const SALES_INDEX_VERSION = 1;
const PAGE = 100;
/** Records one run reads at most. */
export const SALES_BACKFILL_BUDGET = 20_000;

export interface SalesBackfillRun {
  phase: SalesBackfillState['phase'];
  /** Records read by this run. */
  swept: number;
  /** Index entries this run wrote. */
  indexed: number;
}

const fresh = (deps: SalesBackfillDeps, previous: SalesBackfillState | undefined): SalesBackfillState => ({
  indexVersion: SALES_INDEX_VERSION,
  phase: 'tasks-open',
  swept: 0,
  indexed: 0,
  startedAt: deps.clock.now().toISOString(),
  version: (previous?.version ?? 0) + 1,
});

/** Saves the progress if no one else moved it meanwhile (false then: this run stops). */
async function save(deps: SalesBackfillDeps, state: SalesBackfillState, expected: number): Promise<boolean> {
  try {
    await deps.store.commit([{ kind: 'putSalesBackfill', state, expectedVersion: expected }]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'backfill') return false;
    throw err;
  }
}

/** Writes one index entry; false when its condition says it is not needed (any more). */
async function fill(deps: SalesBackfillDeps, write: SalesBackfillWrite) {
  try {
    await deps.store.commit([write]);
    return true;
  } catch (err) {
    // The contact was erased, the task's own save wrote the item, the deal was saved (with its
    // keys) or deleted meanwhile: nothing to fill.
    if (err instanceof CommitConflict) return false;
    throw err;
  }
}

interface Step {
  /** Records read. */
  read: number;
  written: number;
  /** Where the sweep goes on from. */
  next: Pick<SalesBackfillState, 'phase' | 'cursor' | 'pipelineId'>;
}

/** One page of the sweep from where `state` is, its missing entries filled. */
async function step(deps: SalesBackfillDeps, state: SalesBackfillState, limit: number): Promise<Step> {
  if (state.phase === 'tasks-open' || state.phase === 'tasks-done') {
    const status = state.phase === 'tasks-open' ? 'open' : 'done';
    const page = await deps.store.taskBackfillPage(status, { limit, cursor: state.cursor });
    let written = 0;
    for (const { task, missing } of page.items)
      if (missing && (await fill(deps, { kind: 'indexContactTask', task }))) written++;
    const after = state.phase === 'tasks-open' ? 'tasks-done' : 'deals';
    return {
      read: page.items.length,
      written,
      next: page.nextCursor ? { phase: state.phase, cursor: page.nextCursor } : { phase: after },
    };
  }
  // Deals: the pipeline under way (the first, when none yet), its board page by page.
  const pipelineId = state.pipelineId ?? (await deps.store.pipelineAfter(undefined));
  if (!pipelineId) return { read: 0, written: 0, next: { phase: 'done' } };
  const page = await deps.store.dealBackfillPage(pipelineId, { limit, cursor: state.cursor });
  let written = 0;
  for (const { deal, missing } of page.items)
    if (missing && (await fill(deps, { kind: 'indexDealList', deal }))) written++;
  if (page.nextCursor)
    return {
      read: page.items.length,
      written,
      next: { phase: 'deals', pipelineId, cursor: page.nextCursor },
    };
  const following = await deps.store.pipelineAfter(pipelineId);
  return {
    read: page.items.length,
    written,
    next: following ? { phase: 'deals', pipelineId: following } : { phase: 'done' },
  };
}

/**
 * Runs the sweep for at most `budget` records, or until `until` (a time) has passed after a page.
 * `page`: records read at a time (tests make it small).
 */
export async function runSalesBackfill(
  deps: SalesBackfillDeps,
  {
    budget = SALES_BACKFILL_BUDGET,
    until,
    page = PAGE,
  }: { budget?: number; until?: Date | undefined; page?: number } = {},
): Promise<SalesBackfillRun> {
  const stored = await deps.store.getSalesBackfill();
  if (stored?.phase === 'done' && stored.indexVersion === SALES_INDEX_VERSION)
    return { phase: 'done', swept: 0, indexed: 0 };
  let state: SalesBackfillState;
  let expected = stored?.version ?? 0;
  if (!stored || stored.indexVersion !== SALES_INDEX_VERSION) {
    state = fresh(deps, stored);
    if (!(await save(deps, state, expected)))
      return { phase: stored?.phase ?? 'tasks-open', swept: 0, indexed: 0 };
    expected = state.version;
  } else state = stored;
  let swept = 0;
  let indexed = 0;
  while (state.phase !== 'done' && swept < budget && !(until && deps.clock.now() >= until)) {
    const { read, written, next: where } = await step(deps, state, Math.min(page, budget - swept));
    swept += read;
    indexed += written;
    const next: SalesBackfillState = {
      indexVersion: state.indexVersion,
      ...where,
      swept: state.swept + read,
      indexed: state.indexed + written,
      startedAt: state.startedAt,
      ...(where.phase === 'done' ? { finishedAt: deps.clock.now().toISOString() } : {}),
      version: expected + 1,
    };
    if (!(await save(deps, next, expected))) break;
    state = next;
    expected = next.version;
  }
  return { phase: state.phase, swept, indexed };
}
