/**
 * EventBridge Scheduler target: a follow-up email or a task reminder whose time has come.
 * Throwing makes Scheduler retry (its retry policy), then park the invocation in the DLQ.
 */
import * as z from 'zod/mini';
import '../core/zod-messages.js';
import { fireFollowUp } from '../core/follow-up-delivery.js';
import { fireTaskReminder } from '../core/tasks.js';
import { emailContext } from '../shared/email-context.js';
import { logger } from '../shared/logger.js';
import { deps } from '../shared/runtime.js';

const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('followUp'), followUpId: z.string().check(z.minLength(1)) }),
  z.object({
    kind: z.literal('taskReminder'),
    taskId: z.string().check(z.minLength(1)),
    dueAt: z.string().check(z.minLength(1)),
  }),
]);

export async function handler(event: unknown): Promise<{ outcome: string }> {
  const parsed = actionSchema.safeParse(event);
  if (!parsed.success) {
    // Retrying a malformed input cannot help: log it and drop it.
    logger.error('malformed scheduled action', { event: JSON.stringify(event).slice(0, 1000) });
    return { outcome: 'ignored: malformed' };
  }
  const action = parsed.data;
  const outcome =
    action.kind === 'followUp'
      ? await fireFollowUp(deps, emailContext, action.followUpId)
      : await fireTaskReminder(deps, action.taskId, action.dueAt);
  logger.info('scheduled action', { ...action, outcome });
  return { outcome };
}
