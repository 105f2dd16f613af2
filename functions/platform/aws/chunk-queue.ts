/** The chunk queue whose SQS client (functions/platform/aws/sdk-sqs.ts) loads on first use. */
import { lazily } from '../lazy.js';
import type { sqsChunkQueue as load, sqsQueue as loadQueue } from './sdk-sqs.js';

export const sqsChunkQueue = (queueUrl: string): ReturnType<typeof load> =>
  lazily(() => import('./sdk-sqs.js').then((m) => m.sqsChunkQueue(queueUrl)));

/** A queue of JSON messages (the webhook queue), its SQS client loaded on first use. */
export const sqsQueue = (queueUrl: string): ReturnType<typeof loadQueue> =>
  lazily(() => import('./sdk-sqs.js').then((m) => m.sqsQueue(queueUrl)));
