/**
 * Schedulers of this deployment, configured from the environment (fails fast when missing). The
 * schedules' target (scheduled-action) cannot be given its own ARN in its environment (a
 * CloudFormation cycle): it schedules by the ARN it was invoked with.
 */
import { eventBridgeScheduler } from '#platform/aws/scheduler.js';
import { requireEnv } from '#platform/config.js';
import type { Scheduler } from '#platform/scheduler.js';

/** A scheduler whose schedules invoke `targetArn`. */
export const schedulerTargeting = (targetArn: string): Scheduler =>
  eventBridgeScheduler({
    groupName: requireEnv('SCHEDULE_GROUP_NAME'),
    targetArn,
    roleArn: requireEnv('SCHEDULE_ROLE_ARN'),
    deadLetterArn: requireEnv('SCHEDULE_DLQ_ARN'),
  });

let self: Scheduler | undefined;
/** The scheduler of the schedules' target, from its invocation's ARN (unqualified: no version or alias). */
export function selfScheduler(invokedFunctionArn: string): Scheduler {
  self ??= schedulerTargeting(invokedFunctionArn.split(':').slice(0, 7).join(':'));
  return self;
}
