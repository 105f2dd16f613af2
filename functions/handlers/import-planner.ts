/** EventBridge target for ImportStarted: reads the import's file into chunk messages on the chunk queue. */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { planImport } from '#imports/planner.js';
import { importsStore } from '#imports/store-dynamo.js';
import { sqsChunkQueue } from '#platform/aws/chunk-queue.js';
import { s3Files } from '#platform/aws/files.js';
import { requireEnv } from '#platform/config.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';

const deps = depsOf(importsStore);
const files = s3Files(requireEnv('FILES_BUCKET'));
const queue = sqsChunkQueue(requireEnv('CHUNK_QUEUE_URL'));

export const handler = lambdaHandler(
  'import-planner',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    if (parsed.detailType !== 'ImportStarted') return { outcome: 'ignored' };
    const outcome = await planImport(deps, files, queue, parsed.detail.importId);
    if (outcome === 'failed') context.metrics.count('ImportFailed', 1);
    return { outcome };
  },
);
