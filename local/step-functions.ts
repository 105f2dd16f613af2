/**
 * Local Step Functions: an HTTP endpoint speaking the parts of the Step Functions API Tendril uses
 * (AWS JSON 1.0: CreateStateMachine, UpdateStateMachine, StartExecution, DescribeExecution,
 * StopExecution, GetExecutionHistory), running executions of the same compiled ASL with
 * aws-local-stepfunctions. Task states whose Resource is a registered Lambda ARN call that handler
 * in-process. `timeScale` shortens waits and retry pauses (86400 = a day per second).
 */
import './polyfills.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StateMachine } from 'aws-local-stepfunctions';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type AslState = {
  Type: string;
  Resource?: string;
  Seconds?: number;
  Retry?: unknown[];
  Parameters?: Record<string, unknown>;
};
type Asl = { States: Record<string, AslState> };
export type LocalLambda = (input: unknown) => Promise<unknown>;

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  events: unknown[];
  abort?: () => void;
  done: Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, { definition: string; roleArn: string; versions: string[] }>();
  private readonly executions = new Map<string, Execution>();
  private readonly lambdas = new Map<string, LocalLambda>();

  constructor(
    private readonly options: {
      region: string;
      account: string;
      timeScale: number;
      onError?: (msg: string) => void;
    },
  ) {}

  registerLambda(arn: string, handler: LocalLambda): void {
    this.lambdas.set(arn, handler);
  }

  /** Every execution, for tests and the event log. */
  listExecutions(): Execution[] {
    return [...this.executions.values()];
  }

  /** Resolves when no execution is running (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
      if (running.length === 0) return;
      await Promise.all(running.map((e) => e.done));
    }
  }

  stopAll(): void {
    for (const e of this.executions.values()) if (e.status === 'RUNNING') e.abort?.();
  }

  private arn(kind: string, ...parts: string[]) {
    return `arn:aws:states:${this.options.region}:${this.options.account}:${kind}:${parts.join(':')}`;
  }

  /** One API call, as the HTTP endpoint serves it (tests call it directly). */
  call(target: string, body: Record<string, unknown>): unknown {
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
        return { updateDate: Date.now() / 1000, ...(version ? { stateMachineVersionArn: version } : {}) };
      }
      case 'StartExecution':
        return this.start(String(body.stateMachineArn), String(body.name), String(body.input ?? '{}'));
      case 'DescribeExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new ApiError('ExecutionDoesNotExist', `no execution ${body.executionArn}`);
        const { abort, done, events, ...rest } = e;
        return rest;
      }
      case 'StopExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new ApiError('ExecutionDoesNotExist', `no execution ${body.executionArn}`);
        e.abort?.();
        return { stopDate: Date.now() / 1000 };
      }
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

  private start(stateMachineArn: string, name: string, input: string) {
    const { smName, definition } = this.definitionOf(stateMachineArn);
    const executionArn = this.arn('execution', smName, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input !== input)
        throw new ApiError('ExecutionAlreadyExists', `execution ${name} exists with another input`);
      return { executionArn, startDate: existing.startDate };
    }
    const asl = JSON.parse(definition) as Asl;
    const scale = this.options.timeScale;
    const taskResourceLocalHandlers: Record<string, (i: Json) => Promise<Json>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [stateName, state] of Object.entries(asl.States)) {
      if (state.Type === 'Task' && state.Resource) {
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
        if (scale !== 1 && state.Retry)
          retryIntervalOverrides[stateName] = Math.max(1, Math.round(2000 / scale));
      }
      if (state.Type === 'Wait' && typeof state.Seconds === 'number' && scale !== 1) {
        waitTimeOverrides[stateName] = Math.round((state.Seconds * 1000) / scale);
      }
    }
    const machine = new StateMachine(asl as never, { validationOptions: { checkArn: false } });
    const run = machine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: JSON.parse(input),
          StartTime: new Date().toISOString(),
        },
      } as never,
    });
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now() / 1000,
      events: [],
      abort: run.abort,
      done: Promise.resolve(),
    };
    const collect = (async () => {
      for await (const event of run.eventLogs) execution.events.push(event);
    })().catch(() => {});
    execution.done = run.result
      .then((output: unknown) => {
        execution.status = output === null ? 'ABORTED' : 'SUCCEEDED';
        execution.output = JSON.stringify(output);
      })
      .catch((err: Error & { cause?: unknown }) => {
        execution.status = 'FAILED';
        execution.error = err.name;
        execution.cause = err.message;
        this.options.onError?.(`execution ${name} failed: ${err.name}: ${err.message}`);
      })
      .finally(async () => {
        execution.stopDate = Date.now() / 1000;
        await collect;
      });
    this.executions.set(executionArn, execution);
    return { executionArn, startDate: execution.startDate };
  }

  /** Serves the API on 127.0.0.1; returns the endpoint URL. */
  async listen(): Promise<{ url: string; server: Server }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
        let status = 200;
        let body: unknown;
        try {
          body = this.call(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        } catch (err) {
          status = 400;
          body =
            err instanceof ApiError
              ? { __type: err.type, message: err.message }
              : { __type: 'InternalError', message: String(err) };
          if (!(err instanceof ApiError)) status = 500;
        }
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }
}
