/**
 * The storage port of sales' backfill (backfill.ts): its progress, pages of the collections it
 * sweeps (each record with whether its index entry is there), and the writes that fill one entry.
 */
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { CrmTask, Deal, SalesBackfillState, TaskStatus } from './model.js';

export type SalesBackfillWrite =
  /** The backfill's progress, if still at `expectedVersion` (0: none yet; part `backfill`). */
  | { kind: 'putSalesBackfill'; state: SalesBackfillState; expectedVersion: number }
  /**
   * The task's item in its contact's index (contact-tasks.ts), if its contact still exists (part
   * `contact`) and the item is not there yet (part `index`: a save of the task wrote it meanwhile).
   */
  | { kind: 'indexContactTask'; task: CrmTask }
  /** The deal's keys in the deal list, if the deal is still at its version (part `version`). */
  | { kind: 'indexDealList'; deal: Deal };

export interface SalesBackfillReads {
  getSalesBackfill(): Promise<SalesBackfillState | undefined>;
  /**
   * A page of the tasks of a status (its due-time collection, soonest first), each with whether it
   * needs its contact's index item (it has a contact, and the item is not there).
   */
  taskBackfillPage(
    status: TaskStatus,
    options: ListOptions,
  ): Promise<Page<{ task: CrmTask; missing: boolean }>>;
  /** The first pipeline by id after `after` (the first of all without it). */
  pipelineAfter(after: string | undefined): Promise<string | undefined>;
  /** A page of a pipeline's deals (its board), each with whether its deal list keys are missing or stale. */
  dealBackfillPage(pipelineId: string, options: ListOptions): Promise<Page<{ deal: Deal; missing: boolean }>>;
}

export type SalesBackfillStore = SalesBackfillReads & Commit<SalesBackfillWrite>;
export type SalesBackfillDeps = Deps<SalesBackfillStore>;
