/**
 * What the workflow-step Lambda does for each Task state. Every action first checks that the
 * enrollment may go on (contact exists, workflow not paused, goal not met), records reaching the
 * step exactly once, then acts. Actions are idempotent, so Step Functions may retry them freely;
 * an email is sent at most once per enrollment step.
 */

import type { Contact, FieldValue } from '#contacts/model.js';
import { addTags, removeTag } from '#contacts/rules.js';
import type { EmailContext } from '#messaging/sender.js';
import { derivedUlid } from '#platform/ids.js';
import { logger } from '#platform/logger.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict } from '#platform/store.js';
import { createTask } from '#sales/tasks.js';
import type { ChainWait } from './compile-actions.js';
import { STOP_ERROR } from './compiler.js';
import { conditionHolds } from './conditions.js';
import { createDealStep, moveDealStep } from './deal-steps.js';
import { endEnrollment } from './enrollment.js';
import type { Condition, WorkflowDefinition } from './language.js';
import type { Enrollment } from './model.js';
import { notifyOwnerStep } from './notify-step.js';
import type { TaskCallbacks } from './ports.js';
import { repliedDuring } from './reply-goal.js';
import { setField } from './set-field.js';
import { pathStepId, pickPath, takenPath } from './split.js';
import { type LoadPorts, portsOf } from './step-ports.js';
import type { AutomationDeps } from './store.js';
import { chainSeconds, secondsUntil, zoneFor } from './wait-chain.js';
import { waitForEventStep } from './wait-for-event.js';
import { webhookFailedStep, webhookStep } from './webhook-step.js';

export interface StepInput {
  action:
    | 'enter'
    | 'schedule'
    | 'evaluate'
    | 'sendEmail'
    | 'addTag'
    | 'removeTag'
    | 'createTask'
    | 'split'
    | 'updateField'
    | 'createDeal'
    | 'moveDeal'
    | 'notifyOwner'
    | 'webhook'
    | 'webhookFailed'
    | 'waitForEvent'
    | 'complete'
    | 'fail';
  stepId: string;
  enrollmentId: string;
  contactId: string;
  workflowId: string;
  version: number;
  templateId?: string;
  subscriptionType?: string;
  tag?: string;
  title?: string;
  dueInSeconds?: number;
  /** createTask: who gets the task (else the contact's owner). */
  owner?: string;
  time?: string;
  timezone?: string;
  condition?: Condition;
  /** updateField: the property or custom field, and its new value (null: cleared). */
  field?: string;
  value?: FieldValue | null;
  /** split: the paths' percentages, in order. */
  percents?: number[];
  /** createDeal, moveDeal: the pipeline and stage; createDeal: the deal's title, amount and currency. */
  pipelineId?: string;
  stage?: string;
  name?: string;
  amount?: number;
  currency?: string;
  /** notifyOwner: the email's subject and message (merge fields filled in). */
  subject?: string;
  message?: string;
  /** webhook, webhookFailed: the subscription POSTed to; `attempt`: the Task's retry count. */
  webhookId?: string;
  attempt?: number;
  /** waitForEvent: what ends the wait, the callback Task's token and its timeout. */
  event?: unknown;
  taskToken?: string;
  timeoutSeconds?: number;
  outcome?: 'completed' | 'exited';
  error?: unknown;
  /** The wait step this step's Task enters once it has acted (its Task's timeout, or one Wait). */
  thenEnter?: string;
  /** Action steps fused into this Task, run after it in order (each with its own stepId). */
  fused?: Array<Omit<StepInput, 'enrollmentId' | 'contactId' | 'workflowId' | 'version'>>;
  /** The waits from `thenEnter` on, when they include a waitUntil: the result's `seconds` is theirs. */
  waits?: ChainWait[];
  /** The step ends its path: its Task completes the enrollment once it has acted (no `Done` Task). */
  thenComplete?: boolean;
  /** How the Task says the enrollment must end (see runStepTask). */
  stopAs?: 'error';
}

export interface StepResult {
  stop: boolean;
  reason?: string;
  result?: boolean;
  seconds?: number;
  /** split: the index of the path taken. */
  branch?: number;
  /** The CRM steps: what happened (`created`, `moved`, `sent`, `delivered`, `skipped: no owner`…). */
  outcome?: string;
}

export interface StepContext extends EmailContext {
  scheduler: Scheduler;
  /** What moveDeal, notifyOwner and webhook steps reach (loaded by the first of them). */
  ports?: LoadPorts;
  /** What answers a waitForEvent Task's token when its event already happened. */
  callbacks?: TaskCallbacks;
}

/** Where a CRM step that did nothing records it on the enrollment's path: `<step>/skipped`. */
export const skippedStepId = (stepId: string) => `${stepId}/skipped`;
const CRM_STEPS = new Set<StepInput['action']>(['createDeal', 'moveDeal', 'notifyOwner', 'webhook']);

const stop = async (deps: AutomationDeps, enrollment: Enrollment, reason: string): Promise<StepResult> => {
  await endEnrollment(deps, enrollment, 'stopped', reason);
  return { stop: true, reason };
};

/** The Task's error when its enrollment must end: the compiled Catch sends it to End. */
export class EnrollmentStopped extends Error {
  constructor(reason = 'stopped') {
    super(reason);
    this.name = STOP_ERROR;
  }
}

/**
 * A step as its Task runs it: current versions (`stopAs: 'error'`) end a stopped enrollment by
 * failing the Task with `Tendril.Stop`; versions compiled before that read `stop` from the result.
 */
export async function runStepTask(
  deps: AutomationDeps,
  ctx: StepContext,
  input: StepInput,
): Promise<StepResult> {
  const result = await runTaskSteps(deps, ctx, input);
  if (result.stop && input.stopAs === 'error') throw new EnrollmentStopped(result.reason);
  return result;
}

/**
 * The steps of one Task: its own, then those fused after it (`fused`), in order; the last one enters
 * the wait after them or completes the enrollment. A retry starts again at the step the enrollment
 * is at (each step is idempotent there). With `waits`, the result carries the chain's seconds.
 */
async function runTaskSteps(deps: AutomationDeps, ctx: StepContext, input: StepInput): Promise<StepResult> {
  const { fused = [], waits, thenEnter, thenComplete, ...own } = input;
  const { enrollmentId, contactId, workflowId, version, stopAs } = input;
  const ids = { enrollmentId, contactId, workflowId, version, ...(stopAs ? { stopAs } : {}) };
  const steps: StepInput[] = [own, ...fused.map((step) => ({ ...ids, ...step }))];
  const ending = { ...(thenEnter ? { thenEnter } : {}), ...(thenComplete ? { thenComplete } : {}) };
  steps.push({ ...(steps.pop() as StepInput), ...ending });
  let from = 0;
  if (fused.length > 0) {
    const at = (await deps.store.getEnrollment(contactId, enrollmentId))?.currentStep;
    const index = steps.findIndex((s) => at === s.stepId || at === skippedStepId(s.stepId));
    from = at !== undefined && at === thenEnter ? steps.length - 1 : Math.max(0, index);
  }
  let result: StepResult = { stop: false };
  for (const step of steps.slice(from)) {
    result = await runStep(deps, ctx, step);
    if (result.stop) return result;
  }
  if (!waits) return result;
  const needsContact = waits.some((w) => 'timezone' in w && w.timezone === 'contact');
  const contact = needsContact ? await deps.store.getContact(contactId) : undefined;
  return { ...result, seconds: chainSeconds(deps.clock.now(), waits, contact) };
}

export async function runStep(deps: AutomationDeps, ctx: StepContext, input: StepInput): Promise<StepResult> {
  const enrollment = await deps.store.getEnrollment(input.contactId, input.enrollmentId);
  if (!enrollment) return { stop: true, reason: 'enrollment_missing' };
  if (input.action === 'fail') {
    if (enrollment.status === 'active') await endEnrollment(deps, enrollment, 'failed', 'step_failed');
    return { stop: true, reason: 'failed' };
  }
  if (enrollment.status !== 'active')
    return { stop: true, reason: enrollment.stopReason ?? enrollment.status };
  if (input.action === 'complete') {
    await endEnrollment(deps, enrollment, input.outcome === 'exited' ? 'exited' : 'completed');
    return { stop: false };
  }
  // A retry of a step that already acted and entered the wait after it: nothing is left to do.
  if (input.thenEnter !== undefined && enrollment.currentStep === input.thenEnter) return { stop: false };
  // A retry of a split that already took its path: the same path.
  const taken = input.action === 'split' ? takenPath(input.stepId, enrollment.currentStep) : undefined;
  if (taken !== undefined) return { stop: false, branch: taken };
  // A retry of a CRM step that found nothing to do and recorded it, or of a webhook's failure record.
  if (
    (CRM_STEPS.has(input.action) && enrollment.currentStep === skippedStepId(input.stepId)) ||
    (input.action === 'webhookFailed' && enrollment.currentStep === input.stepId)
  ) {
    if (input.thenEnter !== undefined) await enterStep(deps, enrollment, input.thenEnter);
    if (input.thenComplete) await endEnrollment(deps, enrollment, 'completed');
    return { stop: false, outcome: input.action === 'webhookFailed' ? 'failed' : 'skipped' };
  }

  const [contact, workflow, version] = await Promise.all([
    deps.store.getContact(input.contactId),
    deps.store.getWorkflow(input.workflowId),
    deps.store.getWorkflowVersion(input.workflowId, input.version),
  ]);
  if (!contact) return stop(deps, enrollment, 'contact_deleted');
  if (!workflow || workflow.status === 'paused') return stop(deps, enrollment, 'workflow_paused');
  const goal = (version?.definition as Pick<WorkflowDefinition, 'goal'> | undefined)?.goal;
  if (goal?.type === 'tagAdded' && contact.tags.includes(goal.tag)) return stop(deps, enrollment, 'goal_met');
  if (goal?.type === 'emailReplied') {
    if (repliedDuring(await deps.store.getRepliedAt(contact.id), enrollment))
      return stop(deps, enrollment, 'goal_met');
  }
  if (goal?.type === 'condition' && (await evaluate(deps, input, contact, goal.condition)))
    return stop(deps, enrollment, 'goal_met');

  // From here on the enrollment is at this step (its gauges too): what ends it must know.
  const atStep = await enterStep(deps, enrollment, input.stepId);
  const result = await act(deps, ctx, input, atStep, contact);
  let now = atStep;
  if (result.outcome?.startsWith('skipped')) {
    logger.info(`workflow step ${result.outcome}`, { enrollmentId: atStep.id, stepId: input.stepId });
    now = await enterStep(deps, atStep, skippedStepId(input.stepId));
  }
  if (!result.stop && input.thenEnter !== undefined) await enterStep(deps, now, input.thenEnter);
  if (!result.stop && input.thenComplete) await endEnrollment(deps, now, 'completed');
  return result;
}

async function act(
  deps: AutomationDeps,
  ctx: StepContext,
  input: StepInput,
  atStep: Enrollment,
  contact: Contact,
): Promise<StepResult> {
  const now = deps.clock.now();
  switch (input.action) {
    case 'enter':
      return { stop: false };
    case 'schedule':
      return {
        stop: false,
        seconds: secondsUntil(now, String(input.time), zoneFor(contact, String(input.timezone))),
      };
    case 'evaluate':
      return { stop: false, result: await evaluate(deps, input, contact, input.condition as Condition) };
    case 'addTag':
      await addTags(deps, contact.id, [String(input.tag)]);
      return { stop: false };
    case 'removeTag':
      await removeTag(deps, contact.id, String(input.tag));
      return { stop: false };
    case 'createTask':
      await createTask(
        deps,
        ctx.scheduler,
        {
          title: String(input.title),
          dueAt: new Date(now.getTime() + Number(input.dueInSeconds ?? 0) * 1000).toISOString(),
          contactId: contact.id,
          // The step's own owner, else the contact's: a new MQL's call goes to whoever follows it up.
          owner: typeof input.owner === 'string' ? input.owner : contact.owner,
        },
        {
          // One task per enrollment step, whatever the retries; a ULID, so the tasks API can address it.
          id: derivedUlid(input.enrollmentId, `${input.enrollmentId}/${input.stepId}`),
          source: { workflowId: input.workflowId, enrollmentId: input.enrollmentId, stepId: input.stepId },
        },
      );
      return { stop: false };
    case 'sendEmail':
      return sendStepEmail(deps, ctx, input, atStep, contact);
    case 'updateField':
      await setField(deps, contact, String(input.field), input.value ?? null);
      return { stop: false };
    case 'split': {
      // The path is recorded as a step of its own (`<split>/a`, `/b`…): its gauges count each path.
      const branch = pickPath(`${input.enrollmentId}/${input.stepId}`, input.percents ?? []);
      await enterStep(deps, atStep, pathStepId(input.stepId, branch));
      return { stop: false, branch };
    }
    case 'createDeal':
      return { stop: false, ...(await createDealStep(deps, input, contact)) };
    case 'moveDeal':
      return { stop: false, ...(await moveDealStep(deps, await portsOf(ctx), input, contact)) };
    case 'notifyOwner':
      return { stop: false, ...(await notifyOwnerStep(await portsOf(ctx), ctx, input, contact)) };
    case 'webhook':
      return { stop: false, ...(await webhookStep(await portsOf(ctx), input, atStep, contact, now)) };
    case 'webhookFailed':
      return { stop: false, ...webhookFailedStep(await portsOf(ctx), input) };
    case 'waitForEvent': {
      if (!ctx.callbacks) throw new Error('a waitForEvent step needs task callbacks: none are wired');
      return { stop: false, ...(await waitForEventStep(deps, ctx.callbacks, input, atStep, contact)) };
    }
    case 'complete':
    case 'fail':
      throw new Error(`${input.action} is handled before a step acts`);
  }
}

/** Records (once) that the enrollment reached the step; returns the enrollment as it now is. */
async function enterStep(deps: AutomationDeps, enrollment: Enrollment, stepId: string): Promise<Enrollment> {
  if (enrollment.currentStep === stepId) return enrollment;
  try {
    await deps.store.commit([{ kind: 'enterStep', enrollment, stepId, at: deps.clock.now().toISOString() }]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    // A retry of this step recorded it the first time; or the enrollment moved meanwhile: look again.
    const now = await deps.store.getEnrollment(enrollment.contactId, enrollment.id);
    if (!now) throw err;
    return now.currentStep === stepId || now.status !== 'active' ? now : enterStep(deps, now, stepId);
  }
  return { ...enrollment, currentStep: stepId };
}

async function sendStepEmail(
  deps: AutomationDeps,
  ctx: StepContext,
  input: StepInput,
  enrollment: Enrollment,
  contact: Contact,
): Promise<StepResult> {
  // The send path is imported by the first email step a process runs, not by every step's cold start.
  const [template, { sendTrackedEmail }] = await Promise.all([
    deps.store.getTemplate(String(input.templateId)),
    import('#messaging/sender.js'),
  ]);
  if (!template) return stop(deps, enrollment, 'template_missing');
  const outcome = await sendTrackedEmail(deps, ctx, {
    contact,
    template,
    slot: { enrollmentId: enrollment.id, stepId: input.stepId },
    workflowId: input.workflowId,
    tags: { workflowId: input.workflowId, stepId: input.stepId },
    ...(input.subscriptionType ? { subscriptionType: input.subscriptionType } : {}),
    marketing: true,
  });
  // Over the frequency cap, or the contact left this email's type: this email is skipped, the
  // nurture goes on (as HubSpot does).
  if (
    outcome.status === 'blocked' &&
    (outcome.reason === 'frequency_cap' || outcome.reason === 'unsubscribed_from_type')
  ) {
    logger.info(`email skipped: ${outcome.reason}`, { enrollmentId: enrollment.id, stepId: input.stepId });
    return { stop: false };
  }
  if (outcome.status === 'blocked') return stop(deps, enrollment, outcome.reason);
  return { stop: false };
}

/** The condition for the contact; an email step's opens and clicks are this enrollment's sends'. */
function evaluate(deps: AutomationDeps, input: StepInput, contact: Contact, c: Condition): Promise<boolean> {
  return conditionHolds(contact, c, async (kind, step) => {
    const send = await deps.store.getSend(contact.id, input.enrollmentId, step);
    // A click counts as an open.
    return Boolean(kind === 'opened' ? send?.openedAt || send?.clickedAt : send?.clickedAt);
  });
}
