/** What imports need besides the table and the files port: the chunk queue (SQS in the cloud). */
import type { ChunkMessage } from './model.js';

export interface ChunkQueue {
  /** Queues chunk messages (in batches the queue takes); resolves once every one is accepted. */
  send(messages: ChunkMessage[]): Promise<void>;
}

/** Where an import's file is kept in the bucket. */
export const importFileKey = (importId: string) => `imports/${importId}.csv`;
