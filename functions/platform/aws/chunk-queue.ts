/** The chunk queue whose SQS client (functions/platform/aws/sdk-sqs.ts) loads on first use. */
import { lazily } from '../lazy.js';
import type { sqsChunkQueue as load } from './sdk-sqs.js';

export const sqsChunkQueue = (queueUrl: string): ReturnType<typeof load> =>
  lazily(() => import('./sdk-sqs.js').then((m) => m.sqsChunkQueue(queueUrl)));
