/**
 * Local EventBridge Scheduler: an HTTP endpoint speaking the parts of the Scheduler API Tendril uses
 * (REST-JSON: CreateSchedule, GetSchedule, DeleteSchedule) for one-time `at()` schedules, firing
 * registered in-process Lambda targets. Schedules are stored in a JSON file, so they survive a
 * restart (a schedule whose time passed while stopped fires on start). `timeScale` brings fire
 * times and retry pauses closer (86400 = a day per second). Retries follow the schedule's
 * RetryPolicy; exhausted invocations go to a dead-letter file; `ActionAfterCompletion: DELETE`
 * removes a schedule once it ran.
 */
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonFile } from './json-file.js';

export type LocalTarget = (input: unknown) => Promise<unknown>;

interface StoredSchedule {
  name: string;
  groupName: string;
  expression: string;
  /** The `at()` time, as AWS would fire it. */
  at: number;
  /** When it fires here (time scale applied at creation). */
  fireAt: number;
  target: {
    arn: string;
    input: string;
    maxAttempts: number;
    deadLetterArn?: string;
  };
  deleteAfterCompletion: boolean;
  attempts: number;
  state: 'ENABLED' | 'COMPLETED';
  createdAt: number;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The closest two attempts of a schedule come, in real time (retries in the cloud are seconds apart). */
const MIN_RETRY_MS = 200;
const MAX_TIMER_MS = 2 ** 31 - 1;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

export class LocalScheduler {
  private readonly schedules = new Map<string, StoredSchedule>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly targets = new Map<string, LocalTarget>();
  private readonly running = new Set<Promise<void>>();
  private readonly store: JsonFile<StoredSchedule[]>;
  private stopped = false;

  constructor(
    private readonly options: {
      region: string;
      account: string;
      timeScale: number;
      /** Where schedules are kept; in memory only when absent. */
      file?: string | undefined;
      deadLetterFile?: string | undefined;
      onError?: (msg: string) => void;
      now?: () => number;
    },
  ) {
    this.store = new JsonFile(options.file);
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  registerTarget(arn: string, target: LocalTarget): void {
    this.targets.set(arn, target);
  }

  /** Loads stored schedules and arms their timers. */
  async start(): Promise<void> {
    for (const s of (await this.store.read()) ?? []) {
      this.schedules.set(this.key(s.groupName, s.name), s);
      if (s.state === 'ENABLED') this.arm(s);
    }
  }

  /** Stored schedules (tests, debugging). */
  list(): StoredSchedule[] {
    return [...this.schedules.values()];
  }

  private key(group: string, name: string) {
    return `${group}/${name}`;
  }

  private arn(group: string, name: string) {
    return `arn:aws:scheduler:${this.options.region}:${this.options.account}:schedule/${group}/${name}`;
  }

  private persist(): Promise<void> {
    return this.store.write([...this.schedules.values()]);
  }

  private arm(s: StoredSchedule, delayMs = Math.max(0, s.fireAt - this.now())) {
    if (this.stopped) return;
    clearTimeout(this.timers.get(this.key(s.groupName, s.name)));
    const timer = setTimeout(
      () => {
        // A far-off schedule waits in steps of the longest timer Node allows.
        if (s.fireAt > this.now() && delayMs > MAX_TIMER_MS) return this.arm(s);
        const run = this.fire(s).finally(() => this.running.delete(run));
        this.running.add(run);
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    timer.unref?.();
    this.timers.set(this.key(s.groupName, s.name), timer);
  }

  private async fire(s: StoredSchedule): Promise<void> {
    const key = this.key(s.groupName, s.name);
    if (this.schedules.get(key) !== s || this.stopped) return;
    const target = this.targets.get(s.target.arn);
    s.attempts++;
    try {
      if (!target) throw new Error(`no local target ${s.target.arn}`);
      await target(JSON.parse(s.target.input));
    } catch (err) {
      if (this.stopped) return;
      if (s.attempts <= s.target.maxAttempts) {
        // Scheduler backs off between retries; scaled like every other local wait, but never closer
        // than MIN_RETRY_MS of real time: what failed (a commit still landing, a throttle) takes
        // real time to change, which the scale does not compress.
        const backoff = Math.max(
          Math.min(60_000 * 2 ** (s.attempts - 1), 3600_000) / this.options.timeScale,
          MIN_RETRY_MS,
        );
        this.options.onError?.(`schedule ${s.name} failed (attempt ${s.attempts}), retrying: ${String(err)}`);
        await this.persist();
        this.arm(s, backoff);
        return;
      }
      this.options.onError?.(`schedule ${s.name} failed ${s.attempts} times; sent to the dead-letter queue`);
      if (this.options.deadLetterFile) {
        await appendFile(
          this.options.deadLetterFile,
          `${JSON.stringify({ schedule: this.arn(s.groupName, s.name), input: s.target.input, error: String(err), at: new Date(this.now()).toISOString() })}\n`,
        );
      }
    }
    this.timers.delete(key);
    if (s.deleteAfterCompletion) this.schedules.delete(key);
    else s.state = 'COMPLETED';
    await this.persist();
  }

  /** Whether an invocation is in flight, or a schedule fires within `horizonMs`. */
  busy(horizonMs: number): boolean {
    if (this.running.size > 0) return true;
    const by = this.now() + horizonMs;
    return [...this.schedules.values()].some((s) => s.state === 'ENABLED' && s.fireAt <= by);
  }

  /** Resolves when no invocation is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.idle();
    await this.store.flushed();
  }

  /** One API call (the HTTP endpoint's routing, also called directly by tests). */
  async call(method: string, name: string, query: URLSearchParams, body: Record<string, unknown>) {
    if (!NAME.test(name)) throw new ApiError(400, 'ValidationException', `invalid schedule name ${name}`);
    const group = String((method === 'POST' ? body.GroupName : query.get('groupName')) ?? 'default');
    const key = this.key(group, name);
    if (method === 'POST') {
      if (this.schedules.has(key))
        throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
      const expression = String(body.ScheduleExpression ?? '');
      const m = AT.exec(expression);
      if (!m)
        throw new ApiError(400, 'ValidationException', 'only one-time at() schedules are supported locally');
      const zone = body.ScheduleExpressionTimezone ?? 'UTC';
      if (zone !== 'UTC')
        throw new ApiError(400, 'ValidationException', 'only UTC schedules are supported locally');
      const target = (body.Target ?? {}) as {
        Arn?: string;
        Input?: string;
        RetryPolicy?: { MaximumRetryAttempts?: number };
        DeadLetterConfig?: { Arn?: string };
      };
      if (!target.Arn) throw new ApiError(400, 'ValidationException', 'Target.Arn is required');
      const at = Date.parse(`${m[1]}Z`);
      const now = this.now();
      const s: StoredSchedule = {
        name,
        groupName: group,
        expression,
        at,
        fireAt: now + Math.max(0, at - now) / this.options.timeScale,
        target: {
          arn: target.Arn,
          input: target.Input ?? '{}',
          maxAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? 185,
          ...(target.DeadLetterConfig?.Arn ? { deadLetterArn: target.DeadLetterConfig.Arn } : {}),
        },
        deleteAfterCompletion: body.ActionAfterCompletion === 'DELETE',
        attempts: 0,
        state: 'ENABLED',
        createdAt: now,
      };
      this.schedules.set(key, s);
      await this.persist();
      this.arm(s);
      return { ScheduleArn: this.arn(group, name) };
    }
    const s = this.schedules.get(key);
    if (!s) throw new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (method === 'DELETE') {
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      this.schedules.delete(key);
      await this.persist();
      return {};
    }
    if (method === 'GET') {
      return {
        Arn: this.arn(group, name),
        Name: name,
        GroupName: group,
        ScheduleExpression: s.expression,
        State: s.state === 'ENABLED' ? 'ENABLED' : 'DISABLED',
        Target: { Arn: s.target.arn, Input: s.target.input },
      };
    }
    throw new ApiError(405, 'ValidationException', `${method} is not supported`);
  }

  listen(host = '127.0.0.1'): Promise<{ url: string; server: Server }> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Message: String(err) }));
      });
    });
    return new Promise((resolve) => {
      server.listen(0, host, () => {
        const { port } = server.address() as AddressInfo;
        resolve({ url: `http://${host}:${port}`, server });
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      if (!m) throw new ApiError(404, 'ResourceNotFoundException', `no route ${url.pathname}`);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const out = await this.call(
        req.method ?? 'GET',
        decodeURIComponent(m[1] ?? ''),
        url.searchParams,
        body,
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      res.writeHead(err.status, { 'content-type': 'application/json', 'x-amzn-errortype': err.type });
      res.end(JSON.stringify({ Message: err.message }));
    }
  }
}
