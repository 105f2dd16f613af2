/**
 * The workflow language: a JSON document validated with zod. See docs/workflows.md.
 * Steps run in order; `if` branches nest; every step has a stable id (it names the compiled states).
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { type FieldOperator, fieldComparisonSchema } from '#contacts/fields.js';
import { CONTACT_PROPERTIES, type FieldValue } from '#contacts/model.js';
import { SUBSCRIPTION_TYPE_ID } from '#messaging/model.js';
import { fieldKeySchema, fieldValueSchema, shortText, tagSchema } from '#platform/values.js';
import { triggerSchema, ulid } from './triggers.js';

export const STEP_ID = /^[a-z][a-z0-9-]{0,39}$/;
const stepId = z.lazy(() =>
  z
    .string()
    .check(z.regex(STEP_ID, 'must be lower-case letters, digits and -, starting with a letter (max 40)')),
);

/** ISO-8601 duration limited to days/hours/minutes/seconds (weeks allowed): P2D, PT12H, P1W, P1DT6H. */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
export function durationSeconds(iso: string): number | undefined {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
}
const MAX_WAIT_SECONDS = 365 * 24 * 3600;
export const durationSchema = z.lazy(() =>
  z.string().check(
    z.refine((v) => {
      const s = durationSeconds(v);
      return s !== undefined && s > 0 && s <= MAX_WAIT_SECONDS;
    }, 'must be an ISO-8601 duration such as P2D, PT12H or P1DT6H, between 1 second and 1 year'),
  ),
);

export const timezoneSchema = z.lazy(() =>
  z.string().check(
    z.refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin'),
  ),
);

export type Condition =
  | { hasTag: string }
  | {
      field: string;
      op: FieldOperator;
      value?: FieldValue | undefined;
    }
  | { emailOpened: { step: string } }
  | { emailClicked: { step: string } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodMiniType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ hasTag: tagSchema }),
    fieldComparisonSchema,
    z.strictObject({ emailOpened: z.strictObject({ step: stepId }) }),
    z.strictObject({ emailClicked: z.strictObject({ step: stepId }) }),
    z.strictObject({ all: z.array(conditionSchema).check(z.minLength(1), z.maxLength(10)) }),
    z.strictObject({ any: z.array(conditionSchema).check(z.minLength(1), z.maxLength(10)) }),
    z.strictObject({ not: conditionSchema }),
  ]),
) as z.ZodMiniType<Condition>;

export type Step =
  | { id: string; type: 'sendEmail'; templateId: string; subscriptionType?: string }
  | { id: string; type: 'wait'; duration: string }
  | { id: string; type: 'waitUntil'; time: string; timezone: 'contact' | 'workflow' }
  | { id: string; type: 'if'; condition: Condition; then: Step[]; else: Step[] }
  | { id: string; type: 'split'; branches: SplitBranch[] }
  | { id: string; type: 'addTag'; tag: string }
  | { id: string; type: 'removeTag'; tag: string }
  | { id: string; type: 'createTask'; title: string; dueIn: string; owner?: string }
  | { id: string; type: 'updateField'; field: string; value: FieldValue | null }
  | {
      id: string;
      type: 'createDeal';
      pipelineId: string;
      stage: string;
      name?: string;
      amount?: number;
      currency?: string;
    }
  | { id: string; type: 'moveDeal'; pipelineId: string; stage: string }
  | { id: string; type: 'notifyOwner'; subject: string; message: string }
  | { id: string; type: 'webhook'; webhookId: string }
  | { id: string; type: 'waitForEvent'; event: WaitEvent; timeout: string }
  | { id: string; type: 'exit' };

/** What a waitForEvent step waits for: a click in an earlier email, an email from the contact, a tag. */
export type WaitEvent =
  | { type: 'emailClicked'; step: string }
  | { type: 'emailReplied' }
  | { type: 'tagAdded'; tag: string };

/** One path of a random split: this share of enrollments (a whole percentage) takes it. */
export interface SplitBranch {
  percent: number;
  steps: Step[];
}

export const stepSchema: z.ZodMiniType<Step> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({
      id: stepId,
      type: z.literal('sendEmail'),
      templateId: ulid,
      /** The email's subscription type (email settings): a contact who left it is skipped. */
      subscriptionType: z.optional(
        z.string().check(z.regex(SUBSCRIPTION_TYPE_ID, 'is not a subscription type id')),
      ),
    }),
    z.strictObject({ id: stepId, type: z.literal('wait'), duration: durationSchema }),
    z.strictObject({
      id: stepId,
      type: z.literal('waitUntil'),
      time: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')),
      timezone: z._default(z.enum(['contact', 'workflow']), 'workflow'),
    }),
    z.strictObject({
      id: stepId,
      type: z.literal('if'),
      condition: conditionSchema,
      // `then`/`else` are the language's branch names (biome.json turns noThenProperty off for workflow files).
      then: z._default(z.array(stepSchema).check(z.maxLength(50)), []),
      else: z._default(z.array(stepSchema).check(z.maxLength(50)), []),
    }),
    z.strictObject({
      id: stepId,
      type: z.literal('split'),
      /** Paths A, B, … in order; each enrollment takes one at random, by the paths' percentages. */
      branches: z
        .array(
          z.strictObject({
            percent: z.int().check(z.minimum(1), z.maximum(99)),
            steps: z._default(z.array(stepSchema).check(z.maxLength(50)), []),
          }),
        )
        .check(
          z.minLength(2),
          z.maxLength(5),
          z.refine(
            (branches) => branches.reduce((sum, b) => sum + b.percent, 0) === 100,
            'the paths’ percentages must add up to 100',
          ),
        ),
    }),
    z.strictObject({ id: stepId, type: z.literal('addTag'), tag: tagSchema }),
    z.strictObject({ id: stepId, type: z.literal('removeTag'), tag: tagSchema }),
    z.strictObject({
      id: stepId,
      type: z.literal('createTask'),
      title: shortText(200),
      dueIn: durationSchema,
      /** Who gets the task; without it, the contact's owner (none: unassigned). */
      owner: z.optional(shortText(200)),
    }),
    z.strictObject({
      id: stepId,
      type: z.literal('updateField'),
      /** A text property (firstName, lastName, phone, company, source) or a custom field's key. */
      field: fieldKeySchema,
      /** The value to set (a property takes text); null clears it. */
      value: z.nullable(fieldValueSchema),
    }),
    z.strictObject({
      id: stepId,
      type: z.literal('createDeal'),
      pipelineId: ulid,
      stage: shortText(100),
      /** The deal's title, with merge fields (`{{ contact.company }}`); default "<contact's name or email>". */
      name: z.optional(shortText(200)),
      amount: z.optional(
        z.number().check(
          z.minimum(0),
          z.maximum(1e12),
          z.refine((n) => Math.round(n * 100) / 100 === n, 'at most two decimals'),
        ),
      ),
      currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'))),
    }),
    z.strictObject({ id: stepId, type: z.literal('moveDeal'), pipelineId: ulid, stage: shortText(100) }),
    z.strictObject({
      id: stepId,
      type: z.literal('notifyOwner'),
      /** Plain text with merge fields (`{{ contact.email }}`), as templates have. */
      subject: shortText(200),
      message: shortText(5000),
    }),
    /** POSTs the contact and enrollment, signed, to one of the workspace's webhook subscriptions. */
    z.strictObject({ id: stepId, type: z.literal('webhook'), webhookId: ulid }),
    /** Waits until the event happens (or has happened during this enrollment), at most `timeout`; then goes on. */
    z.strictObject({
      id: stepId,
      type: z.literal('waitForEvent'),
      event: z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('emailClicked'), step: stepId }),
        z.strictObject({ type: z.literal('emailReplied') }),
        z.strictObject({ type: z.literal('tagAdded'), tag: tagSchema }),
      ]),
      timeout: durationSchema,
    }),
    z.strictObject({ id: stepId, type: z.literal('exit') }),
  ]),
) as z.ZodMiniType<Step>;

/** The contact properties a workflow may set or watch (the others are the workspace's people's to set). */
export const WORKFLOW_PROPERTIES = ['firstName', 'lastName', 'phone', 'company', 'source'] as const;
export const isWorkflowProperty = (field: string): field is (typeof WORKFLOW_PROPERTIES)[number] =>
  (WORKFLOW_PROPERTIES as readonly string[]).includes(field);
/** Whether `field` names a property of the contact (its email included) rather than a custom field. */
export const isContactProperty = (field: string): boolean =>
  field === 'email' || (CONTACT_PROPERTIES as readonly string[]).includes(field);
/** How ContactUpdated names a changed field: `firstName`, `fields.plan`. */
export const changedName = (field: string): string => (isContactProperty(field) ? field : `fields.${field}`);

export const workflowDefinitionSchema = z.lazy(() =>
  z
    .strictObject({
      name: shortText(200),
      timezone: z._default(timezoneSchema, 'UTC'),
      trigger: triggerSchema,
      /** Reaching it ends the enrollment: the contact has the tag, or wrote to the workspace by email since it started. */
      goal: z.optional(
        z.discriminatedUnion('type', [
          z.strictObject({ type: z.literal('tagAdded'), tag: tagSchema }),
          z.strictObject({ type: z.literal('emailReplied') }),
          /** Any condition on the contact (tags, fields), checked before each step. */
          z.strictObject({ type: z.literal('condition'), condition: conditionSchema }),
        ]),
      ),
      reenrollment: z._default(z.enum(['never', 'afterExit']), 'never'),
      steps: z.array(stepSchema).check(z.minLength(1), z.maxLength(50)),
    })
    .check(
      z.superRefine((wf, ctx) => {
        const seen = new Map<string, Step>();
        let count = 0;
        const walk = (steps: Step[], path: (string | number)[], depth: number, emailsBefore: Set<string>) => {
          const emails = new Set(emailsBefore);
          steps.forEach((step, i) => {
            const at = [...path, i];
            count++;
            if (seen.has(step.id))
              ctx.addIssue({
                code: 'custom',
                path: [...at, 'id'],
                message: `step id ${step.id} is used twice`,
              });
            seen.set(step.id, step);
            if (step.type === 'if') {
              if (depth >= 5)
                ctx.addIssue({ code: 'custom', path: at, message: 'if steps nest at most 5 deep' });
              for (const ref of conditionStepRefs(step.condition)) {
                if (!emails.has(ref)) {
                  ctx.addIssue({
                    code: 'custom',
                    path: [...at, 'condition'],
                    message: `step ${ref} is not a sendEmail step before this one`,
                  });
                }
              }
              walk(step.then, [...at, 'then'], depth + 1, emails);
              walk(step.else, [...at, 'else'], depth + 1, emails);
            }
            if (step.type === 'split') {
              if (depth >= 5)
                ctx.addIssue({ code: 'custom', path: at, message: 'branching steps nest at most 5 deep' });
              step.branches.forEach((b, j) => {
                walk(b.steps, [...at, 'branches', j, 'steps'], depth + 1, emails);
              });
            }
            if (
              step.type === 'waitForEvent' &&
              step.event.type === 'emailClicked' &&
              !emails.has(step.event.step)
            )
              ctx.addIssue({
                code: 'custom',
                path: [...at, 'event', 'step'],
                message: `step ${step.event.step} is not a sendEmail step before this one`,
              });
            if (step.type === 'sendEmail') emails.add(step.id);
            if (step.type === 'updateField') {
              if (isContactProperty(step.field) && !isWorkflowProperty(step.field))
                ctx.addIssue({
                  code: 'custom',
                  path: [...at, 'field'],
                  message: `a workflow cannot set ${step.field} (it may set ${WORKFLOW_PROPERTIES.join(', ')} and custom fields)`,
                });
              else if (
                isWorkflowProperty(step.field) &&
                typeof step.value !== 'string' &&
                step.value !== null
              )
                ctx.addIssue({ code: 'custom', path: [...at, 'value'], message: `${step.field} takes text` });
            }
          });
        };
        walk(wf.steps, ['steps'], 0, new Set());
        if (wf.goal?.type === 'condition' && conditionStepRefs(wf.goal.condition).length > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['goal', 'condition'],
            message: 'a goal is checked before any email is sent: it can test tags and fields, not emails',
          });
        if (count > 100)
          ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a workflow has at most 100 steps' });
        const longest = longestWaitSeconds(wf.steps);
        if (longest > MAX_TOTAL_WAIT_SECONDS) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps'],
            message: `the waits on the longest path add up to ${Math.ceil(longest / 86_400)} days; an enrollment may wait at most ${MAX_TOTAL_WAIT_SECONDS / 86_400} days in all (a workflow execution lasts at most a year)`,
          });
        }
      }),
    ),
);

export type WorkflowDefinition = z.output<typeof workflowDefinitionSchema>;

/** Step Functions ends a standard execution after one year: the waits must fit well inside it. */
export const MAX_TOTAL_WAIT_SECONDS = 360 * 86_400;

/** The most an enrollment can wait in all: waits (and waitForEvent timeouts) in sequence, the longer branch of each if, a day per waitUntil. */
export function longestWaitSeconds(steps: Step[]): number {
  let total = 0;
  for (const step of steps) {
    if (step.type === 'wait') total += durationSeconds(step.duration) ?? 0;
    else if (step.type === 'waitForEvent') total += durationSeconds(step.timeout) ?? 0;
    else if (step.type === 'waitUntil') total += 86_400;
    else if (step.type === 'if')
      total += Math.max(longestWaitSeconds(step.then), longestWaitSeconds(step.else));
    else if (step.type === 'split')
      total += Math.max(...step.branches.map((b) => longestWaitSeconds(b.steps)));
  }
  return total;
}

export function conditionStepRefs(c: Condition): string[] {
  if ('emailOpened' in c) return [c.emailOpened.step];
  if ('emailClicked' in c) return [c.emailClicked.step];
  if ('all' in c) return c.all.flatMap(conditionStepRefs);
  if ('any' in c) return c.any.flatMap(conditionStepRefs);
  if ('not' in c) return conditionStepRefs(c.not);
  return [];
}

/** Every step of a definition, depth first, with the JSON path it was declared at. */
export function allSteps(
  steps: Step[],
  path: (string | number)[] = ['steps'],
): Array<{ step: Step; path: (string | number)[] }> {
  return steps.flatMap((step, i) => [
    { step, path: [...path, i] },
    ...(step.type === 'if'
      ? [...allSteps(step.then, [...path, i, 'then']), ...allSteps(step.else, [...path, i, 'else'])]
      : []),
    ...(step.type === 'split'
      ? step.branches.flatMap((b, j) => allSteps(b.steps, [...path, i, 'branches', j, 'steps']))
      : []),
  ]);
}
