/**
 * EventBridge target for BulkActionStarted: pages the audience into chunk messages — a campaign's on
 * the campaign queue (it never waits behind an import's chunks), any other action's on the chunk queue.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { planBulk } from '#bulk/engine.js';
import { bulkStore } from '#bulk/store-dynamo.js';
import { sqsChunkQueue } from '#platform/aws/chunk-queue.js';
import { s3Files } from '#platform/aws/files.js';
import { requireEnv } from '#platform/config.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';

const deps = depsOf(bulkStore);
const chunks = sqsChunkQueue(requireEnv('CHUNK_QUEUE_URL'));
const campaigns = sqsChunkQueue(requireEnv('CAMPAIGN_QUEUE_URL'));
const files = s3Files(requireEnv('FILES_BUCKET'));

export const handler = lambdaHandler('bulk-planner', async (event: EventBridgeEvent<string, unknown>) => {
  const parsed = parseEvent(event['detail-type'], event.detail);
  if (parsed.detailType !== 'BulkActionStarted') return { outcome: 'ignored' };
  const { jobId } = parsed.detail;
  const job = await deps.store.getBulkJob(jobId);
  const queue = job?.action.kind === 'sendCampaign' ? campaigns : chunks;
  return { outcome: await planBulk(deps, queue, files, jobId) };
});
