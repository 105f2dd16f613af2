/**
 * Compiles a workflow definition to Amazon States Language (JSONPath). Pure and deterministic: the
 * same definition and options always give the same document, with state names taken from step ids.
 *
 * Execution input and every payload carry ids only: {enrollmentId, contactId, workflowId, version}.
 * Every step is a Task on the workflow-step Lambda. When the enrollment must end (goal met,
 * unsubscribed, suppressed, contact deleted, workflow paused) the Lambda fails the Task with
 * `Tendril.Stop`, which every Task catches into the `End` state: no Choice after each step. Action
 * steps in a row (emails, tags, tasks, fields, deals, notices) are one Task, and the waits right after
 * them are that Task's own: fixed waits its timeout (a callback Task nobody answers), a chain with a
 * `waitUntil` one Wait on the seconds the Task computed (`emitActions`). Such a Task that ends its
 * path completes the enrollment itself (`thenComplete`) and ends the execution: no `Done` Task.
 *
 * Versions compiled before that (Choice gates on `$.step.stop`) keep running: the Lambda answers
 * `{stop: true}` unless the Task says `stopAs: 'error'`.
 */
import { actionParameters, chainWait, isAction, isWait, seconds } from './compile-actions.js';
import { allSteps, durationSeconds, type Step, type WorkflowDefinition } from './language.js';

export interface CompileOptions {
  workflowId: string;
  version: number;
  /** ARN of the workflow-step Lambda (direct Lambda resource: its result is the state result). */
  stepFunctionArn: string;
}

type State = Record<string, unknown>;
type States = Record<string, State>;

export const TERMINAL = { done: 'Done', end: 'End', failed: 'Failed', fail: 'Fail' } as const;
/** The error a step's Task fails with when the enrollment must end (caught into `End`). */
export const STOP_ERROR = 'Tendril.Stop';
/** The Resource of a callback Task: Step Functions invokes the Lambda, then waits for SendTaskSuccess. */
export const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** The error a webhook step's Task fails with when its POST is not answered 2xx (retried, then caught). */
export const WEBHOOK_ERROR = 'Tendril.WebhookFailed';
/** How a webhook step's POST is retried: 5 attempts in all over about 2.5 minutes. */
export const WEBHOOK_RETRY = { IntervalSeconds: 10, MaxAttempts: 4, BackoffRate: 2, JitterStrategy: 'FULL' };

const retry = () => [
  {
    // Transient failures of Lambda itself (including a function that timed out or crashed) and of
    // what a step calls (a throttled provider): steps are idempotent, so they are simply retried.
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Lambda.Unknown',
      'Sandbox.Timedout',
      'Tendril.Retryable',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    // An earlier attempt of this step holds the email's send claim: wait for its lease to end.
    ErrorEquals: ['Tendril.SendInProgress'],
    IntervalSeconds: 15,
    MaxAttempts: 6,
    BackoffRate: 1.5,
  },
];

export function compileWorkflow(def: WorkflowDefinition, options: CompileOptions) {
  const states: States = {};
  const task = (name: string, action: string, args: Record<string, unknown>, next: string): State => ({
    ...taskBody(name, action, { ...args, stopAs: 'error' }, next, '$.step'),
    Catch: [
      { ErrorEquals: [STOP_ERROR], ResultPath: '$.stopped', Next: TERMINAL.end },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TERMINAL.failed },
    ],
  });
  const taskBody = (
    name: string,
    action: string,
    args: Record<string, unknown>,
    next: string,
    resultPath: string,
  ): State => ({
    Type: 'Task',
    Resource: options.stepFunctionArn,
    Parameters: {
      action,
      stepId: name,
      'enrollmentId.$': '$.enrollmentId',
      'contactId.$': '$.contactId',
      'workflowId.$': '$.workflowId',
      'version.$': '$.version',
      ...args,
    },
    ResultPath: resultPath,
    Retry: retry(),
    ...(next === TERMINAL.end ? { End: true } : { Next: next }),
  });

  /** A callback Task of `body` that nobody but the timeout may end: `onTimeout` goes on without it. */
  const callback = (body: State, timeoutSeconds: number, onTimeout: string): State => {
    const { Resource, Parameters, ...rest } = body;
    return {
      ...rest,
      Resource: CALLBACK_RESOURCE,
      Parameters: {
        FunctionName: Resource,
        Payload: { ...(Parameters as object), 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSeconds: timeoutSeconds,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: onTimeout },
        ...(body.Catch as unknown[]),
      ],
    };
  };

  /**
   * A run of action steps and the waits right after it: one Task. Its Lambda runs the steps in order
   * (`fused`), enters the first wait (`thenEnter`) or completes the enrollment (`thenComplete`). Fixed
   * waits are the Task's own timeout (a callback Task nobody answers); a chain with a `waitUntil` is
   * one Wait on the seconds the Lambda computed for the whole chain (`waits`).
   */
  const emitActions = (unit: Step[], following: string): string => {
    const [first, ...rest] = unit.filter(isAction);
    const waits = unit.filter(isWait);
    if (!first) throw new Error('an action unit starts with an action step');
    const { action, stepId, ...args } = actionParameters(first);
    const fused = rest.length > 0 ? { fused: rest.map(actionParameters) } : {};
    const name = String(stepId);
    const [enters] = waits;
    if (!enters) {
      // The last step of a path completes the enrollment in its own Task (no `Done` Task after it).
      const completes = following === TERMINAL.done;
      const then = completes ? { thenComplete: true } : {};
      states[name] = task(
        name,
        String(action),
        { ...args, ...fused, ...then },
        completes ? TERMINAL.end : following,
      );
    } else if (waits.every((w) => w.type === 'wait')) {
      const total = waits.reduce((sum, w) => sum + (w.type === 'wait' ? seconds(w.duration) : 0), 0);
      const body = task(name, String(action), { ...args, ...fused, thenEnter: enters.id }, following);
      states[name] = callback(body, total, following);
    } else {
      const chain = { waits: waits.map((w) => chainWait(w, def)) };
      states[name] = task(
        name,
        String(action),
        { ...args, ...fused, thenEnter: enters.id, ...chain },
        enters.id,
      );
      states[enters.id] = { Type: 'Wait', SecondsPath: '$.step.seconds', Next: following };
    }
    return name;
  };

  /** Adds the states of `steps` and returns the name of the first one (or `next` if there are none). */
  const emit = (steps: Step[], next: string): string => {
    // Units, in order: a run of action steps with the waits right after it is one unit.
    const units: Step[][] = [];
    for (let i = 0; i < steps.length; ) {
      let j = i + 1;
      if (isAction(steps[i])) {
        while (isAction(steps[j])) j++;
        while (isWait(steps[j])) j++;
      }
      units.push(steps.slice(i, j));
      i = j;
    }
    let following = next;
    for (const unit of units.reverse()) {
      const [step] = unit;
      if (!step) continue;
      following = isAction(step) ? emitActions(unit, following) : emitStep(step, following);
    }
    return following;
  };

  /** A step that is not an action: its own Task (and the Wait or Choice after it). */
  const emitStep = (step: Step, following: string): string => {
    switch (step.type) {
      case 'wait': {
        const waitName = `${step.id}/wait`;
        states[step.id] = task(step.id, 'enter', {}, waitName);
        states[waitName] = { Type: 'Wait', Seconds: durationSeconds(step.duration), Next: following };
        break;
      }
      case 'waitUntil': {
        const waitName = `${step.id}/wait`;
        const timezone = step.timezone === 'workflow' ? def.timezone : 'contact';
        states[step.id] = task(step.id, 'schedule', { time: step.time, timezone }, waitName);
        states[waitName] = { Type: 'Wait', SecondsPath: '$.step.seconds', Next: following };
        break;
      }
      case 'if': {
        const branchName = `${step.id}/branch`;
        const thenStart = emit(step.then, following);
        const elseStart = emit(step.else, following);
        states[step.id] = task(step.id, 'evaluate', { condition: step.condition }, branchName);
        states[branchName] = {
          Type: 'Choice',
          Choices: [{ Variable: '$.step.result', BooleanEquals: true, Next: thenStart }],
          Default: elseStart,
        };
        break;
      }
      case 'split': {
        // The Task picks the path (and records it); a Choice on its index enters it.
        const branchName = `${step.id}/branch`;
        const starts = step.branches.map((b) => emit(b.steps, following));
        states[step.id] = task(
          step.id,
          'split',
          { percents: step.branches.map((b) => b.percent) },
          branchName,
        );
        states[branchName] = {
          Type: 'Choice',
          Choices: starts
            .slice(0, -1)
            .map((start, index) => ({ Variable: '$.step.branch', NumericEquals: index, Next: start })),
          Default: starts.at(-1),
        };
        break;
      }
      case 'webhook': {
        // A POST not answered 2xx fails the Task with WEBHOOK_ERROR: retried here, then caught into
        // `<id>/failed`, whose Task counts and records the failure; the enrollment goes on.
        const failedName = `${step.id}/failed`;
        const body = task(
          step.id,
          'webhook',
          { webhookId: step.webhookId, 'attempt.$': '$$.State.RetryCount' },
          following,
        );
        states[step.id] = {
          ...body,
          Retry: [{ ErrorEquals: [WEBHOOK_ERROR], ...WEBHOOK_RETRY }, ...retry()],
          Catch: [
            { ErrorEquals: [WEBHOOK_ERROR], ResultPath: '$.error', Next: failedName },
            ...(body.Catch as unknown[]),
          ],
        };
        states[failedName] = task(
          failedName,
          'webhookFailed',
          { webhookId: step.webhookId, 'error.$': '$.error' },
          following,
        );
        break;
      }
      case 'waitForEvent': {
        // A callback Task: the Lambda records the task token where the event's consumer finds it
        // (or answers at once when the event already happened); the timeout goes on without it.
        const timeoutSeconds = seconds(step.timeout);
        const body = task(step.id, 'waitForEvent', { event: step.event, timeoutSeconds }, following);
        states[step.id] = callback(body, timeoutSeconds, following);
        break;
      }
      case 'exit':
        states[step.id] = task(step.id, 'complete', { outcome: 'exited' }, TERMINAL.end);
        break;
      default:
        throw new Error(`${step.type} steps are compiled with the actions before them`);
    }
    return step.id;
  };

  states[TERMINAL.done] = task(TERMINAL.done, 'complete', { outcome: 'completed' }, TERMINAL.end);
  states[TERMINAL.end] = { Type: 'Succeed' };
  // The failure handler has no Catch of its own: if it fails too, the execution fails.
  states[TERMINAL.failed] = taskBody(
    TERMINAL.failed,
    'fail',
    { 'error.$': '$.error' },
    TERMINAL.fail,
    '$.failure',
  );
  states[TERMINAL.fail] = {
    Type: 'Fail',
    Error: 'Tendril.EnrollmentFailed',
    Cause: 'a workflow step failed after its retries',
  };
  const start = emit(def.steps, TERMINAL.done);
  // Every path may end in a step that completes the enrollment itself: then nothing enters `Done`.
  if (!Object.values(states).some((s) => entersState(s, TERMINAL.done))) delete states[TERMINAL.done];

  // Order states as they are declared (start first, terminal states last) so the document reads top-down.
  const stepIds = allSteps(def.steps).map(({ step }) => step.id);
  const order = [
    start,
    ...Object.keys(states).filter((n) => n !== start && !Object.values(TERMINAL).includes(n as never)),
  ];
  const ordered: States = {};
  for (const name of [...new Set(order)].sort((a, b) => stateRank(stepIds, a) - stateRank(stepIds, b)))
    ordered[name] = states[name] as State;
  for (const name of Object.values(TERMINAL)) if (states[name]) ordered[name] = states[name];
  return {
    Comment: `Tendril workflow ${options.workflowId} v${options.version}: ${def.name}`,
    QueryLanguage: 'JSONPath',
    StartAt: start,
    States: ordered,
  };
}

/** Whether `state` may go on to the state named `name` (Next, a Choice, or a Catch). */
function entersState(state: State, name: string): boolean {
  const targets = [
    state.Next,
    state.Default,
    ...((state.Choices as { Next: string }[] | undefined) ?? []).map((c) => c.Next),
    ...((state.Catch as { Next: string }[] | undefined) ?? []).map((c) => c.Next),
  ];
  return targets.includes(name);
}

/** Position of a state in declaration order of its step (and helper states right after their step). */
function stateRank(ids: string[], name: string): number {
  const [id, helper] = name.split('/');
  return (
    ids.indexOf(id ?? '') * 10 +
    (helper === undefined ? 0 : helper === 'branch' ? 1 : helper === 'failed' ? 3 : 2)
  );
}

/** Names of the Task states that run a given action, e.g. every `sendEmail` state. */
export function taskStates(asl: ReturnType<typeof compileWorkflow>, action?: string): string[] {
  return Object.entries(asl.States)
    .filter(([, s]) => {
      const parameters = s.Parameters as { action?: string; Payload?: { action?: string } } | undefined;
      return (
        s.Type === 'Task' && (action === undefined || (parameters?.Payload ?? parameters)?.action === action)
      );
    })
    .map(([name]) => name);
}
