/**
 * The backfill: a sweep through every contact (the CONTACTS collection, newest first) and then every
 * company (by name), reindexing each (indexing.ts: a record already right costs its reads, no write).
 * The reconciler runs a bounded stretch of it every 5 minutes, resuming where the last run stopped
 * (one progress item), until it is done for the current tokenization (INDEX_VERSION): an existing
 * workspace gets indexed without anyone doing anything, and a new tokenization reindexes everyone.
 * An import that updated contacts (no contact event for them) starts the sweep again.
 */
import { CommitConflict } from '#platform/store.js';
import { eachAtOnce, indexCompany, indexContact } from './indexing.js';
import type { BackfillState } from './model.js';
import { INDEX_VERSION } from './rules.js';
import type { SearchDeps } from './store.js';

const PAGE = 100;
/** Records one run reindexes at most. */
export const BACKFILL_BUDGET = 20_000;

export interface BackfillRun {
  phase: BackfillState['phase'];
  swept: number;
}

const fresh = (deps: SearchDeps, previous: BackfillState | undefined): BackfillState => ({
  indexVersion: INDEX_VERSION,
  phase: 'contacts',
  indexed: 0,
  startedAt: deps.clock.now().toISOString(),
  version: (previous?.version ?? 0) + 1,
});

/** Saves the progress if no one else moved it meanwhile (false then: this run stops). */
async function save(deps: SearchDeps, state: BackfillState, expectedVersion: number): Promise<boolean> {
  try {
    await deps.store.commit([{ kind: 'putSearchBackfill', state, expectedVersion }]);
    return true;
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'backfill') return false;
    throw err;
  }
}

/**
 * Runs the sweep for at most `budget` records, or until `until` (a time) has passed after a page:
 * a done sweep of the current tokenization costs one read.
 */
export async function runBackfill(
  deps: SearchDeps,
  { budget = BACKFILL_BUDGET, until }: { budget?: number; until?: Date } = {},
): Promise<BackfillRun> {
  const stored = await deps.store.getSearchBackfill();
  if (stored?.phase === 'done' && stored.indexVersion === INDEX_VERSION) return { phase: 'done', swept: 0 };
  let state: BackfillState;
  let expected = stored?.version ?? 0;
  if (!stored || stored.indexVersion !== INDEX_VERSION) {
    state = fresh(deps, stored);
    if (!(await save(deps, state, expected))) return { phase: stored?.phase ?? 'contacts', swept: 0 };
    expected = state.version;
  } else state = stored;
  let swept = 0;
  while (state.phase !== 'done' && swept < budget && !(until && deps.clock.now() >= until)) {
    const options = { limit: PAGE, cursor: state.cursor };
    const page =
      state.phase === 'contacts'
        ? await deps.store.listContacts(options)
        : await deps.store.listCompanies(options);
    const index = state.phase === 'contacts' ? indexContact : indexCompany;
    const ids: string[] = page.items.map((record) => record.id);
    await eachAtOnce(ids, (id) => index(deps, id));
    swept += page.items.length;
    const { nextCursor } = page;
    const phase = nextCursor ? state.phase : state.phase === 'contacts' ? 'companies' : 'done';
    const next: BackfillState = {
      indexVersion: state.indexVersion,
      phase,
      ...(nextCursor ? { cursor: nextCursor } : {}),
      indexed: state.indexed + page.items.length,
      startedAt: state.startedAt,
      ...(phase === 'done' ? { finishedAt: deps.clock.now().toISOString() } : {}),
      version: expected + 1,
    };
    if (!(await save(deps, next, expected))) break;
    state = next;
    expected = next.version;
  }
  return { phase: state.phase, swept };
}

/** Starts the sweep again from the first contact (after an import that updated contacts). */
export async function restartBackfill(deps: SearchDeps): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await deps.store.getSearchBackfill();
    if (await save(deps, fresh(deps, stored), stored?.version ?? 0)) return 'backfill_restarted';
  }
  return 'backfill_busy';
}
