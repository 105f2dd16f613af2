/**
 * A workflow's `webhook` step: a POST of the contact and the enrollment to one of the workspace's
 * webhook subscriptions (Settings → Webhooks), with the webhooks context's envelope, headers and
 * signature (`Tendril-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
 * subscription's secret; see webhooks/delivery.ts), through the same guarded POST (https; private
 * addresses only in local mode). The event id is the enrollment and step, the same on every attempt,
 * so a receiver can drop a duplicate.
 *
 * An answer other than 2xx (or none) fails the Task with `Tendril.WebhookFailed`: the state machine
 * retries it (compiler.ts WEBHOOK_RETRY), then sends the enrollment to `<step>/failed`, whose Task
 * counts `WebhookFailed` (alarmed) and records that step on the enrollment's path; the enrollment
 * then goes on with the next step. A subscription deleted or disabled: skipped.
 */
import type { Contact } from '#contacts/model.js';
import { logger } from '#platform/logger.js';
import { eventBody, signature } from '#webhooks/delivery.js';
import { WEBHOOK_ERROR } from './compiler.js';
import type { Enrollment } from './model.js';
import type { StepPorts } from './step-ports.js';

/** The event type a workflow's POST carries (`Tendril-Event-Type`, and `type` in the body). */
export const WORKFLOW_WEBHOOK_TYPE = 'WorkflowWebhook';

/** The Task's error for a POST not answered 2xx: retried by the state machine, then caught. */
export class WebhookFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = WEBHOOK_ERROR;
  }
}

export interface WebhookInput {
  stepId: string;
  workflowId: string;
  version: number;
  webhookId?: string | undefined;
  /** Step Functions' retry count of this Task (0 on the first attempt). */
  attempt?: number | undefined;
}

/** The body: the webhooks' envelope, with the workflow, the enrollment and the contact as data. */
export function workflowWebhookBody(
  input: WebhookInput,
  enrollment: Enrollment,
  contact: Contact,
  at: Date,
): string {
  return eventBody({
    id: `${enrollment.id}.${input.stepId}`,
    type: WORKFLOW_WEBHOOK_TYPE,
    source: 'tendril.automation',
    occurredAt: at.toISOString(),
    data: {
      workflowId: input.workflowId,
      version: input.version,
      stepId: input.stepId,
      enrollment: { id: enrollment.id, enrolledAt: enrollment.enrolledAt },
      contact: {
        id: contact.id,
        email: contact.email,
        firstName: contact.firstName,
        lastName: contact.lastName,
        company: contact.company,
        phone: contact.phone,
        owner: contact.owner,
        tags: contact.tags,
        fields: contact.fields,
      },
    },
  });
}

export async function webhookStep(
  ports: Pick<StepPorts, 'getWebhook' | 'poster'>,
  input: WebhookInput,
  enrollment: Enrollment,
  contact: Contact,
  now: Date,
): Promise<{ outcome: string }> {
  const found = await ports.getWebhook(String(input.webhookId));
  if (!found) return { outcome: 'skipped: the webhook was deleted' };
  if (!found.webhook.enabled) return { outcome: 'skipped: the webhook is disabled' };
  const body = workflowWebhookBody(input, enrollment, contact, now);
  const result = await ports.poster.post(found.webhook.url, body, {
    'content-type': 'application/json',
    'user-agent': 'Tendril-Webhooks/1',
    'tendril-event-id': `${enrollment.id}.${input.stepId}`,
    'tendril-event-type': WORKFLOW_WEBHOOK_TYPE,
    'tendril-delivery-attempt': String((input.attempt ?? 0) + 1),
    'tendril-signature': signature(found.secret, body, now),
  });
  if ('status' in result && result.status >= 200 && result.status < 300) return { outcome: 'delivered' };
  const why = 'status' in result ? `answered ${result.status}` : result.error;
  logger.warn('workflow webhook not delivered', { enrollmentId: enrollment.id, stepId: input.stepId, why });
  throw new WebhookFailed(`POST to webhook ${found.webhook.id} ${why}`);
}

/** After the last retry: counted (alarmed) and logged; the path records `<step>/failed`. */
export function webhookFailedStep(
  ports: Pick<StepPorts, 'count'>,
  input: { stepId: string; enrollmentId: string; error?: unknown },
): { outcome: string } {
  ports.count('WebhookFailed');
  logger.error('workflow webhook failed after its retries', {
    enrollmentId: input.enrollmentId,
    stepId: input.stepId,
    error: JSON.stringify(input.error ?? null).slice(0, 500),
  });
  return { outcome: 'failed' };
}
