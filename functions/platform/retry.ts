import { CommitConflict } from './store.js';

/**
 * Runs an optimistic read-decide-commit loop. `attempt` returns a value or throws; a CommitConflict
 * that `retryable` accepts reruns it (after a short, jittered pause) up to `attempts` times, then
 * the conflict is thrown to the caller.
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
      if (!(err instanceof CommitConflict) || !retryable(err) || i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** i)));
    }
  }
}
