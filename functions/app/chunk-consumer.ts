/**
 * What the chunk queues' consumers share (job-chunks, campaign-chunks): one chunk per message; a
 * chunk that throws is reported as a batch item failure (Powertools Batch), so SQS delivers it again
 * after the visibility timeout, and after the queue's maximum receives moves it to its dead-letter
 * queue — logged with why, so nothing fails silently.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaHandler } from '#platform/lambda.js';
import { logger, type ObservedContext } from '#platform/logger.js';
import type { FunctionName } from '#platform/manifest.js';

export function chunkConsumer(
  name: FunctionName,
  record: (body: { kind?: string }, context: ObservedContext) => Promise<void>,
) {
  return lambdaHandler(name, async (event: SQSEvent, context) => {
    const logged = async (r: SQSRecord) => {
      try {
        await record(JSON.parse(r.body) as { kind?: string }, context);
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
}
