/** The chunk queue over SQS: SendMessageBatch in tens (with a delay, if asked), failed entries sent again with a backoff. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

/** Any chunk message: an import's rows or a bulk action's contacts (each has its `chunk` number). */
export function sqsChunkQueue(queueUrl: string): {
  send(messages: Array<{ chunk: number }>, options?: { delaySeconds?: number }): Promise<void>;
} {
  const sqs = new SQSClient({});
  return {
    async send(messages, options = {}) {
      for (let i = 0; i < messages.length; i += 10) {
        let entries = messages.slice(i, i + 10).map((m) => ({
          Id: `c${m.chunk}`,
          MessageBody: JSON.stringify(m),
          ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
        }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          if (attempt >= 8) throw new Error(`the chunk queue refused ${entries.length} messages`);
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
          const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          entries = entries.filter((e) => failed.has(e.Id));
        }
      }
    },
  };
}
