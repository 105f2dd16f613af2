/**
 * EventBridge Scheduler target: a follow-up email, an appointment's email, a task reminder (and its owner's email), a task's owner told it is theirs, a scheduled campaign, an A/B
 * campaign's winner, a local-time campaign's wave or a case's SLA target whose time has come. Each kind's code (and its store) is imported when the first action of that kind
 * arrives: a reminder does not compile the email or campaign code at a cold start.
 * Throwing makes Scheduler retry (its retry policy), then park the invocation in the DLQ.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { depsOf } from '#app/runtime.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger, type ObservedContext } from '#platform/logger.js';

const actionSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('followUp'), followUpId: z.string().check(z.minLength(1)) }),
    z.object({
      kind: z.literal('taskReminder'),
      taskId: z.string().check(z.minLength(1)),
      dueAt: z.string().check(z.minLength(1)),
    }),
    z.object({
      kind: z.literal('taskAssigned'),
      taskId: z.string().check(z.minLength(1)),
      owner: z.string().check(z.minLength(1)),
      version: z.int(),
      plannedAt: z.string().check(z.minLength(1)),
    }),
    z.object({
      kind: z.literal('campaignSend'),
      campaignId: z.string().check(z.minLength(1)),
      at: z.string().check(z.minLength(1)),
    }),
    z.object({ kind: z.literal('campaignWinner'), campaignId: z.string().check(z.minLength(1)) }),
    z.object({
      kind: z.literal('campaignWave'),
      campaignId: z.string().check(z.minLength(1)),
      at: z.string().check(z.minLength(1)),
    }),
    z.object({
      kind: z.literal('caseSla'),
      caseId: z.string().check(z.minLength(1)),
      target: z.enum(['first_response', 'resolution']),
      dueAt: z.string().check(z.minLength(1)),
      version: z.optional(z.int()),
    }),
    z.object({
      kind: z.literal('workflowDate'),
      workflowId: z.string().check(z.minLength(1)),
      contactId: z.string().check(z.minLength(1)),
      at: z.string().check(z.minLength(1)),
    }),
    z.object({
      kind: z.literal('appointmentEmail'),
      appointmentId: z.string().check(z.minLength(1)),
      email: z.enum(['confirmation', 'reminder', 'cancellation']),
      sequence: z.int(),
      minutesBefore: z.optional(z.int()),
      plannedAt: z.optional(z.string()),
    }),
  ]),
);
type Action = z.infer<typeof actionSchema>;

/** What a task's email to its owner needs: the users directory, the mailer (counted `via=task-notice`). */
async function taskNoticeContext(metrics: ObservedContext['metrics']) {
  const [{ countedMailer, emailContext }, { userDirectory }] = await Promise.all([
    import('#app/email-context.js'),
    import('#access/user-directory.js'),
  ]);
  return {
    users: userDirectory(),
    mailer: countedMailer(metrics, 'task-notice'),
    publicUrl: emailContext.publicUrl,
  };
}
type Of<K extends Action['kind']> = Extract<Action, { kind: K }>;

const run: { [K in Action['kind']]: (action: Of<K>, context: ObservedContext) => Promise<string> } = {
  async followUp(action, { metrics }) {
    const [{ fireFollowUp }, { countedMailer, emailContext }, { messagingStore }] = await Promise.all([
      import('#messaging/follow-up-delivery.js'),
      import('#app/email-context.js'),
      import('#messaging/store-dynamo.js'),
    ]);
    const mailer = countedMailer(metrics, 'follow-up');
    return fireFollowUp(depsOf(messagingStore), { ...emailContext, mailer }, action.followUpId);
  },
  async taskReminder(action, { metrics }) {
    const [{ fireTaskReminder }, { remindOwner }, ctx, { appStore }] = await Promise.all([
      import('#sales/tasks.js'),
      import('#sales/task-notices.js'),
      taskNoticeContext(metrics),
      import('#app/store.js'),
    ]);
    const deps = depsOf(appStore);
    const reminded = await fireTaskReminder(deps, action.taskId, action.dueAt);
    // Also after a retry that finds the task reminded: the email may be what failed (sent once).
    return `${reminded}; ${await remindOwner(deps, deps, ctx, action.taskId, action.dueAt)}`;
  },
  async taskAssigned(action, { metrics }) {
    const [{ fireAssignedNotice }, ctx, { appStore }] = await Promise.all([
      import('#sales/task-notices.js'),
      taskNoticeContext(metrics),
      import('#app/store.js'),
    ]);
    const deps = depsOf(appStore);
    return fireAssignedNotice(deps, deps, ctx, action);
  },
  async campaignSend(action, { invokedFunctionArn }) {
    const [{ startScheduledCampaign }, { campaignsStore }, { selfScheduler }] = await Promise.all([
      import('#campaigns/campaigns.js'),
      import('#campaigns/store-dynamo.js'),
      import('#app/self-scheduler.js'),
    ]);
    const scheduler = selfScheduler(invokedFunctionArn);
    return startScheduledCampaign(depsOf(campaignsStore), scheduler, action.campaignId, action.at);
  },
  async campaignWinner(action, { invokedFunctionArn }) {
    const [{ chooseWinner }, { campaignsStore }, { selfScheduler }] = await Promise.all([
      import('#campaigns/ab-test.js'),
      import('#campaigns/store-dynamo.js'),
      import('#app/self-scheduler.js'),
    ]);
    const scheduler = selfScheduler(invokedFunctionArn);
    return (await chooseWinner(depsOf(campaignsStore), scheduler, action.campaignId, 'auto')).outcome;
  },
  async campaignWave(action, { invokedFunctionArn }) {
    const [{ startWave }, { campaignsStore }, { selfScheduler }] = await Promise.all([
      import('#campaigns/local-time.js'),
      import('#campaigns/store-dynamo.js'),
      import('#app/self-scheduler.js'),
    ]);
    const scheduler = selfScheduler(invokedFunctionArn);
    return startWave(depsOf(campaignsStore), scheduler, action.campaignId, action.at);
  },
  async caseSla(action, { metrics }) {
    const [{ fireSlaTimer }, { countedMailer, emailContext }, { serviceStore }, { userDirectory }] =
      await Promise.all([
        import('#service/sla-timers.js'),
        import('#app/email-context.js'),
        import('#service/store-dynamo.js'),
        import('#access/user-directory.js'),
      ]);
    const mailer = countedMailer(metrics, 'case-sla');
    const ctx = { mailer, publicUrl: emailContext.publicUrl, users: userDirectory() };
    return fireSlaTimer(depsOf(serviceStore), ctx, action);
  },
  async workflowDate(action) {
    const [{ fireDateTrigger }, { automationStore }, { sfnEngine }] = await Promise.all([
      import('#automation/date-trigger.js'),
      import('#automation/store-dynamo-composed.js'),
      import('#automation/sfn-engine.js'),
    ]);
    const engine = sfnEngine({});
    return fireDateTrigger(depsOf(automationStore), engine, action);
  },
  async appointmentEmail(action, { metrics }) {
    const [{ fireAppointmentEmail }, { countedMailer, emailContext }, { appStore }] = await Promise.all([
      import('#appointments/emails.js'),
      import('#app/email-context.js'),
      import('#app/store.js'),
    ]);
    const mailer = countedMailer(metrics, 'appointment');
    return fireAppointmentEmail(depsOf(appStore), { ...emailContext, mailer }, action);
  },
};

export const handler = lambdaHandler('scheduled-action', async (event: unknown, context) => {
  const parsed = actionSchema.safeParse(event);
  if (!parsed.success) {
    // Retrying a malformed input cannot help: log it and drop it.
    logger.error('malformed scheduled action', { event: JSON.stringify(event).slice(0, 1000) });
    return { outcome: 'ignored: malformed' };
  }
  const action = parsed.data;
  const outcome = await (run[action.kind] as (a: Action, c: ObservedContext) => Promise<string>)(
    action,
    context,
  );
  logger.info('scheduled action', { ...action, outcome });
  return { outcome };
});
