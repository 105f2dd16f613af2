/**
 * Callback Tasks (`arn:aws:states:::lambda:invoke.waitForTaskToken`) for the local Step Functions.
 * aws-local-stepfunctions has neither the integration nor `$$.Task.Token`, so the Task runs through
 * its per-state override: the override makes a token, invokes the Lambda with the Task's `Payload`
 * (its `$$.Task.Token` placeholder replaced by the token), then waits until SendTaskSuccess or
 * SendTaskFailure answers the token, or until the Task's TimeoutSeconds (scaled) have passed:
 * then it fails with `States.Timeout`, as Step Functions does. Tokens live in memory: after a
 * restart the resumed Task runs again with a new token, and an old one is answered `TaskTimedOut`.
 */
import { randomUUID } from 'node:crypto';
import { AwsApiError } from './aws-json-api.js';
import type { AslState, Json, LocalLambda } from './step-functions-state.js';

export const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** What `$$.Task.Token` reads in the emulator's context; each Task replaces it with its own token. */
export const TOKEN_PLACEHOLDER = 'local-task-token';
/** The longest a timer may be set for at once (setTimeout's limit); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The emulator's own Task timeout is capped below setTimeout's limit: the override keeps the real one. */
const EMULATOR_TIMEOUT_SECONDS = 2_000_000;

interface Pending {
  executionArn: string;
  resolve: (output: Json) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

/** Replaces the token placeholder wherever the Task's parameters put it. */
function withToken(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => withToken(v, token));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, token)]));
  return value;
}

export class LocalTaskTokens {
  private readonly pending = new Map<string, Pending>();

  /** The Lambda a callback state invokes (its `FunctionName`), or undefined for another Task. */
  static functionOf(state: AslState): string | undefined {
    return state.Resource === CALLBACK_RESOURCE ? String(state.Parameters?.FunctionName) : undefined;
  }

  /**
   * The override of a callback state. Its timeout is the override's, scaled (`elapsedMs`: a resumed
   * Task only waits for what it had left, on its first attempt); the emulator's own is capped below
   * setTimeout's limit (it mutates the parsed state's TimeoutSeconds).
   */
  handler(
    executionArn: string,
    lambda: LocalLambda,
    state: AslState,
    { scale, elapsedMs }: { scale: number; elapsedMs: number | undefined },
  ): (taskInput: Json) => Promise<Json> {
    const timeoutMs = ((state.TimeoutSeconds ?? EMULATOR_TIMEOUT_SECONDS) * 1000) / scale;
    let left = elapsedMs === undefined ? undefined : Math.max(0, timeoutMs - elapsedMs);
    state.TimeoutSeconds = Math.min(
      state.TimeoutSeconds ?? EMULATOR_TIMEOUT_SECONDS,
      EMULATOR_TIMEOUT_SECONDS,
    );
    return (taskInput) => {
      const ms = left ?? timeoutMs;
      left = undefined;
      return this.run(executionArn, lambda, taskInput, ms);
    };
  }

  /** Runs one attempt of a callback Task: the Lambda, then the wait for its token (at most `timeoutMs`). */
  async run(executionArn: string, lambda: LocalLambda, taskInput: Json, timeoutMs: number): Promise<Json> {
    const token = `${randomUUID()}.${Buffer.from(executionArn).toString('base64url')}`;
    const answered = new Promise<Json>((resolve, reject) => {
      this.pending.set(token, { executionArn, resolve, reject });
    });
    try {
      const input = taskInput && typeof taskInput === 'object' && !Array.isArray(taskInput) ? taskInput : {};
      // A failed invocation fails the attempt (the state's Retry and Catch apply), as in the cloud.
      await lambda(withToken(input.Payload ?? {}, token));
      const entry = this.pending.get(token);
      if (entry) this.arm(entry, timeoutMs);
      return await answered;
    } finally {
      const entry = this.pending.get(token);
      if (entry?.timer) clearTimeout(entry.timer);
      this.pending.delete(token);
    }
  }

  /** The timeout, in steps no longer than a timer can wait. */
  private arm(entry: Pending, remainingMs: number) {
    const step = Math.min(Math.max(0, remainingMs), MAX_TIMER_MS);
    entry.timer = setTimeout(() => {
      if (remainingMs > MAX_TIMER_MS) this.arm(entry, remainingMs - MAX_TIMER_MS);
      else entry.reject(named('States.Timeout', 'the task timed out waiting for its token'));
    }, step);
  }

  /** SendTaskSuccess and SendTaskFailure. */
  answer(
    target: 'SendTaskSuccess' | 'SendTaskFailure',
    body: Record<string, unknown>,
  ): Record<string, never> {
    const token = String(body.taskToken ?? '');
    if (!token) throw new AwsApiError('InvalidToken', 'taskToken is required');
    const entry = this.pending.get(token);
    if (!entry) throw new AwsApiError('TaskTimedOut', 'Task Timed Out: the token is no longer waited on');
    this.pending.delete(token);
    if (entry.timer) clearTimeout(entry.timer);
    if (target === 'SendTaskSuccess') {
      let output: Json;
      try {
        output = JSON.parse(String(body.output ?? '')) as Json;
      } catch {
        throw new AwsApiError('InvalidOutput', 'output is not JSON');
      }
      entry.resolve(output);
    } else {
      entry.reject(named(String(body.error ?? 'States.TaskFailed'), String(body.cause ?? '')));
    }
    return {};
  }

  /** Forgets the tokens of an execution stopped or suspended (their timers no longer run). */
  abandon(executionArn: string): void {
    for (const [token, entry] of this.pending) {
      if (entry.executionArn !== executionArn) continue;
      if (entry.timer) clearTimeout(entry.timer);
      this.pending.delete(token);
    }
  }
}
