/**
 * The Scheduler port on EventBridge Scheduler: one-time `at()` schedules in Tendril's schedule group
 * that delete themselves after running (ActionAfterCompletion DELETE), retry with a bounded policy
 * and park undeliverable invocations in a dead-letter queue.
 */
import type { ScheduledAction, Scheduler } from '../scheduler.js';

export interface SchedulerConfig {
  groupName: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn: string;
}

/** `at()` takes a wall-clock time without zone or fraction; Tendril always passes UTC. */
export const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

/** Retry policy of every schedule: 24 h of retries with backoff, then the dead-letter queue. */
export const SCHEDULE_RETRY_POLICY = { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 24 * 3600 };

/** The SDK module, loaded on first use (most invocations of the functions that schedule never do). */
let sdk: Promise<typeof import('./sdk-scheduler.js')> | undefined;
const loadSdk = () => (sdk ??= import('./sdk-scheduler.js'));

export function eventBridgeScheduler(config: SchedulerConfig): Scheduler {
  let client: import('@aws-sdk/client-scheduler').SchedulerClient | undefined;
  const connect = async () => {
    const mod = await loadSdk();
    client ??= new mod.SchedulerClient({});
    return { mod, client };
  };
  return {
    async scheduleOnce(name: string, at: Date, action: ScheduledAction) {
      const { mod, client } = await connect();
      const { ConflictException, CreateScheduleCommand } = mod;
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: config.groupName,
            ScheduleExpression: atExpression(at),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: {
              Arn: config.targetArn,
              RoleArn: config.roleArn,
              Input: JSON.stringify(action),
              RetryPolicy: SCHEDULE_RETRY_POLICY,
              DeadLetterConfig: { Arn: config.deadLetterArn },
            },
            ClientToken: name,
          }),
        );
      } catch (err) {
        // Same name already scheduled: a retried request.
        if (err instanceof ConflictException) return;
        throw err;
      }
    },
    async cancel(name: string) {
      const { mod, client } = await connect();
      const { DeleteScheduleCommand, ResourceNotFoundException } = mod;
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: config.groupName }));
      } catch (err) {
        if (err instanceof ResourceNotFoundException) return;
        throw err;
      }
    },
  };
}
