/**
 * DynamoDB Local runs every write behind one lock and, under load, gives up waiting for it with a
 * 500 that says the request "will succeed in actual DynamoDB". Nothing was written then, so the
 * request is sent again after a growing pause, like the SDK's own retries but for longer. Real
 * DynamoDB never answers this, so in the cloud this middleware only passes requests through.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const LOCK_RETRIES = 10;
const NAME = 'tendrilLocalLockRetry';

export const isLocalLockTimeout = (err: unknown) =>
  (err as Error | undefined)?.name === 'InternalServerError' &&
  /waiting for a lock/.test((err as Error).message);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds the retry to the client once (the stack is the underlying client's, shared by its tables). */
export function retryLocalLockTimeouts(db: DynamoDBDocumentClient): void {
  db.middlewareStack.add(
    (next) => async (args) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(args);
        } catch (err) {
          if (!isLocalLockTimeout(err) || attempt >= LOCK_RETRIES) throw err;
          await pause(Math.random() * 25 * 2 ** Math.min(attempt, 6));
        }
      }
    },
    { step: 'initialize', name: NAME, override: true },
  );
}
