/**
 * Local Lambda asynchronous invocation, as EventBridge rules and Scheduler use it in the cloud: the
 * invocation is stored before it is accepted (a kill -9 loses nothing: it runs after the restart),
 * a function error is retried twice (Lambda's default, after 1 and 2 minutes, time-scaled here like
 * every local wait), and then the invocation goes to the function's on-failure destination — here a
 * dead-letter file, listed at /_local/dead-letters and counted, as an SQS destination would be.
 */
import { randomUUID } from 'node:crypto';
import { JsonFile } from './json-file.js';

export type AsyncTarget = (payload: unknown) => Promise<unknown>;

export interface Invocation {
  id: string;
  /** The function invoked. */
  fn: string;
  /** What invoked it: a rule or a schedule. */
  source: string;
  payload: unknown;
  /** Attempts made so far. */
  attempts: number;
  /** Not before this time (a retry's backoff). */
  notBefore: number;
  enqueuedAt: number;
  lastError?: string;
}

/** Lambda's asynchronous retries: two, after about one and two minutes. */
export const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000] as const;

export class AsyncInvoker {
  private readonly queue = new Map<string, Invocation>();
  private readonly dead: Invocation[] = [];
  private readonly targets = new Map<string, AsyncTarget>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private readonly store: JsonFile<{ queue: Invocation[]; dead: Invocation[] }>;
  private stopped = false;
  /** Nothing runs before start(): the emulators the functions call must be up first. */
  private started = false;

  constructor(
    private readonly options: {
      file?: string | undefined;
      timeScale: number;
      onError?: (message: string) => void;
      now?: () => number;
    },
  ) {
    this.store = new JsonFile(options.file);
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  register(fn: string, target: AsyncTarget): void {
    this.targets.set(fn, target);
  }

  /** Loads what was accepted but not yet done before a stop (or a crash), and runs it. */
  async start(): Promise<void> {
    const saved = await this.store.read();
    for (const inv of saved?.queue ?? []) if (!this.queue.has(inv.id)) this.queue.set(inv.id, inv);
    this.dead.push(...(saved?.dead ?? []));
    this.started = true;
    for (const inv of this.queue.values()) this.arm(inv);
  }

  /** Accepts an invocation: stored first, then run. Resolves once it is stored (as Lambda's 202). */
  async invoke(fn: string, source: string, payload: unknown): Promise<void> {
    if (!this.targets.has(fn)) throw new Error(`no local function ${fn}`);
    const now = this.now();
    const inv: Invocation = {
      id: randomUUID(),
      fn,
      source,
      payload,
      attempts: 0,
      notBefore: now,
      enqueuedAt: now,
    };
    this.queue.set(inv.id, inv);
    await this.persist();
    this.arm(inv);
  }

  /** Invocations that failed every attempt (the on-failure destination), oldest first. */
  deadLetters(): readonly Invocation[] {
    return this.dead;
  }

  /** Whether an invocation runs now or is due within `horizonMs`. */
  busy(horizonMs: number): boolean {
    if (this.running.size > 0) return true;
    const by = this.now() + horizonMs;
    return [...this.queue.values()].some((inv) => inv.notBefore <= by);
  }

  /** Resolves when the invocations running now have finished. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.drain();
    await this.store.flushed();
  }

  private persist(): Promise<void> {
    return this.store.write({ queue: [...this.queue.values()], dead: this.dead });
  }

  private arm(inv: Invocation): void {
    if (this.stopped || !this.started) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(inv.id);
        const run = this.run(inv).finally(() => this.running.delete(run));
        this.running.add(run);
      },
      Math.max(0, inv.notBefore - this.now()),
    );
    timer.unref?.();
    this.timers.set(inv.id, timer);
  }

  private async run(inv: Invocation): Promise<void> {
    if (this.stopped || !this.queue.has(inv.id)) return;
    const target = this.targets.get(inv.fn);
    inv.attempts++;
    try {
      if (!target) throw new Error(`no local function ${inv.fn}`);
      await target(inv.payload);
      this.queue.delete(inv.id);
    } catch (err) {
      if (this.stopped) return;
      inv.lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const delay = ASYNC_RETRY_DELAYS_MS[inv.attempts - 1];
      if (delay !== undefined) {
        // Time-scaled like every local wait, but never below a second: a retry is for a condition
        // that takes a moment to pass.
        inv.notBefore = this.now() + Math.max(1_000, delay / this.options.timeScale);
        this.options.onError?.(
          `${inv.fn} (${inv.source}) failed, attempt ${inv.attempts}; retrying: ${inv.lastError}`,
        );
        await this.persist();
        this.arm(inv);
        return;
      }
      this.queue.delete(inv.id);
      this.dead.push(inv);
      this.options.onError?.(
        `${inv.fn} (${inv.source}) failed ${inv.attempts} times; sent to its dead letters: ${inv.lastError}`,
      );
    }
    await this.persist();
  }
}
