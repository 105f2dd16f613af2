/** Sales storage port: pipelines, deals and tasks. */
import type { ContactsStore, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { CrmTask, Deal, DealStatus, Pipeline, TaskStatus } from './model.js';
import type { StageCounters, StageDeltas } from './stage-history.js';

export type SalesWrite =
  | ContactsWrite
  /** `expectedVersion`: replace only that version; absent: create (a second create of one id is a conflict). */
  | { kind: 'putTask'; task: CrmTask; expectedVersion?: number }
  /** `expectedVersion`: replace only that version (1 also matches a pipeline saved before versions). */
  | { kind: 'putPipeline'; pipeline: Pipeline; expectedVersion?: number }
  | { kind: 'putDeal'; deal: Deal; expectedVersion?: number }
  /** Deletes a deal at this version. */
  | { kind: 'deleteDeal'; dealId: string; expectedVersion: number }
  /** Moves a stage's history counters to its new name (a renamed stage), or drops them (`to` absent). */
  | { kind: 'moveStageStats'; pipelineId: string; from: string; to?: string; counters?: StageCounters }
  /** Adds to one stage's history counters (on one of its shards, chosen by the deal). */
  | { kind: 'addStageStats'; pipelineId: string; stage: string; dealId: string; deltas: StageDeltas };

export interface TaskQuery extends ListOptions {
  status: TaskStatus;
  owner?: string | undefined;
  dueBefore?: string | undefined;
  /** Due at or after this time. */
  dueAfter?: string | undefined;
}

/**
 * A page of the deal list. With a pipeline: its board partition (from `stage` on, if given), keeping
 * the deals in `stages` and of `owner`; without: the deals of `status`, of `owner` if given.
 */
export interface DealQuery extends ListOptions {
  pipelineId?: string | undefined;
  stage?: string | undefined;
  /** Only deals in these stages (the stages of the status asked for, within a pipeline). */
  stages?: string[] | undefined;
  owner?: string | undefined;
  status?: DealStatus | undefined;
}

export interface SalesReads {
  getPipeline(id: string): Promise<Pipeline | undefined>;
  listPipelines(options: ListOptions): Promise<Page<Pipeline>>;
  getDeal(id: string): Promise<Deal | undefined>;
  /** Every deal of a pipeline, by stage (reads the pipeline's board partition only). */
  listDealsOnBoard(pipelineId: string): Promise<Deal[]>;
  /** A page of the deal list (one index partition, filtered as it is read). */
  listDeals(query: DealQuery): Promise<Page<Deal>>;
  /** The history counters of a pipeline's stages (one Query; stages with none are absent). */
  listStageStats(pipelineId: string): Promise<StageCounters[]>;
  getTask(id: string): Promise<CrmTask | undefined>;
  /** Tasks by status (and owner), soonest due first (done tasks: latest due first). */
  listTasks(query: TaskQuery): Promise<Page<CrmTask>>;
}

export type SalesStore = SalesReads & ContactsStore & Commit<SalesWrite>;
export type SalesDeps = Deps<SalesStore>;
