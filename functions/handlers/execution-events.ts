/**
 * Default-bus target for "Step Functions Execution Status Change" of workflow state machines that
 * failed, timed out or were stopped: the enrollment is closed as failed (its gauges leave the step).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { depsOf } from '#app/runtime.js';
import { closeEnrollmentOfExecution } from '#automation/enrollment.js';
import { automationStore } from '#automation/store-dynamo-composed.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(automationStore);

const detailSchema = z.lazy(() =>
  z.object({
    name: z.string(),
    status: z.string(),
    input: z.pipe(
      z.string(),
      z.transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: 'input is not JSON', input: text });
          return z.NEVER;
        }
      }),
    ),
  }),
);
const inputSchema = z.lazy(() => z.object({ enrollmentId: z.string(), contactId: z.string() }));

export const handler = lambdaHandler(
  'execution-events',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const detail = detailSchema.safeParse(event.detail);
    const input = detail.success ? inputSchema.safeParse(detail.data.input) : undefined;
    if (!detail.success || !input?.success) {
      // Not an execution Tendril started (or its input was too large to be included): nothing to close.
      logger.warn('execution status change without an enrollment', {
        detail: JSON.stringify(event.detail).slice(0, 500),
      });
      return { outcome: 'ignored' };
    }
    const outcome = await closeEnrollmentOfExecution(deps, { status: detail.data.status, input: input.data });
    if (outcome === 'closed') {
      logger.error('workflow execution ended abnormally; enrollment closed', {
        execution: detail.data.name,
        status: detail.data.status,
        ...input.data,
      });
      context.metrics.count('EnrollmentFailed', 1);
    }
    return { outcome };
  },
);
