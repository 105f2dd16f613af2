/**
 * The enrollments by step on the single table's GSI1 (rules: step-index.ts). `enterStep` puts the
 * enrollment item under `ENRAT#<workflow>#<version>#<step>#<shard>` (at the step now; `endEnrollment`
 * removes it) and its step claim, written once per enrollment and step, under `ENRIN#…` (entered it).
 */
import type { Table } from '#platform/dynamo/table.js';
import type { Enrollment } from './model.js';
import { decodeStepCursor, encodeStepCursor, mergeShards, stepIndexSort, stepShard } from './step-index.js';
import type { AutomationReads, StepEnrollment } from './store.js';

const pad = (version: number) => String(version).padStart(6, '0');

export const stepIndexKeys = {
  /** GSI1 partition of one shard of the enrollments at a step now (on the enrollment item). */
  stepNowShard: (workflowId: string, version: number, stepId: string, shard: number) =>
    `ENRAT#${workflowId}#${pad(version)}#${stepId}#${shard}`,
  /** GSI1 partition of one shard of the enrollments that ever entered a step (on its step claim). */
  stepEnteredShard: (workflowId: string, version: number, stepId: string, shard: number) =>
    `ENRIN#${workflowId}#${pad(version)}#${stepId}#${shard}`,
};

/** The GSI1 keys that list an enrollment under a step, newest entry first. */
const stepIndex = (partition: string, e: Enrollment, at: string) => ({
  GSI1PK: partition,
  GSI1SK: stepIndexSort(at, e.id),
});
export const stepNowIndex = (e: Enrollment, stepId: string, at: string) =>
  stepIndex(stepIndexKeys.stepNowShard(e.workflowId, e.version, stepId, stepShard(e.id)), e, at);
export const stepEnteredIndex = (e: Enrollment, stepId: string, at: string) =>
  stepIndex(stepIndexKeys.stepEnteredShard(e.workflowId, e.version, stepId, stepShard(e.id)), e, at);

export function stepIndexReads(table: Table): Pick<AutomationReads, 'listStepEnrollments'> {
  return {
    async listStepEnrollments(workflowId, version, stepId, status, options) {
      const positions = decodeStepCursor(options.cursor, status);
      const partition = status === 'current' ? stepIndexKeys.stepNowShard : stepIndexKeys.stepEnteredShard;
      // A scatter-read over the shards, bounded: one Query of at most limit + 1 per shard still to read.
      const reads = await Promise.all(
        positions.map((position, shard) =>
          position === null
            ? undefined
            : table.query(
                {
                  index: 'GSI1',
                  partition: partition(workflowId, version, stepId, shard),
                  ...(position ? { before: position } : {}),
                },
                { limit: options.limit + 1 },
              ),
        ),
      );
      const merged = mergeShards(
        reads.map((read) =>
          read
            ? { sorts: read.items.map((item) => String(item.GSI1SK)), more: read.nextCursor !== undefined }
            : undefined,
        ),
        positions,
        options.limit,
      );
      const items: StepEnrollment[] = merged.taken.map(({ shard, index }) => {
        const item = reads[shard]?.items[index] ?? {};
        return {
          contactId: String(item.contactId),
          // The `current` list's items are enrollments; the `entered` list's, step claims.
          enrollmentId: String(status === 'current' ? item.id : item.enrollmentId),
          enteredAt: String(item.GSI1SK).split('#')[0] ?? '',
        };
      });
      const nextCursor = merged.next ? encodeStepCursor(status, merged.next) : undefined;
      return { items, ...(nextCursor ? { nextCursor } : {}) };
    },
  };
}
