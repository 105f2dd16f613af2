/**
 * SQS consumer of the chunk queue: one chunk of an import's rows, or of a bulk action's contacts (a
 * campaign's recipients too), per message. A chunk that throws is reported as a batch item failure
 * (Powertools Batch), so SQS delivers it again after the visibility timeout, and after the queue's
 * maximum receives moves it to the dead-letter queue. A chunk of a paused campaign is sent back to
 * the queue with a delay (not a failure: it is not counted as a receive).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { campaignEmail, countedMailer, emailContext } from '#app/email-context.js';
import { depsOf } from '#app/runtime.js';
import { appStore } from '#app/store.js';
import { sfnEngine } from '#automation/sfn-engine.js';
import { enrollApplier, processBulkChunk } from '#bulk/engine.js';
import { BulkChunkMessageSchema } from '#bulk/model.js';
import { campaignApplier } from '#campaigns/send.js';
import { processChunk } from '#imports/chunk.js';
import { ChunkMessageSchema } from '#imports/model.js';
import { rateLimitedMailer } from '#messaging/mailer.js';
import { sqsChunkQueue } from '#platform/aws/chunk-queue.js';
import { requireEnv } from '#platform/config.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(appStore);
// Bulk enrollments start their executions here, as the enroller does.
const engine = sfnEngine({ stepFunctionArn: requireEnv('STEP_FUNCTION_ARN') });
const enroll = enrollApplier(deps, engine);
// A chunk of a paused job goes back on its own queue with a delay.
const park = sqsChunkQueue(requireEnv('CHUNK_QUEUE_URL'));

export const handler = lambdaHandler('job-chunks', async (event: SQSEvent, context) => {
  const appliers = {
    enroll,
    // At the campaigns' rate, inside the rate of all email; each send counted in this invocation's metrics.
    sendCampaign: campaignApplier(deps, {
      ...emailContext,
      mailer: rateLimitedMailer(countedMailer(context.metrics, 'campaign'), campaignEmail),
    }),
  };
  const record = async (r: SQSRecord) => {
    const body = JSON.parse(r.body) as { kind?: string };
    if (body.kind === 'bulk') {
      const message = BulkChunkMessageSchema.parse(body);
      const counts = await processBulkChunk(deps, appliers, message, park);
      logger.info('bulk chunk', { jobId: message.jobId, chunk: message.chunk, counts });
      return;
    }
    const message = ChunkMessageSchema.parse(body);
    const { outcome, counts } = await processChunk(deps, message);
    logger.info('import chunk', { importId: message.importId, chunk: message.chunk, outcome, counts });
    if (counts) context.metrics.count('ImportRowsWritten', counts.processed);
  };
  // A chunk that fails is delivered again later: say why, so nothing fails silently.
  const logged = async (r: SQSRecord) => {
    try {
      await record(r);
    } catch (err) {
      logger.error('chunk failed; the queue delivers it again', {
        messageId: r.messageId,
        error: err as Error,
      });
      throw err;
    }
  };
  // One processor per invocation: it keeps the batch's state, and local mode runs invocations of one
  // module side by side (a shared one mixed their failures up and redelivered chunks still running).
  return processPartialResponse(event, logged, new BatchProcessor(EventType.SQS), { context });
});
