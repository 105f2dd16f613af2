/**
 * SQS consumer of the chunk queue: one chunk of an import's rows, or of a bulk action's contacts (a
 * campaign's recipients too), per message. A chunk that throws is reported as a batch item failure
 * (Powertools Batch), so SQS delivers it again after the visibility timeout, and after the queue's
 * maximum receives moves it to the dead-letter queue. A chunk of a paused campaign is sent back to
 * the queue with a delay (not a failure: it is not counted as a receive).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { appStore } from '#app/store.js';
import type { Applier, Appliers } from '#bulk/engine.js';
import { sqsChunkQueue } from '#platform/aws/chunk-queue.js';
import { requireEnv } from '#platform/config.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(appStore);
// A chunk of a paused job goes back on its own queue with a delay.
const park = sqsChunkQueue(requireEnv('CHUNK_QUEUE_URL'));

// Each kind of chunk's code is imported when the first chunk of that kind arrives: an import's
// chunks do not compile the campaign or enrollment code at a cold start, nor the other way round.
const bulkEngine = () => Promise.all([import('#bulk/engine.js'), import('#bulk/model.js')]);
const importChunks = () => Promise.all([import('#imports/chunk.js'), import('#imports/model.js')]);
// Bulk enrollments start their executions here, as the enroller does.
let enroller: Promise<Applier> | undefined;
const enroll: Applier = async (job) => {
  enroller ??= Promise.all([import('#bulk/engine.js'), import('#automation/sfn-engine.js')]).then(
    ([{ enrollApplier }, { sfnEngine }]) =>
      enrollApplier(deps, sfnEngine({ stepFunctionArn: requireEnv('STEP_FUNCTION_ARN') })),
  );
  return (await enroller)(job);
};

export const handler = lambdaHandler('job-chunks', async (event: SQSEvent, context) => {
  const appliers: Appliers = {
    enroll,
    // At the campaigns' rate, inside the rate of all email; each send counted in this invocation's metrics.
    async sendCampaign(job) {
      const [{ campaignApplier }, { campaignEmail, countedMailer, emailContext }, { rateLimitedMailer }] =
        await Promise.all([
          import('#campaigns/send.js'),
          import('#app/email-context.js'),
          import('#messaging/mailer.js'),
        ]);
      const mailer = rateLimitedMailer(countedMailer(context.metrics, 'campaign'), campaignEmail);
      return campaignApplier(deps, { ...emailContext, mailer })(job);
    },
  };
  const record = async (r: SQSRecord) => {
    const body = JSON.parse(r.body) as { kind?: string };
    if (body.kind === 'bulk') {
      const [{ processBulkChunk }, { BulkChunkMessageSchema }] = await bulkEngine();
      const message = BulkChunkMessageSchema.parse(body);
      const counts = await processBulkChunk(deps, appliers, message, park);
      logger.info('bulk chunk', { jobId: message.jobId, chunk: message.chunk, counts });
      return;
    }
    const [{ processChunk }, { ChunkMessageSchema }] = await importChunks();
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
