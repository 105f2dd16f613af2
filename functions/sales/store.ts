/** Sales storage port: pipelines, deals and tasks. */
import type { ContactsStore, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { CrmTask, Deal, Pipeline, TaskStatus } from './model.js';
import type { StageCounters, StageDeltas } from './stage-history.js';

export type SalesWrite =
  | ContactsWrite
  /** `expectedVersion`: replace only that version; absent: create (a second create of one id is a conflict). */
  | { kind: 'putTask'; task: CrmTask; expectedVersion?: number }
  | { kind: 'putPipeline'; pipeline: Pipeline }
  | { kind: 'putDeal'; deal: Deal; expectedVersion?: number }
  /** Adds to one stage's history counters (on one of its shards, chosen by the deal). */
  | { kind: 'addStageStats'; pipelineId: string; stage: string; dealId: string; deltas: StageDeltas };

export interface TaskQuery extends ListOptions {
  status: TaskStatus;
  owner?: string | undefined;
  dueBefore?: string | undefined;
}

export interface SalesReads {
  getPipeline(id: string): Promise<Pipeline | undefined>;
  listPipelines(options: ListOptions): Promise<Page<Pipeline>>;
  getDeal(id: string): Promise<Deal | undefined>;
  /** Every deal of a pipeline, by stage (reads the pipeline's board partition only). */
  listDealsOnBoard(pipelineId: string): Promise<Deal[]>;
  /** The history counters of a pipeline's stages (one Query; stages with none are absent). */
  listStageStats(pipelineId: string): Promise<StageCounters[]>;
  getTask(id: string): Promise<CrmTask | undefined>;
  /** Tasks by status (and owner), soonest due first. */
  listTasks(query: TaskQuery): Promise<Page<CrmTask>>;
}

export type SalesStore = SalesReads & ContactsStore & Commit<SalesWrite>;
export type SalesDeps = Deps<SalesStore>;
