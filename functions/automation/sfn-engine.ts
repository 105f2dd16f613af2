/**
 * The WorkflowEngine port on AWS Step Functions (one state machine per workflow, one version per
 * publish). The SDK client is loaded on first use.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { logger } from '#platform/logger.js';
import { type ExecutionStatus, executionArn, type TaskCallbacks, type WorkflowEngine } from './ports.js';

export interface PublishConfig {
  stepFunctionArn: string;
  roleArn: string;
  /** `arn:aws:states:<region>:<account>:stateMachine:` */
  arnPrefix: string;
  logGroupArn: string;
  /** State machines are named `<machinePrefix><workflowId>` (a stage's own prefix). */
  machinePrefix: string;
}

let sfn: Promise<{ mod: typeof import('#platform/aws/sdk-sfn.js'); client: SFNClient }> | undefined;
const connect = () =>
  (sfn ??= import('#platform/aws/sdk-sfn.js').then((mod) => ({ mod, client: new mod.SFNClient({}) })));

/**
 * A publishing engine (the workflows API), or one that only starts executions and reads their status
 * (`{}`: the enroller, the reconciler, bulk enrollments, date triggers), which needs no step ARN —
 * and so no reference to the step function, which schedules actions (a cycle in the stack otherwise).
 */
export function sfnEngine(config: PublishConfig | { stepFunctionArn?: never }): WorkflowEngine {
  return {
    stepFunctionArn: config.stepFunctionArn,
    async publish(workflowId, version, asl) {
      if (!('roleArn' in config)) throw new Error('this function cannot publish workflows');
      const nameOf = (id: string) => `${config.machinePrefix}${id}`;
      const { mod, client } = await connect();
      const { CreateStateMachineCommand, UpdateStateMachineCommand } = mod;
      const definition = JSON.stringify(asl);
      const versionDescription = `version ${version}`;
      try {
        const out = await client.send(
          new CreateStateMachineCommand({
            name: nameOf(workflowId),
            definition,
            roleArn: config.roleArn,
            type: 'STANDARD',
            publish: true,
            versionDescription,
            loggingConfiguration: {
              level: 'ERROR',
              includeExecutionData: false,
              destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: config.logGroupArn } }],
            },
            tracingConfiguration: { enabled: true },
          }),
        );
        if (!out.stateMachineVersionArn) throw new Error('CreateStateMachine returned no version');
        return out.stateMachineVersionArn;
      } catch (err) {
        if ((err as Error).name !== 'StateMachineAlreadyExists') throw err;
        const out = await client.send(
          new UpdateStateMachineCommand({
            stateMachineArn: `${config.arnPrefix}${nameOf(workflowId)}`,
            definition,
            roleArn: config.roleArn,
            publish: true,
            versionDescription,
          }),
        );
        if (!out.stateMachineVersionArn) throw new Error('UpdateStateMachine returned no version');
        return out.stateMachineVersionArn;
      }
    },
    async start(stateMachineVersionArn, name, input) {
      const { mod, client } = await connect();
      const { StartExecutionCommand } = mod;
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn: stateMachineVersionArn,
            name,
            input: JSON.stringify(input),
          }),
        );
      } catch (err) {
        // Same name, same input: Step Functions answers 200; a different input means a bug, not a retry.
        if ((err as Error).name !== 'ExecutionAlreadyExists') throw err;
        logger.warn('execution already exists', { name });
      }
    },
    async status(stateMachineVersionArn, name) {
      const { mod, client } = await connect();
      try {
        const out = await client.send(
          new mod.DescribeExecutionCommand({ executionArn: executionArn(stateMachineVersionArn, name) }),
        );
        return out.status as ExecutionStatus | undefined;
      } catch (err) {
        if ((err as Error).name === 'ExecutionDoesNotExist') return undefined;
        throw err;
      }
    },
  };
}

/** Errors of SendTaskSuccess that mean the Task no longer waits for this token. */
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Task callbacks on Step Functions (SendTaskSuccess; IAM cannot scope the tokens of callback Tasks). */
export const sfnCallbacks = (): TaskCallbacks => ({
  async succeed(token, output) {
    const { mod, client } = await connect();
    try {
      await client.send(new mod.SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return true;
    } catch (err) {
      if (GONE.has((err as Error).name)) return false;
      throw err;
    }
  },
});
