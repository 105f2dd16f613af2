/**
 * SQS consumer of the chunk queue: writes one chunk of an import's rows per message. A chunk that
 * throws is reported as a batch item failure (Powertools Batch), so SQS delivers it again after the
 * visibility timeout, and after the queue's maximum receives moves it to the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { processChunk } from '#imports/chunk.js';
import { ChunkMessageSchema } from '#imports/model.js';
import { importsStore } from '#imports/store-dynamo.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(importsStore);
const processor = new BatchProcessor(EventType.SQS);

export const handler = lambdaHandler('import-chunks', async (event: SQSEvent, context) => {
  const record = async (r: SQSRecord) => {
    const message = ChunkMessageSchema.parse(JSON.parse(r.body));
    const { outcome, counts } = await processChunk(deps, message);
    logger.info('chunk', { importId: message.importId, chunk: message.chunk, outcome, counts });
    if (counts) context.metrics.count('ImportRowsWritten', counts.processed);
  };
  return processPartialResponse(event, record, processor, { context });
});
