/**
 * EventBridge Scheduler target: a follow-up email, a task reminder or a scheduled campaign whose
 * time has come.
 * Throwing makes Scheduler retry (its retry policy), then park the invocation in the DLQ.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { countedMailer, emailContext } from '#app/email-context.js';
import { depsOf } from '#app/runtime.js';
import { appStore } from '#app/store.js';
import { startScheduledCampaign } from '#campaigns/campaigns.js';
import { fireFollowUp } from '#messaging/follow-up-delivery.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';
import { salesStore } from '#sales/store-dynamo.js';
import { fireTaskReminder } from '#sales/tasks.js';

const messaging = depsOf(messagingStore);
const sales = depsOf(salesStore);
const app = depsOf(appStore);

const actionSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('followUp'), followUpId: z.string().check(z.minLength(1)) }),
    z.object({
      kind: z.literal('taskReminder'),
      taskId: z.string().check(z.minLength(1)),
      dueAt: z.string().check(z.minLength(1)),
    }),
    z.object({
      kind: z.literal('campaignSend'),
      campaignId: z.string().check(z.minLength(1)),
      at: z.string().check(z.minLength(1)),
    }),
  ]),
);

export const handler = lambdaHandler('scheduled-action', async (event: unknown, context) => {
  const parsed = actionSchema.safeParse(event);
  if (!parsed.success) {
    // Retrying a malformed input cannot help: log it and drop it.
    logger.error('malformed scheduled action', { event: JSON.stringify(event).slice(0, 1000) });
    return { outcome: 'ignored: malformed' };
  }
  const action = parsed.data;
  const outcome =
    action.kind === 'followUp'
      ? await fireFollowUp(
          messaging,
          { ...emailContext, mailer: countedMailer(context.metrics, 'follow-up') },
          action.followUpId,
        )
      : action.kind === 'taskReminder'
        ? await fireTaskReminder(sales, action.taskId, action.dueAt)
        : await startScheduledCampaign(app, action.campaignId, action.at);
  logger.info('scheduled action', { ...action, outcome });
  return { outcome };
});
