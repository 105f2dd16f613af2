/** The Lambda behind every Task state of every workflow state machine. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { sfnCallbacks } from '#automation/sfn-engine.js';
import type { StepPorts } from '#automation/step-ports.js';
import { runStepTask, type StepInput } from '#automation/steps.js';
import { automationStore } from '#automation/store-dynamo-composed.js';
import type { Mailer } from '#messaging/mailer.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { requireEnv } from '#platform/config.js';
import { lambdaHandler } from '#platform/lambda.js';
import { lazily } from '#platform/lazy.js';

const deps = depsOf(automationStore);
const publicUrl = requireEnv('PUBLIC_API_URL').replace(/\/$/, '');
const callbacks = sfnCallbacks();

const ACTIONS = [
  'enter',
  'schedule',
  'evaluate',
  'sendEmail',
  'addTag',
  'removeTag',
  'createTask',
  'split',
  'updateField',
  'createDeal',
  'moveDeal',
  'notifyOwner',
  'webhook',
  'webhookFailed',
  'waitForEvent',
  'complete',
  'fail',
] as const;

const inputSchema = z.lazy(() =>
  z.looseObject({
    action: z.enum(ACTIONS),
    stepId: z.string().check(z.minLength(1)),
    enrollmentId: z.string().check(z.minLength(1)),
    contactId: z.string().check(z.minLength(1)),
    workflowId: z.string().check(z.minLength(1)),
    version: z.int(),
    stopAs: z.optional(z.literal('error')),
    thenEnter: z.optional(z.string().check(z.minLength(1))),
    thenComplete: z.optional(z.boolean()),
    // Steps fused into this Task, and the waits its result's seconds cover (see compiler.ts).
    fused: z.optional(
      z.array(z.looseObject({ action: z.enum(ACTIONS), stepId: z.string().check(z.minLength(1)) })),
    ),
    waits: z.optional(
      z.array(
        z.union([
          z.object({ seconds: z.int().check(z.minimum(1)) }),
          z.object({
            time: z.string().check(z.regex(/^\d\d:\d\d$/)),
            timezone: z.string().check(z.minLength(1)),
          }),
        ]),
      ),
    ),
    percents: z.optional(z.array(z.int().check(z.minimum(1), z.maximum(99)))),
    attempt: z.optional(z.int().check(z.minimum(0))),
    taskToken: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    timeoutSeconds: z.optional(z.int().check(z.minimum(1))),
  }),
);

export const handler = lambdaHandler('workflow-step', async (event: unknown, context) => {
  // The SES mailer (and the shared send rate) is loaded by the first email this process sends.
  const mailer = lazily<Required<Mailer>>(() =>
    import('#app/email-context.js').then(({ countedMailer }) => countedMailer(context.metrics, 'workflow')),
  );
  // What deal, notice and webhook steps reach, loaded by the first of them this invocation runs.
  let loaded: Promise<StepPorts> | undefined;
  const ports = () => {
    loaded ??= import('#app/workflow-step-ports.js').then(({ stepPorts }) => stepPorts(context.metrics));
    return loaded;
  };
  const ctx = { mailer, signingSecret, publicUrl, scheduler, ports, callbacks };
  // An email SES rejected for good is counted (EmailRejected, alarmed) by the counted mailer.
  return runStepTask(deps, ctx, inputSchema.parse(event) as StepInput);
});
