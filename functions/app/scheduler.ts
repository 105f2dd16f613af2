/** The scheduler of this deployment: its schedules invoke the scheduled-action function. */
import { requireEnv } from '#platform/config.js';
import { schedulerTargeting } from './self-scheduler.js';

export const scheduler = schedulerTargeting(requireEnv('SCHEDULE_TARGET_ARN'));
