/**
 * Local Step Functions: an HTTP endpoint speaking the parts of the Step Functions API Tendril uses
 * (AWS JSON 1.0: CreateStateMachine, UpdateStateMachine, StartExecution, DescribeExecution,
 * StopExecution, GetExecutionHistory, SendTaskSuccess/Failure for callback Tasks:
 * step-functions-callbacks.ts), running executions of the same compiled ASL with
 * aws-local-stepfunctions. Task states whose Resource is a registered Lambda ARN call that handler
 * in-process. `timeScale` shortens waits (86400 = a day per second); retry pauses stay as written,
 * as in the cloud (they must outlast a send claim's lease, which is real time).
 *
 * With a `file`, state machines and executions survive a restart like they do in AWS: every
 * execution records the top-level state it last entered (its input and when), and `resume()` starts
 * each execution that was running from that state — a Wait only for the time it had left, a Task
 * again (the step Lambda is idempotent). GetExecutionHistory then starts at the resumed state.
 */
import './polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { AwsApiError as ApiError, serveAwsJson } from './aws-json-api.js';
import { JsonFile } from './json-file.js';
import { LocalTaskTokens, TOKEN_PLACEHOLDER } from './step-functions-callbacks.js';
import {
  type Asl,
  type Execution,
  type Json,
  type LocalLambda,
  type StoredMachine,
  type StoredState,
  waitDurationMs,
} from './step-functions-state.js';

export type { LocalLambda } from './step-functions-state.js';

export class LocalStepFunctions {
  private readonly machines = new Map<string, StoredMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly lambdas = new Map<string, LocalLambda>();
  private readonly store: JsonFile<StoredState>;
  /** Runs in progress (an execution suspended at shutdown stays RUNNING without one). */
  private readonly running = new Set<Promise<void>>();
  /** The task tokens callback Tasks wait on (SendTaskSuccess answers them). */
  private readonly tokens = new LocalTaskTokens();

  constructor(
    private readonly options: {
      region: string;
      account: string;
      timeScale: number;
      /** Where state machines and executions are kept; in memory only when absent. */
      file?: string | undefined;
      onError?: (msg: string) => void;
      /** Receives each execution's terminal status (the "Step Functions Execution Status Change" detail). */
      onStatusChange?: (detail: Record<string, unknown>) => Promise<void>;
      now?: () => number;
    },
  ) {
    this.store = new JsonFile(options.file);
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Loads the stored state machines and resumes the executions that were running.
   * Call after registering the Lambdas their Task states use.
   */
  async resume(): Promise<void> {
    const stored = await this.store.read();
    if (!stored) return;
    for (const [arn, machine] of Object.entries(stored.machines)) this.machines.set(arn, machine);
    for (const e of stored.executions) {
      const execution: Execution = { ...e, events: [], done: Promise.resolve() };
      this.executions.set(e.executionArn, execution);
      this.launch(execution);
    }
  }

  /** Stops every running execution so that the next `resume()` continues it (shutdown). */
  async suspend(): Promise<void> {
    for (const e of this.executions.values()) if (e.status === 'RUNNING') e.abort?.();
    await this.idle();
    await this.persist();
  }

  /** Keeps the machines and the running executions (finished ones are of no use after a restart). */
  private persist(): Promise<void> {
    const executions = [...this.executions.values()]
      .filter((e) => e.status === 'RUNNING')
      .map(({ events, abort, done, asl, ...stored }) => stored);
    return this.store.write({ machines: Object.fromEntries(this.machines), executions });
  }

  registerLambda(arn: string, handler: LocalLambda): void {
    this.lambdas.set(arn, handler);
  }

  /** Every execution, for tests and the event log. */
  listExecutions(): Execution[] {
    return [...this.executions.values()];
  }

  /** Resolves when no execution is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private arn(kind: string, ...parts: string[]) {
    return `arn:aws:states:${this.options.region}:${this.options.account}:${kind}:${parts.join(':')}`;
  }

  /**
   * One API call, as the HTTP endpoint serves it (tests call it directly). A change is on disk
   * before the call answers: a started execution survives a kill -9 the moment StartExecution returns.
   */
  async call(target: string, body: Record<string, unknown>): Promise<unknown> {
    switch (target) {
      case 'CreateStateMachine': {
        const name = String(body.name);
        const arn = this.arn('stateMachine', name);
        if (this.machines.has(arn))
          throw new ApiError('StateMachineAlreadyExists', `state machine ${name} exists`);
        this.validate(String(body.definition));
        this.machines.set(arn, {
          definition: String(body.definition),
          roleArn: String(body.roleArn),
          versions: [],
        });
        const version = body.publish ? this.publish(arn) : undefined;
        await this.persist();
        return {
          stateMachineArn: arn,
          creationDate: Date.now() / 1000,
          ...(version ? { stateMachineVersionArn: version } : {}),
        };
      }
      case 'UpdateStateMachine': {
        const arn = String(body.stateMachineArn);
        const machine = this.machines.get(arn);
        if (!machine) throw new ApiError('StateMachineDoesNotExist', `no state machine ${arn}`);
        if (body.definition) {
          this.validate(String(body.definition));
          machine.definition = String(body.definition);
        }
        const version = body.publish ? this.publish(arn) : undefined;
        await this.persist();
        return { updateDate: Date.now() / 1000, ...(version ? { stateMachineVersionArn: version } : {}) };
      }
      case 'StartExecution':
        return this.start(String(body.stateMachineArn), String(body.name), String(body.input ?? '{}'));
      case 'DescribeExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new ApiError('ExecutionDoesNotExist', `no execution ${body.executionArn}`);
        const { abort, done, events, checkpoint, asl, ...rest } = e;
        return rest;
      }
      case 'StopExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new ApiError('ExecutionDoesNotExist', `no execution ${body.executionArn}`);
        if (e.status === 'RUNNING') {
          e.status = 'ABORTED'; // decided now: a shutdown right after this must not resume it
          e.abort?.();
          e.stopDate = this.now() / 1000;
          await this.announce(e);
          await this.persist();
        }
        return { stopDate: Date.now() / 1000 };
      }
      case 'SendTaskSuccess':
      case 'SendTaskFailure':
        return this.tokens.answer(target, body);
      case 'GetExecutionHistory': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new ApiError('ExecutionDoesNotExist', `no execution ${body.executionArn}`);
        return { events: e.events };
      }
      default:
        throw new ApiError('UnknownOperationException', `unsupported operation ${target}`);
    }
  }

  private validate(definition: string) {
    try {
      new StateMachine(JSON.parse(definition), { validationOptions: { checkArn: false } });
    } catch (err) {
      throw new ApiError('InvalidDefinition', (err as Error).message);
    }
  }

  private publish(stateMachineArn: string): string {
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new ApiError('StateMachineDoesNotExist', stateMachineArn);
    machine.versions.push(machine.definition);
    return `${stateMachineArn}:${machine.versions.length}`;
  }

  private definitionOf(arn: string): { smName: string; definition: string } {
    const m = /^(arn:aws:states:[^:]+:[^:]+:stateMachine:([^:]+))(?::(\d+))?$/.exec(arn);
    const machine = m?.[1] ? this.machines.get(m[1]) : undefined;
    if (!m?.[2] || !machine) throw new ApiError('StateMachineDoesNotExist', `no state machine ${arn}`);
    const definition = m[3] ? machine.versions[Number(m[3]) - 1] : machine.definition;
    if (!definition) throw new ApiError('StateMachineDoesNotExist', `no version ${arn}`);
    return { smName: m[2], definition };
  }

  private async start(stateMachineArn: string, name: string, input: string) {
    const { smName } = this.definitionOf(stateMachineArn);
    const executionArn = this.arn('execution', smName, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input !== input)
        throw new ApiError('ExecutionAlreadyExists', `execution ${name} exists with another input`);
      return { executionArn, startDate: existing.startDate };
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate: this.now() / 1000,
      events: [],
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    await this.persist();
    this.launch(execution);
    return { executionArn, startDate: execution.startDate };
  }

  /** Runs an execution from its start, or from its checkpoint when it is being resumed. */
  private launch(execution: Execution): void {
    const asl = JSON.parse(this.definitionOf(execution.stateMachineArn).definition) as Asl;
    execution.asl = asl;
    const scale = this.options.timeScale;
    const taskResourceLocalHandlers: Record<string, (i: Json) => Promise<Json>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const from = execution.checkpoint;
    for (const [stateName, state] of Object.entries(asl.States)) {
      const callbackFunction = LocalTaskTokens.functionOf(state);
      if (state.Type === 'Task' && callbackFunction) {
        const lambda = this.lambdas.get(callbackFunction);
        if (!lambda) throw new ApiError('InvalidDefinition', `no local function for ${callbackFunction}`);
        // A resumed Task waits only for what it had left of its timeout.
        const elapsedMs = from?.state === stateName ? this.now() - from.enteredAt : undefined;
        taskResourceLocalHandlers[stateName] = this.tokens.handler(execution.executionArn, lambda, state, {
          scale,
          elapsedMs,
        });
      } else if (state.Type === 'Task' && state.Resource) {
        const lambda = this.lambdas.get(state.Resource);
        if (!lambda) throw new ApiError('InvalidDefinition', `no local function for ${state.Resource}`);
        taskResourceLocalHandlers[stateName] = async (taskInput) => {
          const out = (await lambda(taskInput)) as Json;
          // Computed waits (`seconds` from a schedule step) are scaled like fixed ones.
          if (
            scale !== 1 &&
            out &&
            typeof out === 'object' &&
            !Array.isArray(out) &&
            typeof out.seconds === 'number'
          ) {
            return { ...out, seconds: Math.round(out.seconds / scale) };
          }
          return out;
        };
      }
      if (state.Type === 'Wait' && typeof state.Seconds === 'number' && scale !== 1) {
        waitTimeOverrides[stateName] = waitDurationMs(state, null, scale) ?? 0;
      }
    }
    if (from) {
      asl.StartAt = from.state;
      const state = asl.States[from.state];
      const waitMs = state?.Type === 'Wait' ? waitDurationMs(state, from.input, scale) : undefined;
      if (waitMs !== undefined)
        waitTimeOverrides[from.state] = Math.max(0, waitMs - (this.now() - from.enteredAt));
    }
    // Validated when it was created; a resumed copy only starts elsewhere (earlier states unreachable).
    const machine = new StateMachine(asl as never, {
      validationOptions: from ? { noValidate: true } : { checkArn: false },
    });
    const run = machine.run((from ? from.input : JSON.parse(execution.input)) as never, {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides },
      noThrowOnAbort: true,
      context: {
        Task: { Token: TOKEN_PLACEHOLDER },
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          Input: JSON.parse(execution.input),
          StartTime: new Date(execution.startDate * 1000).toISOString(),
        },
      } as never,
    });
    execution.abort = () => {
      run.abort();
      this.tokens.abandon(execution.executionArn);
    };
    const collect = (async () => {
      for await (const event of run.eventLogs) {
        execution.events.push(event);
        // Top-level states only (no Map/Parallel in compiled workflows): where to resume from.
        if (event.type === 'StateEntered' && !('index' in event && event.index !== undefined)) {
          // A resumed state keeps the time it was first entered (its Wait ends when it always would).
          const resumed = from && execution.checkpoint === from && event.state.name === from.state;
          execution.checkpoint = {
            state: event.state.name,
            input: event.state.input,
            enteredAt: resumed ? from.enteredAt : event.timestamp,
          };
          void this.persist();
        }
      }
    })().catch(() => {});
    execution.done = run.result
      .then(
        (output: unknown) => {
          // Aborted by StopExecution (already ABORTED) or by a shutdown (stays RUNNING, resumed next start).
          if (output === null) return true;
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(output);
          return false;
        },
        (err: Error & { cause?: unknown }) => {
          execution.status = 'FAILED';
          execution.error = err.name;
          execution.cause = err.message;
          this.options.onError?.(`execution ${execution.name} failed: ${err.name}: ${err.message}`);
          return false;
        },
      )
      .then(async (aborted) => {
        // A finished run ends its event log; an aborted one may not, and needs nothing more from it.
        if (!aborted) await collect;
        if (execution.status !== 'RUNNING') {
          execution.stopDate = this.now() / 1000;
          // Announced before it is stored: a crash in between repeats the last state and the
          // announcement (at least once, as EventBridge delivers), never loses it. (StopExecution
          // announced its own.)
          if (!aborted) await this.announce(execution);
          delete execution.checkpoint;
        }
        await this.persist();
      })
      .finally(() => this.running.delete(execution.done));
    this.running.add(execution.done);
  }

  /** Publishes a terminal status as Step Functions does to EventBridge ("Execution Status Change"). */
  private async announce(e: Execution): Promise<void> {
    if (!this.options.onStatusChange) return;
    try {
      await this.options.onStatusChange({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: Math.round(e.startDate * 1000),
        stopDate: e.stopDate === undefined ? null : Math.round(e.stopDate * 1000),
        input: e.input,
        output: e.output ?? null,
        ...(e.error ? { error: e.error, cause: e.cause ?? null } : {}),
      });
    } catch (err) {
      this.options.onError?.(`status change of ${e.name} not published: ${String(err)}`);
    }
  }

  /** Serves the API on `host`; returns the endpoint URL. */
  listen(host = '127.0.0.1') {
    return serveAwsJson({
      targetPrefix: 'AWSStepFunctions.',
      contentType: 'application/x-amz-json-1.0',
      host,
      call: (operation, body) => this.call(operation, body),
    });
  }

  /**
   * Whether any execution has work to do within `horizonMs`: it is in a Task or Choice state, or in
   * a Wait that ends by then (local/main.ts waits until nothing has, for tests' "nothing happened").
   */
  busy(horizonMs: number): boolean {
    const now = this.now();
    for (const e of this.executions.values()) {
      if (e.status !== 'RUNNING' || !e.abort) continue;
      const at = e.checkpoint;
      const state = at ? e.asl?.States[at.state] : undefined;
      // A callback Task waits for its token as a Wait does (at most its timeout).
      const callback = state && LocalTaskTokens.functionOf(state) !== undefined;
      if (!at || !state || (state.Type !== 'Wait' && !callback)) return true;
      const waitMs = callback
        ? ((state.TimeoutSeconds ?? 0) * 1000) / this.options.timeScale
        : (waitDurationMs(state, at.input, this.options.timeScale) ?? 0);
      if (at.enteredAt + waitMs <= now + horizonMs) return true;
    }
    return false;
  }
}
