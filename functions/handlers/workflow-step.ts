/** The Lambda behind every Task state of every workflow state machine. */
import * as z from 'zod/mini';
import '../core/zod-messages.js';
import { runStep, type StepInput, type StepResult } from '../core/workflow-steps.js';
import { emailContext } from '../shared/email-context.js';
import { deps } from '../shared/runtime.js';
import { scheduler } from '../shared/scheduler-config.js';

const ctx = { ...emailContext, scheduler };

const inputSchema = z.looseObject({
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
  stepId: z.string().check(z.minLength(1)),
  enrollmentId: z.string().check(z.minLength(1)),
  contactId: z.string().check(z.minLength(1)),
  workflowId: z.string().check(z.minLength(1)),
  version: z.int(),
});

export async function handler(event: unknown): Promise<StepResult> {
  return runStep(deps, ctx, inputSchema.parse(event) as StepInput);
}
