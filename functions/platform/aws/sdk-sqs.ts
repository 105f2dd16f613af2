/** Queues over SQS (the chunk queues, the webhook queue): SendMessageBatch in tens (with a delay, if asked), failed entries sent again with a backoff. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

/** Any chunk message: an import's rows or a bulk action's contacts (each has its `chunk` number). */
export function sqsChunkQueue(queueUrl: string): {
  send(messages: Array<{ chunk: number }>, options?: { delaySeconds?: number }): Promise<void>;
} {
  const queue = sqsQueue(queueUrl);
  return { send: (messages, options) => queue.send(messages, options, (m) => `c${m.chunk}`) };
}

/** Messages (JSON bodies) to one queue, ten at a time; entries refused are sent again with a backoff. */
export function sqsQueue(queueUrl: string) {
  const sqs = new SQSClient({});
  return {
    async send<M extends object>(
      messages: M[],
      options: { delaySeconds?: number } = {},
      idOf: (message: M, index: number) => string = (_m, i) => `m${i}`,
    ): Promise<void> {
      for (let i = 0; i < messages.length; i += 10) {
        let entries = messages.slice(i, i + 10).map((m, j) => ({
          Id: idOf(m, i + j),
          MessageBody: JSON.stringify(m),
          ...(options.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
        }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          if (attempt >= 8) throw new Error(`the queue refused ${entries.length} messages`);
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
          const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          entries = entries.filter((e) => failed.has(e.Id));
        }
      }
    },
  };
}
