/**
 * The deadline of the request being served: set by the handler wrappers from Lambda's remaining time
 * (and API Gateway's 30 s limit), read by the unit of work before it writes. A request that runs out
 * of time gives up *before* committing and answers busy (503, Retry-After) — it never answers a
 * failure and then writes. Outside a request (tests, scripts) there is no deadline.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { busy } from './errors.js';

/** Default Lambda timeout of Tendril's functions (the CDK construct's default; the manifest may raise it). */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** API Gateway answers 503 after 30 s; a request must have answered before. */
export const GATEWAY_LIMIT_MS = 29_000;
/** What a commit may take, at worst, once started (a transaction and its bounded contention retries). */
export const COMMIT_BUDGET_MS = 1_500;

const scope = new AsyncLocalStorage<{ deadline: number }>();

/** Runs `work` with a deadline `budgetMs` from now. */
export function withDeadline<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  return scope.run({ deadline: Date.now() + budgetMs }, work);
}

/** Milliseconds left before the current request's deadline (Infinity outside a request). */
export function timeLeft(): number {
  const current = scope.getStore();
  return current ? current.deadline - Date.now() : Number.POSITIVE_INFINITY;
}

/** Throws busy (nothing written yet) unless `needMs` remain before the deadline. */
export function ensureTimeFor(needMs: number = COMMIT_BUDGET_MS): void {
  if (timeLeft() < needMs) throw busy('the request ran out of time before anything was written; retry', 2);
}

/**
 * Runs `work` without the request's deadline: for the write that records what already happened
 * outside (an email the provider accepted) — skipping it would lose that fact, not avoid a write.
 */
export function recordingOutcome<T>(work: () => Promise<T>): Promise<T> {
  return scope.run({ deadline: Number.POSITIVE_INFINITY }, work);
}

/**
 * middy's own early timeout answers an error while the handler keeps running (and may still
 * write): it is off; handlers give up at their deadline instead, before writing.
 */
export const MIDDY_OPTIONS = { timeoutEarlyInMillis: 0 } as const;
