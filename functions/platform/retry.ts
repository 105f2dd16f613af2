import { COMMIT_BUDGET_MS, timeLeft } from './deadline.js';
import { busy } from './errors.js';
import { CommitConflict } from './store.js';

/**
 * Runs an optimistic read-decide-commit loop. `attempt` returns a value or throws; a CommitConflict
 * that `retryable` accepts reruns it (after a short, jittered pause) up to `attempts` times, then
 * the conflict is thrown to the caller. When the request's deadline is near, it stops and answers
 * busy instead (nothing of the failed attempts was written).
 */
export async function withOptimisticRetry<T>(
  attempt: () => Promise<T>,
  retryable: (conflict: CommitConflict) => boolean,
  attempts = 25,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof CommitConflict) || !retryable(err)) throw err;
      if (i >= attempts || timeLeft() < 2 * COMMIT_BUDGET_MS) {
        throw busy('too many concurrent changes of the same record; retry shortly', 1);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** i)));
    }
  }
}
