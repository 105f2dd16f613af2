/**
 * Editing and deleting a segment, at the version the caller read (a 409 otherwise). Each is one
 * transaction with its event: SegmentChanged (its previous conditions when they changed: the
 * segment-membership consumer matches its recorded members again, segment-rematch.ts) and
 * SegmentDeleted (the consumer drops its membership records). A segment an active workflow is
 * triggered by is not deleted (409 `segment_in_use`, naming the workflows). See docs/workflows.md ("Segment triggers").
 */
import { conflict, notFound, staleVersion } from '#platform/errors.js';
import { CommitConflict, type Deps, emit } from '#platform/store.js';
import type { Segment, SegmentFilter } from './model.js';
import { getSegment } from './segments.js';
import type { InsightsDeps, InsightsStore } from './store.js';

export interface SegmentPatch {
  version: number;
  name?: string | undefined;
  filter?: SegmentFilter | undefined;
}

/** Deleting also reads the names of the workflows that refuse it (the segments API composes automation's read). */
export type SegmentDeleteDeps = Deps<
  InsightsStore & { getWorkflow(id: string): Promise<{ name: string } | undefined> }
>;

const sameFilter = (a: SegmentFilter, b: SegmentFilter) => JSON.stringify(a) === JSON.stringify(b);

/** A conflict on the segment's own guard: gone meanwhile (404) or saved by someone else (409). */
async function staleOrGone(deps: InsightsDeps, id: string, err: unknown): Promise<never> {
  if (
    err instanceof CommitConflict &&
    (err.write.kind === 'putSegment' || err.write.kind === 'deleteSegment')
  ) {
    const now = await deps.store.getSegment(id);
    if (!now) throw notFound('segment', id);
    throw staleVersion('segment', id, now.version);
  }
  throw err;
}

export async function updateSegment(deps: InsightsDeps, id: string, patch: SegmentPatch): Promise<Segment> {
  const current = await getSegment(deps, id);
  if (current.version !== patch.version) throw staleVersion('segment', id, current.version);
  const now = deps.clock.now();
  const next: Segment = {
    ...current,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.filter !== undefined ? { filter: patch.filter } : {}),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const filterChanged = !sameFilter(current.filter, next.filter);
  try {
    await deps.store.commit([
      { kind: 'putSegment', segment: next, expectedVersion: current.version },
      emit(deps, now, 'SegmentChanged', {
        segmentId: id,
        segmentVersion: next.version,
        name: next.name,
        ...(filterChanged ? { previousFilter: current.filter as Record<string, unknown> } : {}),
      }),
    ]);
  } catch (err) {
    return staleOrGone(deps, id, err);
  }
  return next;
}

export async function deleteSegment(deps: SegmentDeleteDeps, id: string, version: number): Promise<void> {
  const current = await getSegment(deps, id);
  if (current.version !== version) throw staleVersion('segment', id, current.version);
  const workflowIds = await deps.store.listSegmentWorkflowIds(id);
  if (workflowIds.length > 0) {
    const workflows = await Promise.all(
      workflowIds.map(async (workflowId) => ({
        id: workflowId,
        name: (await deps.store.getWorkflow(workflowId))?.name ?? workflowId,
      })),
    );
    throw conflict(
      'segment_in_use',
      `segment ${current.name} triggers ${workflows.length === 1 ? 'a workflow' : `${workflows.length} workflows`}: ${workflows.map((w) => w.name).join(', ')}; pause ${workflows.length === 1 ? 'it' : 'them'} first`,
      { workflows },
    );
  }
  const now = deps.clock.now();
  try {
    await deps.store.commit([
      { kind: 'deleteSegment', segmentId: id, expectedVersion: version },
      emit(deps, now, 'SegmentDeleted', { segmentId: id, name: current.name }),
    ]);
  } catch (err) {
    await staleOrGone(deps, id, err);
  }
}
