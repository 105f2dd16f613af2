/** The deal list (filtered, paged, from one index partition) and deleting a deal. */
import { invalid, invalidReference, notFound } from '#platform/errors.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { currentStageName, type Deal, type DealContact, type DealStatus, stageKind } from './model.js';
import {
  checkStage,
  dealContacts,
  dealRef,
  getDeal,
  position,
  staleDeal,
  withCurrentStages,
} from './pipelines.js';
import { deletedHistory } from './stage-history.js';
import type { SalesDeps, SalesWrite } from './store.js';

export interface DealFilter extends ListOptions {
  pipelineId?: string | undefined;
  stage?: string | undefined;
  owner?: string | undefined;
  status?: DealStatus | undefined;
}

/**
 * A page of deals. With a pipeline: its board partition (all statuses unless one is asked for),
 * optionally one stage and one owner. Without: the deals of one status (open unless asked), of one
 * owner if asked, by owner then close date. A stage is a pipeline's: it needs `pipelineId`.
 */
export async function listDeals(
  deps: SalesDeps,
  filter: DealFilter,
): Promise<Page<Deal> & { contacts: DealContact[] }> {
  const page = await dealPage(deps, filter);
  return { ...page, contacts: await dealContacts(deps, page.items) };
}

async function dealPage(deps: SalesDeps, filter: DealFilter): Promise<Page<Deal>> {
  if (filter.stage !== undefined && filter.pipelineId === undefined)
    throw invalid('stage_needs_pipeline', 'a stage filter needs the pipeline it belongs to', [
      { path: 'stage', message: 'give pipelineId too', code: 'stage_needs_pipeline' },
    ]);
  if (filter.pipelineId === undefined)
    return deps.store.listDeals({ ...filter, status: filter.status ?? 'open' });
  const pipeline = await deps.store.getPipeline(filter.pipelineId);
  if (!pipeline) throw invalidReference('pipelineId', 'pipeline', filter.pipelineId);
  if (filter.stage !== undefined) checkStage(pipeline, filter.stage);
  // The stages kept: the one asked for, or those of the status asked for (and their old names while a
  // stage edit is under way), or all.
  const wanted = pipeline.stages
    .filter((s) => filter.stage === undefined || s.name === filter.stage)
    .filter((s) => filter.status === undefined || stageKind(s.probability) === filter.status)
    .map((s) => s.name);
  const stages = [
    ...wanted,
    ...(pipeline.migrating ?? []).filter((m) => wanted.includes(m.to)).map((m) => m.from),
  ];
  const migratingFrom = (pipeline.migrating ?? []).find((m) => m.to === filter.stage);
  const page = await deps.store.listDeals({
    ...filter,
    // While its deals are still moving from another stage, a stage is read whole, not by prefix.
    stage: migratingFrom ? undefined : filter.stage,
    stages,
  });
  return { ...page, items: withCurrentStages(pipeline, page.items) };
}

/**
 * Deletes a deal at its `version` (409 otherwise), in one transaction with DealDeleted and with what
 * its moves added to its pipeline's stage history taken back (the forecast no longer counts it).
 */
export async function deleteDeal(deps: SalesDeps, id: string, version: number): Promise<void> {
  const current = await getDeal(deps, id);
  if (current.version !== version) throw staleDeal(current);
  const pipeline = await deps.store.getPipeline(current.pipelineId);
  const stage = currentStageName(pipeline, current.stage);
  const now = deps.clock.now();
  const writes: SalesWrite[] = [{ kind: 'deleteDeal', dealId: id, expectedVersion: version }];
  if (pipeline)
    for (const [name, deltas] of deletedHistory(pipeline, current))
      writes.push({ kind: 'addStageStats', pipelineId: current.pipelineId, stage: name, dealId: id, deltas });
  writes.push(
    emit(deps, now, 'DealDeleted', { ...dealRef(current), previous: position({ ...current, stage }) }),
  );
  try {
    await deps.store.commit(writes);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'deleteDeal') {
      const now = await deps.store.getDeal(id);
      if (!now) throw notFound('deal', id);
      throw staleDeal(now);
    }
    throw err;
  }
}
