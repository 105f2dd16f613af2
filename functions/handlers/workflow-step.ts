/** The Lambda behind every Task state of every workflow state machine. */
import * as z from 'zod';
import { runStep, type StepInput, type StepResult } from '../core/workflow-steps.js';
import { requireEnv } from '../shared/config.js';
import { deps } from '../shared/runtime.js';
import { sesMailer } from '../shared/ses-mailer.js';
import { signingSecret } from '../shared/signing-secret.js';

const ctx = {
  mailer: sesMailer({
    from: requireEnv('SENDER_EMAIL'),
    configurationSet: requireEnv('SES_CONFIGURATION_SET'),
  }),
  signingSecret,
  publicUrl: requireEnv('PUBLIC_API_URL').replace(/\/$/, ''),
};

const inputSchema = z
  .object({
    action: z.enum([
      'enter',
      'schedule',
      'evaluate',
      'sendEmail',
      'addTag',
      'removeTag',
      'createTask',
      'complete',
      'fail',
    ]),
    stepId: z.string().min(1),
    enrollmentId: z.string().min(1),
    contactId: z.string().min(1),
    workflowId: z.string().min(1),
    version: z.number().int(),
  })
  .loose();

export async function handler(event: unknown): Promise<StepResult> {
  return runStep(deps, ctx, inputSchema.parse(event) as StepInput);
}
