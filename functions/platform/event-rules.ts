/**
 * The rule patterns of the event contract (events.ts): which events each consumer's rule takes. The
 * CDK rules, the local bus and the tests read them from here, so a rule is written once.
 */

import { type DetailType, EVENT_SOURCES } from './events.js';
import { DEFAULT_MACHINE_PREFIX } from './stage.js';

/** An EventBridge pattern on source and detail-type, and on the detail when a rule needs it. */
export interface EventPattern {
  source: readonly string[];
  'detail-type': readonly string[];
  detail?: Record<string, readonly unknown[]>;
}

/** Pattern of the archive rule: every Tendril event. Used by CDK (archive) and the local bus (event log). */
export const ALL_TENDRIL_EVENTS = { source: [{ prefix: 'tendril.' }] } as const;

/** Events that enroll contacts in workflows (the enroller's rule, in the cloud and locally). */
export const ENROLLMENT_TRIGGERS = {
  source: [
    EVENT_SOURCES.contacts,
    EVENT_SOURCES.forms,
    EVENT_SOURCES.segments,
    EVENT_SOURCES.commerce,
    EVENT_SOURCES.appointments,
    EVENT_SOURCES.scoring,
    EVENT_SOURCES.service,
    EVENT_SOURCES.sales,
    EVENT_SOURCES.email,
  ],
  'detail-type': [
    'ContactTagged',
    'ContactCreated',
    'ContactUpdated',
    'FormSubmitted',
    'SegmentEntered',
    'PurchaseMade',
    'AppointmentBooked',
    'ScoreChanged',
    'LifecycleStageChanged',
    'CaseCreated',
    'CaseStatusChanged',
    'CaseResolved',
    'DealStageChanged',
    'EmailEngaged',
    /** An email on an open case: a waitForEvent step waiting for a reply goes on. */
    'CaseMessageReceived',
  ],
  detail: {
    /** Not the events of an import that asked not to trigger automations. */
    silent: [{ exists: false }],
    /** Of email engagement, clicks only (no other trigger event has a `type`). */
    $or: [{ type: [{ exists: false }] }, { type: ['clicked'] }],
  },
} as const satisfies EventPattern;

/** Changes to a contact that can make it enter or leave a segment (its tags, fields, creation, engagement). */
export const SEGMENT_MEMBERSHIP_EVENTS = {
  source: [EVENT_SOURCES.contacts, EVENT_SOURCES.email, EVENT_SOURCES.segments],
  'detail-type': [
    'ContactCreated',
    'ContactUpdated',
    'ContactTagged',
    'ContactUntagged',
    'EmailEngaged',
    /** A segment's edit re-matches its members, its delete drops them (insights/segment-rematch.ts). */
    'SegmentChanged',
    'SegmentDeleted',
  ],
  /**
   * Not an import's own events (as the dashboard): a million-row import is not a million matchings.
   * Its contacts are matched when they next change (a bulk action enrolls them at once).
   */
  detail: { fromImport: [{ exists: false }] },
} as const satisfies EventPattern;

/** What contacts do that lead scoring and lifecycle stages follow (the scoring consumer's rule). */
export const SCORING_EVENTS = {
  source: [
    EVENT_SOURCES.contacts,
    EVENT_SOURCES.forms,
    EVENT_SOURCES.email,
    EVENT_SOURCES.sales,
    EVENT_SOURCES.commerce,
    EVENT_SOURCES.appointments,
    EVENT_SOURCES.tracking,
  ],
  'detail-type': [
    'EmailEngaged',
    'FormSubmitted',
    'ContactTagged',
    'AppointmentBooked',
    'PurchaseMade',
    'DealCreated',
    'DealStageChanged',
    'PageVisited',
    'EventTracked',
    'VisitorIdentified',
  ],
  /** Not an import's own events, nor those of one that asked not to trigger automations. */
  detail: { fromImport: [{ exists: false }], silent: [{ exists: false }] },
} as const satisfies EventPattern & { 'detail-type': DetailType[] };

/** Resolved cases: the CSAT survey consumer's rule (case-surveys). */
export const CASE_SURVEY_EVENTS = {
  source: [EVENT_SOURCES.service],
  'detail-type': ['CaseResolved'],
} as const satisfies EventPattern & { 'detail-type': DetailType[] };

/** Form submissions: the support-form consumer's rule (case-forms; it opens a case for a support form's). */
export const CASE_FORM_EVENTS = {
  source: [EVENT_SOURCES.forms],
  'detail-type': ['FormSubmitted'],
} as const satisfies EventPattern & { 'detail-type': DetailType[] };

/**
 * Contacts created, updated (a new email) and deleted, deals created, given another contact and
 * deleted, and companies created, updated and deleted: the companies consumer's rule (companies; it
 * associates contacts with companies by email domain, keeps the index of each contact's deals and
 * removes a deleted deal's links).
 */
export const COMPANY_EVENTS = {
  source: [EVENT_SOURCES.contacts, EVENT_SOURCES.sales, EVENT_SOURCES.companies],
  'detail-type': [
    'ContactCreated',
    'ContactUpdated',
    'ContactDeleted',
    'DealCreated',
    'DealUpdated',
    'DealDeleted',
    'CompanyCreated',
    'CompanyUpdated',
    'CompanyDeleted',
  ],
} as const satisfies EventPattern & { 'detail-type': DetailType[] };

/**
 * The companies function's rule: COMPANY_EVENTS, and what the search index it also keeps follows
 * (docs/search.md): a contact's company changed, the events of writes that may fill a contact's blank
 * names or phone, and an import that updated contacts.
 */
export const COMPANY_AND_SEARCH_EVENTS = {
  source: [
    ...COMPANY_EVENTS.source,
    EVENT_SOURCES.forms,
    EVENT_SOURCES.commerce,
    EVENT_SOURCES.appointments,
    EVENT_SOURCES.service,
    EVENT_SOURCES.imports,
  ],
  'detail-type': [
    ...COMPANY_EVENTS['detail-type'],
    'ContactCompanyChanged',
    'FormSubmitted',
    'PurchaseMade',
    'AppointmentBooked',
    'CaseCreated',
    'ImportCompleted',
  ],
} as const satisfies EventPattern & { 'detail-type': DetailType[] };

/**
 * The events a subscription may take: every business event (not the commands the engines send
 * themselves, ImportStarted and BulkActionStarted).
 */
export const WEBHOOK_EVENT_TYPES = [
  'ContactCreated',
  'ContactUpdated',
  'ContactDeleted',
  'ContactTagged',
  'ContactUntagged',
  'ActivityRecorded',
  'ContactUnsubscribed',
  'ContactResubscribed',
  'ContactSuppressed',
  'FormSubmitted',
  'FormSubmissionDropped',
  'PurchaseMade',
  'AppointmentBooked',
  'AppointmentRescheduled',
  'AppointmentClosed',
  'WorkflowPublished',
  'ContactEnrolled',
  'EnrollmentEnded',
  'TaskCreated',
  'TaskCompleted',
  'TaskDue',
  'FollowUpScheduled',
  'FollowUpClosed',
  'PipelineCreated',
  'PipelineUpdated',
  'DealCreated',
  'DealStageChanged',
  'DealUpdated',
  'DealDeleted',
  'EmailSent',
  'EmailEngaged',
  'EmailLinkClicked',
  'ImportCompleted',
  'BulkActionCompleted',
  'SegmentEntered',
  'SegmentLeft',
  'ScoreChanged',
  'LifecycleStageChanged',
  'PageVisited',
  'EventTracked',
  'VisitorIdentified',
] as const satisfies readonly DetailType[];

/**
 * Events the webhook fan-out reads: every type a subscription may take, on Tendril's bus. Not an
 * import's own contact events (a million-row import is not a million deliveries per subscriber;
 * ImportCompleted reports it).
 */
export const WEBHOOK_EVENTS = {
  source: Object.values(EVENT_SOURCES),
  'detail-type': [...WEBHOOK_EVENT_TYPES],
  detail: { fromImport: [{ exists: false }] },
} as const satisfies EventPattern;

/** Events that start a bulk action's planner. */
export const BULK_ACTION_STARTED = {
  source: [EVENT_SOURCES.bulk],
  'detail-type': ['BulkActionStarted'],
} as const satisfies EventPattern;

/** Events that start an import's planner. */
export const IMPORT_STARTED = {
  source: [EVENT_SOURCES.imports],
  'detail-type': ['ImportStarted'],
} as const satisfies EventPattern;

/** Events the dashboard projection counts (its rule, in the cloud and locally). */
export const DASHBOARD_EVENTS = {
  source: [
    EVENT_SOURCES.imports,
    EVENT_SOURCES.contacts,
    EVENT_SOURCES.forms,
    EVENT_SOURCES.email,
    EVENT_SOURCES.sales,
    EVENT_SOURCES.tasks,
    EVENT_SOURCES.commerce,
    EVENT_SOURCES.scoring,
    EVENT_SOURCES.service,
  ],
  'detail-type': [
    'ContactCreated',
    'FormSubmitted',
    'FormSubmissionDropped',
    'ContactDeleted',
    'ContactTagged',
    'ContactUntagged',
    'EmailSent',
    'EmailEngaged',
    'EmailLinkClicked',
    'ContactSuppressed',
    'ContactUnsubscribed',
    'DealCreated',
    'DealStageChanged',
    'DealUpdated',
    'DealDeleted',
    'FollowUpScheduled',
    'FollowUpClosed',
    'ImportCompleted',
    'PurchaseMade',
    'LifecycleStageChanged',
    // Customer service metrics (insights/service-metrics.ts).
    'CaseCreated',
    'CaseReplied',
    'CaseStatusChanged',
    'CaseResolved',
    'CaseAssigned',
    'CaseSlaBreached',
    'CaseRated',
  ],
  /** An import's contacts are counted from its ImportCompleted, not one event each. */
  detail: { fromImport: [{ exists: false }] },
} as const satisfies EventPattern & { 'detail-type': DetailType[] };

/** SES events the email-events consumer handles (SES publishes them to the default bus). */
export const SES_ENGAGEMENT_EVENTS = {
  source: ['aws.ses'],
  'detail-type': ['Email Bounced', 'Email Complaint Received', 'Email Opened', 'Email Clicked'],
} as const;

/**
 * Executions of workflow state machines that ended without their own last step (failed, timed out,
 * stopped): Step Functions publishes these to the default bus; the execution-events consumer closes
 * the enrollment. (The local Step Functions emulation publishes the same events to the local bus.)
 */
export const workflowExecutionsEnded = (machinePrefix: string) =>
  ({
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: {
      status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
      stateMachineArn: [{ wildcard: `arn:*:states:*:*:stateMachine:${machinePrefix}*` }],
    },
  }) as const satisfies EventPattern;

/** The pattern of a stack without a stage and of the local CRM (a stage's stack uses its own prefix). */
export const WORKFLOW_EXECUTIONS_ENDED = workflowExecutionsEnded(DEFAULT_MACHINE_PREFIX);

/** Stream filter used by the outbox publisher (CDK event-source filter and the local stream poller). */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { PK: { S: [{ prefix: 'OUTBOX#' }] } } },
} as const;
