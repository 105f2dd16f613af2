/**
 * SQS consumer of the chunk queue: one chunk of an import's rows, or of a bulk action's contacts, per
 * message (functions/app/chunk-consumer.ts: failures reported per item, delivered again, then
 * dead-lettered). A chunk of a paused job is sent back to the queue with a delay (not a failure: it
 * is not counted as a receive). Campaigns have their own queue (campaign-chunks): a campaign's chunk
 * found here, queued before they had, is moved there.
 */
import { chunkConsumer } from '#app/chunk-consumer.js';
import { depsOf } from '#app/runtime.js';
import type { Applier } from '#bulk/engine.js';
import { bulkStore } from '#bulk/store-dynamo.js';
import { importsStore } from '#imports/store-dynamo.js';
import { sqsChunkQueue } from '#platform/aws/chunk-queue.js';
import { requireEnv } from '#platform/config.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(bulkStore);
const importDeps = depsOf(importsStore);
// A chunk of a paused job goes back on its own queue with a delay.
const park = sqsChunkQueue(requireEnv('CHUNK_QUEUE_URL'));
const campaigns = sqsChunkQueue(requireEnv('CAMPAIGN_QUEUE_URL'));

// Each kind of chunk's code is imported when the first chunk of that kind arrives: an import's
// chunks do not compile the enrollment code at a cold start, nor the other way round.
const bulkEngine = () => Promise.all([import('#bulk/engine.js'), import('#bulk/model.js')]);
const importChunks = () => Promise.all([import('#imports/chunk.js'), import('#imports/model.js')]);
// Bulk enrollments start their executions here, as the enroller does.
let enroller: Promise<Applier> | undefined;
const enroll: Applier = async (job) => {
  enroller ??= Promise.all([import('#bulk/engine.js'), import('#automation/sfn-engine.js')]).then(
    ([{ enrollApplier }, { sfnEngine }]) => enrollApplier(deps, sfnEngine({})),
  );
  return (await enroller)(job);
};

export const handler = chunkConsumer('job-chunks', async (body, context) => {
  if (body.kind === 'bulk') {
    const [{ processBulkChunk }, { BulkChunkMessageSchema }] = await bulkEngine();
    const message = BulkChunkMessageSchema.parse(body);
    if ((await deps.store.getBulkJob(message.jobId))?.action.kind === 'sendCampaign') {
      await campaigns.send([message]);
      logger.info('campaign chunk moved to the campaign queue', {
        jobId: message.jobId,
        chunk: message.chunk,
      });
      return;
    }
    const counts = await processBulkChunk(deps, { enroll }, message, park);
    logger.info('bulk chunk', { jobId: message.jobId, chunk: message.chunk, counts });
    return;
  }
  const [{ processChunk }, { ChunkMessageSchema }] = await importChunks();
  const message = ChunkMessageSchema.parse(body);
  const { outcome, counts } = await processChunk(importDeps, message);
  logger.info('import chunk', { importId: message.importId, chunk: message.chunk, outcome, counts });
  if (counts) context.metrics.count('ImportRowsWritten', counts.processed);
});
