/** The scheduler of this deployment, configured from the environment (fails fast when missing). */
import { eventBridgeScheduler } from '#platform/aws/scheduler.js';
import { requireEnv } from '#platform/config.js';

export const scheduler = eventBridgeScheduler({
  groupName: requireEnv('SCHEDULE_GROUP_NAME'),
  targetArn: requireEnv('SCHEDULE_TARGET_ARN'),
  roleArn: requireEnv('SCHEDULE_ROLE_ARN'),
  deadLetterArn: requireEnv('SCHEDULE_DLQ_ARN'),
});
