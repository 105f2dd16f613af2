/**
 * SQS consumer of the campaign queue: one chunk of a campaign's recipients per message, sent at the
 * campaigns' rate (functions/app/chunk-consumer.ts: failures reported per item, delivered again, then
 * dead-lettered). Campaigns have a queue of their own so that a campaign never waits behind the
 * chunks of a large import. A paused campaign's chunk goes back on this queue with a delay.
 */
import { chunkConsumer } from '#app/chunk-consumer.js';
import { campaignEmail, countedMailer, emailContext } from '#app/email-context.js';
import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { processBulkChunk } from '#bulk/engine.js';
import { BulkChunkMessageSchema } from '#bulk/model.js';
import { campaignApplier } from '#campaigns/send.js';
import { campaignsStore } from '#campaigns/store-dynamo.js';
import { rateLimitedMailer } from '#messaging/mailer.js';
import { sqsChunkQueue } from '#platform/aws/chunk-queue.js';
import { requireEnv } from '#platform/config.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(campaignsStore);
const park = sqsChunkQueue(requireEnv('CAMPAIGN_QUEUE_URL'));

export const handler = chunkConsumer('campaign-chunks', async (body, context) => {
  const message = BulkChunkMessageSchema.parse(body);
  // At the campaigns' rate, inside the rate of all email; each send counted in this invocation's metrics.
  const mailer = rateLimitedMailer(countedMailer(context.metrics, 'campaign'), campaignEmail);
  const sendCampaign = campaignApplier(deps, { ...emailContext, mailer }, { scheduler });
  const counts = await processBulkChunk(deps, { sendCampaign }, message, park);
  logger.info('campaign chunk', { jobId: message.jobId, chunk: message.chunk, counts });
});
