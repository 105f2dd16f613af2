/** Step Functions, as the workflow code needs it (automation/sfn-engine.ts in the cloud and locally). */
export interface WorkflowEngine {
  /** ARN of the Lambda every Task state invokes (none: an engine that only starts executions). */
  readonly stepFunctionArn?: string | undefined;
  /** Creates or updates the workflow's state machine and publishes a version; returns the version ARN. */
  publish(workflowId: string, version: number, asl: object): Promise<string>;
  /** Starts an execution; starting the same name with the same input again is a no-op. */
  start(stateMachineVersionArn: string, name: string, input: object): Promise<void>;
  /** The status of the named execution of the state machine, or undefined when it was never started. */
  status(stateMachineVersionArn: string, name: string): Promise<ExecutionStatus | undefined>;
}

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/** `…:stateMachine:<name>[:<version>]` → `…:execution:<name>:<execution>`. */
export function executionArn(stateMachineVersionArn: string, name: string): string {
  const m = /^(arn:[^:]+:states:[^:]+:[^:]+):stateMachine:([^:]+)(?::\d+)?$/.exec(stateMachineVersionArn);
  if (!m) throw new Error(`not a state machine ARN: ${stateMachineVersionArn}`);
  return `${m[1]}:execution:${m[2]}:${name}`;
}

/** Answers the task tokens of callback Tasks (waitForEvent steps); sfn-engine.ts on Step Functions. */
export interface TaskCallbacks {
  /** Ends the wait with `output`; false when the Task no longer waits (timed out, stopped, answered). */
  succeed(token: string, output: object): Promise<boolean>;
}
