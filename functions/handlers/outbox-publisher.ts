/**
 * Publishes outbox items to the event bus. Triggered by the table's stream (filtered to inserted
 * OUTBOX# items); failed entries are reported so only they are retried. Consumers dedupe on
 * detail.eventId, so a redelivery is harmless.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requireEnv } from '#platform/config.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const busName = requireEnv('EVENT_BUS_NAME');
const eventBridge = new EventBridgeClient({});
const BATCH = 10;

export const handler = lambdaHandler(
  'outbox-publisher',
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const entries: Array<{ seq: string; entry: PutEventsRequestEntry }> = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      const seq = record.dynamodb?.SequenceNumber ?? '';
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
      const parsed = parseEvent(String(item.detailType), JSON.parse(String(item.detail)));
      entries.push({
        seq,
        entry: {
          EventBusName: busName,
          Source: parsed.source,
          DetailType: parsed.detailType,
          Detail: JSON.stringify(parsed.detail),
          Time: new Date(parsed.detail.occurredAt),
        },
      });
    }
    const failed: number[] = [];
    for (let i = 0; i < entries.length; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      try {
        const out = await eventBridge.send(new PutEventsCommand({ Entries: batch.map((b) => b.entry) }));
        out.Entries?.forEach((result, j) => {
          const item = batch[j];
          if (result.ErrorCode && item) failed.push(i + j);
        });
      } catch (err) {
        logger.error('PutEvents failed', { error: err as Error });
        failed.push(...batch.map((_, j) => i + j));
      }
    }
    if (failed.length > 0) logger.warn('events not published; will retry', { count: failed.length });
    // Stream batches are ordered: report the first failure so it and everything after it is retried.
    const first = failed.length > 0 ? entries[Math.min(...failed)] : undefined;
    return { batchItemFailures: first ? [{ itemIdentifier: first.seq }] : [] };
  },
);
