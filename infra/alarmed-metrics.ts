import type { AlarmedMetric } from './constructs/operations.js';

/** Metrics whose every occurrence means something was lost, failed or had to be repaired. */
export const ALARMED_METRICS: AlarmedMetric[] = [
  {
    name: 'EmailRejected',
    handler: 'workflow-step',
    dimensions: { via: 'workflow' },
    description: 'SES rejected a workflow email for good (sender not verified, sandbox, access denied).',
  },
  {
    name: 'EmailRejected',
    handler: 'scheduled-action',
    dimensions: { via: 'follow-up' },
    description: 'SES rejected a follow-up for good.',
  },
  {
    name: 'EmailRejected',
    handler: 'campaign-chunks',
    dimensions: { via: 'campaign' },
    description: 'SES rejected a campaign email for good.',
  },
  {
    name: 'EmailRejected',
    handler: 'reconciler',
    dimensions: { via: 'follow-up' },
    description: 'SES rejected a follow-up the reconciler sent again, for good.',
  },
  {
    name: 'EmailRejected',
    handler: 'inbound-email',
    dimensions: { via: 'inbound-email' },
    description: 'SES rejected the acknowledgement of a new case for good.',
  },
  {
    name: 'EmailRejected',
    handler: 'case-surveys',
    dimensions: { via: 'case-surveys' },
    description: 'SES rejected the CSAT survey of a resolved case for good.',
  },
  {
    id: 'EmailRejectedCaseSla',
    name: 'EmailRejected',
    handler: 'scheduled-action',
    dimensions: { via: 'case-sla' },
    description:
      'SES rejected the notification of a missed SLA for good (the breach is recorded all the same).',
  },
  {
    id: 'EmailRejectedTaskNotice',
    name: 'EmailRejected',
    handler: 'scheduled-action',
    dimensions: { via: 'task-notice' },
    description:
      "SES rejected a task's email to its owner for good (assigned to them, or due); recorded as rejected, not retried.",
  },
  {
    name: 'InboundDropped',
    handler: 'inbound-email',
    description:
      'An inbound email was dropped: it came from Tendril’s own address (a mail loop) or SES found a virus in it.',
  },
  {
    name: 'ImportFailed',
    handler: 'import-planner',
    description: 'An import job failed (its file could not be read or planned).',
  },
  {
    name: 'EnrollmentFailed',
    handler: 'execution-events',
    description:
      'A workflow execution failed, timed out or was stopped; its enrollment was closed as failed.',
  },
  {
    name: 'Reconciled',
    handler: 'reconciler',
    description:
      'The reconciler had to start an execution, close an enrollment or resend a follow-up a crash left behind.',
  },
  {
    name: 'WebhookDisabled',
    handler: 'webhook-deliveries',
    description:
      'A webhook subscription failed every attempt for a day and was disabled: its deliveries stop until a user enables it (Settings → Webhooks).',
  },
  {
    name: 'WebhookFailed',
    handler: 'workflow-step',
    description:
      "A workflow's webhook step was not answered 2xx after its retries: recorded on the enrollment's path (<step>/failed), which went on.",
  },
];
