/**
 * The one list of Tendril's Lambda functions: what invokes each, what it may touch, and so which
 * environment it gets. The CDK stack builds functions, grants and triggers from it; local mode loads
 * the same handler modules and wires the same triggers; the tests walk it. Each function's code is
 * `functions/handlers/<name>.ts`.
 */

import { CAPABILITY_ENV, type Capability, type EnvName, TABLE_ACTIONS } from './capabilities.js';
import {
  BULK_ACTION_STARTED,
  CASE_FORM_EVENTS,
  CASE_SURVEY_EVENTS,
  COMPANY_AND_SEARCH_EVENTS,
  DASHBOARD_EVENTS,
  ENROLLMENT_TRIGGERS,
  IMPORT_STARTED,
  OUTBOX_STREAM_FILTER,
  SCORING_EVENTS,
  SEGMENT_MEMBERSHIP_EVENTS,
  SES_ENGAGEMENT_EVENTS,
  WEBHOOK_EVENTS,
  WORKFLOW_EXECUTIONS_ENDED,
} from './event-rules.js';
import type { Trigger } from './triggers.js';

export { CAPABILITY_ENV, type Capability, ENV_NAMES, type EnvName } from './capabilities.js';

export type { Trigger } from './triggers.js';

export interface FunctionSpec {
  /** CDK construct id (kept stable: it names the deployed function and its log group). */
  construct: string;
  trigger: Trigger;
  uses: readonly Capability[];
  timeoutSeconds?: number;
  memoryMb?: number;
}

const http = { kind: 'http' } as const;

export const FUNCTIONS = {
  // Deleting a contact erases its partition (batch deletes); removing a tag deletes its item.
  // And owners checked against the users directory.
  'contacts-api': {
    construct: 'ContactsApi',
    trigger: http,
    uses: ['table:delete', 'table:load', 'user-directory'],
  },
  'contacts-io': {
    construct: 'ContactsIo',
    trigger: http,
    uses: ['table:write'],
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  'forms-api': { construct: 'FormsApi', trigger: http, uses: ['table:write'] },
  'imports-api': { construct: 'ImportsApi', trigger: http, uses: ['table:write', 'files'] },
  'import-planner': {
    construct: 'ImportPlanner',
    trigger: {
      kind: 'rule',
      rule: 'PlanImportOnStart',
      deadLetters: 'ImportPlannerDeadLetters',
      bus: 'tendril',
      pattern: IMPORT_STARTED,
    },
    uses: ['table:write', 'files', 'chunk-queue'],
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  'bulk-api': { construct: 'BulkApi', trigger: http, uses: ['table:write', 'files'] },
  'campaigns-api': { construct: 'CampaignsApi', trigger: http, uses: ['table:write', 'schedules'] },
  'bulk-planner': {
    construct: 'BulkPlanner',
    trigger: {
      kind: 'rule',
      rule: 'PlanBulkOnStart',
      deadLetters: 'BulkPlannerDeadLetters',
      bus: 'tendril',
      pattern: BULK_ACTION_STARTED,
    },
    // A campaign's chunks go to the campaign queue, every other action's to the chunk queue.
    uses: ['table:write', 'chunk-queue', 'campaign-queue', 'files'],
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  'job-chunks': {
    construct: 'JobChunks',
    trigger: {
      kind: 'queue',
      queue: 'JobChunkQueue',
      deadLetters: 'JobChunkDeadLetters',
      batchSize: 1,
      maxConcurrency: 10,
      maxReceives: 5,
    },
    // Bulk enrollments start executions; a paused job's chunk goes back on the queue, and a campaign's
    // chunk found here (queued before campaigns had their own queue) is moved to the campaign queue.
    // Bulk untag and delete; an import's row errors are batch-written.
    uses: ['table:delete', 'table:load', 'start-workflows', 'chunk-queue', 'campaign-queue'],
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  'campaign-chunks': {
    construct: 'CampaignChunks',
    trigger: {
      kind: 'queue',
      queue: 'CampaignChunkQueue',
      deadLetters: 'CampaignChunkDeadLetters',
      batchSize: 1,
      maxConcurrency: 10,
      maxReceives: 5,
    },
    // Sends a campaign's chunk; a paused campaign's chunk goes back on its queue; a local-time
    // campaign's contacts whose time has not come go into waves, each with a one-time schedule.
    // A send slot is released (deleted) when SES refuses a send; the bulk engine can delete contacts.
    uses: ['table:delete', 'table:load', 'send-email', 'campaign-queue', 'schedules'],
    // A campaign's chunk waits for its send slots: ten chunks at once share the campaigns' rate, so
    // one of 100 takes 1,000 / rate seconds (71 s at SES's starting 14/s). 15 minutes covers 1.2/s.
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  'form-submit': { construct: 'FormSubmit', trigger: http, uses: ['table:write', 'signing-secret'] },
  openapi: { construct: 'OpenApi', trigger: http, uses: [], memoryMb: 256 },
  // `send-email`: a template's test send.
  'templates-api': { construct: 'TemplatesApi', trigger: http, uses: ['table:write', 'send-email'] },
  'email-settings-api': { construct: 'EmailSettingsApi', trigger: http, uses: ['table:write'] },
  'follow-ups-api': { construct: 'FollowUpsApi', trigger: http, uses: ['table:write', 'schedules'] },
  unsubscribe: { construct: 'Unsubscribe', trigger: http, uses: ['table:write', 'signing-secret'] },
  // Publishing a new version deletes the old version's trigger items.
  'workflows-api': {
    construct: 'WorkflowsApi',
    trigger: http,
    uses: ['table:delete', 'publish-workflows'],
  },
  // Deals' owners checked against the users directory; deleting a deal, and a removed stage's history, are deletes.
  'pipelines-api': { construct: 'PipelinesApi', trigger: http, uses: ['table:delete', 'user-directory'] },
  // Also the users routes, and owners checked against the users directory.
  'tasks-api': { construct: 'TasksApi', trigger: http, uses: ['table:write', 'schedules', 'user-directory'] },
  // Deleting a segment deletes its item.
  'segments-api': { construct: 'SegmentsApi', trigger: http, uses: ['table:delete'] },
  'reports-api': { construct: 'ReportsApi', trigger: http, uses: ['table:read'] },
  'purchases-api': { construct: 'PurchasesApi', trigger: http, uses: ['table:write'] },
  'api-keys-api': { construct: 'ApiKeysApi', trigger: http, uses: ['table:write'] },
  // Deleting a booking page deletes its slug's item.
  'appointments-api': { construct: 'AppointmentsApi', trigger: http, uses: ['table:delete', 'schedules'] },
  // Public: books, moves and cancels (a released calendar block is updated, never deleted).
  booking: {
    construct: 'Booking',
    trigger: http,
    uses: ['table:write', 'signing-secret', 'schedules', 'public-url'],
  },
  'scoring-api': { construct: 'ScoringApi', trigger: http, uses: ['table:write'] },
  // Replies are emailed (a send the provider refuses releases its slot: a delete); attachments are
  // downloaded from the files bucket; assignees are checked against the users directory.
  'cases-api': {
    construct: 'CasesApi',
    trigger: http,
    uses: ['table:delete', 'send-email', 'case-files', 'support-email', 'schedules', 'user-directory'],
  },
  // Reads the raw message the receipt rule stored, keeps its attachments, acknowledges new cases.
  'inbound-email': {
    construct: 'InboundEmail',
    trigger: { kind: 'mail' },
    uses: ['table:delete', 'send-email', 'case-files', 'support-email', 'schedules'],
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
  // Public: the snippet and its hits (the contact token of email links is checked with the signing secret).
  tracking: { construct: 'Tracking', trigger: http, uses: ['table:write', 'signing-secret'] },
  'tracking-api': { construct: 'TrackingApi', trigger: http, uses: ['table:write'] },
  // Knowledge base articles: a rebuilt search index drops the chunks it no longer needs, a deleted
  // article its slug's item.
  'knowledge-api': { construct: 'KnowledgeApi', trigger: http, uses: ['table:delete'] },
  // Public: the help centre's pages read; a reader's feedback is an update (and a rate window).
  'help-centre': { construct: 'HelpCentre', trigger: http, uses: ['table:write'] },
  // Public: a CSAT rating link records its score on the case (an update), the page's form a comment.
  csat: { construct: 'Csat', trigger: http, uses: ['table:write', 'signing-secret'] },
  // Emails the CSAT survey of a resolved case (a send SES refuses releases its slot: a delete).
  'case-surveys': {
    construct: 'CaseSurveys',
    trigger: {
      kind: 'rule',
      rule: 'CaseSurveysRule',
      deadLetters: 'CaseSurveysDeadLetters',
      bus: 'tendril',
      pattern: CASE_SURVEY_EVENTS,
    },
    uses: ['table:delete', 'send-email', 'support-email'],
  },
  // Opens a case for a support form's submission (with its SLA timers).
  'case-forms': {
    construct: 'CaseForms',
    trigger: {
      kind: 'rule',
      rule: 'CaseFormsRule',
      deadLetters: 'CaseFormsDeadLetters',
      bus: 'tendril',
      pattern: CASE_FORM_EVENTS,
    },
    uses: ['table:write', 'schedules'],
  },
  scoring: {
    construct: 'Scoring',
    trigger: {
      kind: 'rule',
      rule: 'ScoringRule',
      deadLetters: 'ScoringDeadLetters',
      bus: 'tendril',
      pattern: SCORING_EVENTS,
    },
    uses: ['table:write'],
  },
  // Companies: a deleted company frees its domain; a contact leaving a company deletes its person item.
  'companies-api': { construct: 'CompaniesApi', trigger: http, uses: ['table:delete'] },
  // Associates contacts with companies by email domain (and sweeps a company's domain), indexes deals by contact,
  // keeps the search index (functions/search/).
  companies: {
    construct: 'Companies',
    trigger: {
      kind: 'rule',
      rule: 'CompaniesRule',
      deadLetters: 'CompaniesDeadLetters',
      bus: 'tendril',
      pattern: COMPANY_AND_SEARCH_EVENTS,
    },
    uses: ['table:delete'],
    timeoutSeconds: 300,
  },
  'webhooks-api': { construct: 'WebhooksApi', trigger: http, uses: ['table:delete', 'webhook-queue'] },
  'webhook-fanout': {
    construct: 'WebhookFanout',
    trigger: {
      kind: 'rule',
      rule: 'WebhookEventsRule',
      deadLetters: 'WebhookFanoutDeadLetters',
      bus: 'tendril',
      pattern: WEBHOOK_EVENTS,
    },
    uses: ['table:write', 'webhook-queue'],
  },
  'webhook-deliveries': {
    construct: 'WebhookDeliveries',
    trigger: {
      kind: 'queue',
      queue: 'WebhookQueue',
      deadLetters: 'WebhookDeadLetters',
      batchSize: 10,
      maxConcurrency: 10,
      maxReceives: 5,
    },
    // Later attempts are messages it sends itself, delayed.
    uses: ['table:write', 'webhook-queue'],
    timeoutSeconds: 30,
  },
  // Writes a key's rate window and last use.
  'api-authorizer': {
    construct: 'ApiAuthorizer',
    trigger: { kind: 'authorizer' },
    uses: ['table:write', 'user-pool'],
  },
  enroller: {
    construct: 'Enroller',
    trigger: {
      kind: 'rule',
      rule: 'EnrollOnTrigger',
      deadLetters: 'EnrollDeadLetters',
      bus: 'tendril',
      pattern: ENROLLMENT_TRIGGERS,
    },
    // `schedules`: a contact's day in a dateReached workflow. `resume-workflows` and `table:delete`:
    // a waitForEvent step's waiter answered and removed.
    uses: ['table:delete', 'start-workflows', 'schedules', 'resume-workflows'],
  },
  'workflow-step': {
    construct: 'WorkflowStep',
    trigger: { kind: 'workflow-task' },
    // removeTag steps; a send slot released when SES refuses a send.
    // `user-directory`: a notifyOwner step's email to the contact's owner (the owner's address).
    // `resume-workflows`: a waitForEvent step whose event already happened answers its own token.
    uses: ['table:delete', 'send-email', 'schedules', 'user-directory', 'resume-workflows'],
    timeoutSeconds: 30,
  },
  'email-events': {
    construct: 'EmailEvents',
    trigger: {
      kind: 'rule',
      rule: 'EmailEventsRule',
      deadLetters: 'EmailEventsDeadLetters',
      bus: 'default',
      pattern: SES_ENGAGEMENT_EVENTS,
    },
    uses: ['table:write'],
  },
  'scheduled-action': {
    construct: 'ScheduledAction',
    trigger: { kind: 'schedule' },
    // `schedules`: a scheduled A/B campaign schedules its winner; a winner not ready looks again later.
    // `user-directory`: a task's email to its owner (the owner's address).
    // `start-workflows`: a dateReached workflow's day enrolls the contact.
    uses: ['table:delete', 'send-email', 'schedules', 'user-directory', 'start-workflows'],
    timeoutSeconds: 30,
  },
  'segment-membership': {
    construct: 'SegmentMembership',
    trigger: {
      kind: 'rule',
      rule: 'SegmentMembershipRule',
      deadLetters: 'SegmentMembershipDeadLetters',
      bus: 'tendril',
      pattern: SEGMENT_MEMBERSHIP_EVENTS,
    },
    // Leaving a segment, and a deleted segment's records, delete membership items.
    uses: ['table:delete'],
  },
  'dashboard-projector': {
    construct: 'DashboardProjector',
    trigger: {
      kind: 'rule',
      rule: 'DashboardRule',
      deadLetters: 'DashboardDeadLetters',
      bus: 'tendril',
      pattern: DASHBOARD_EVENTS,
    },
    // A won deal moved out of its won stage: its attribution and per-deal marker are deleted.
    uses: ['table:delete'],
  },
  'execution-events': {
    construct: 'ExecutionEvents',
    trigger: {
      kind: 'rule',
      rule: 'ExecutionEndedRule',
      deadLetters: 'ExecutionEventsDeadLetters',
      bus: 'default',
      pattern: WORKFLOW_EXECUTIONS_ENDED,
    },
    uses: ['table:write'],
  },
  reconciler: {
    construct: 'Reconciler',
    trigger: { kind: 'timer', rule: 'ReconcileEvery5Minutes', minutes: 5 },
    uses: ['table:delete', 'start-workflows', 'send-email', 'chunk-queue'],
    timeoutSeconds: 120,
  },
  // Once a day: trains the conversion model (reads up to 50,000 contacts and their features, writes two items).
  'predictions-trainer': {
    construct: 'PredictionsTrainer',
    trigger: { kind: 'timer', rule: 'TrainPredictionsDaily', minutes: 1440 },
    // Stores each contact's likelihood in batch writes.
    uses: ['table:write', 'table:load'],
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  'outbox-publisher': {
    construct: 'OutboxPublisher',
    trigger: { kind: 'stream', filter: OUTBOX_STREAM_FILTER },
    uses: ['put-events'],
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;
/** The functions behind HTTP routes. */
export type HttpFunctionName = {
  [K in FunctionName]: (typeof FUNCTIONS)[K]['trigger'] extends { kind: 'http' } ? K : never;
}[FunctionName];

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
export const HTTP_FUNCTIONS = FUNCTION_NAMES.filter(
  (name): name is HttpFunctionName => FUNCTIONS[name].trigger.kind === 'http',
);

/**
 * The environment variables a function gets, from its capabilities. The schedules' target does not
 * get its own ARN (its environment naming it would be a CloudFormation cycle): it schedules itself
 * by the ARN it was invoked with (`#app/scheduler.js`).
 */
export function envOf(name: FunctionName): EnvName[] {
  const spec: FunctionSpec = FUNCTIONS[name];
  return [...new Set(spec.uses.flatMap((c) => CAPABILITY_ENV[c]))].filter(
    (env) => !(env === 'SCHEDULE_TARGET_ARN' && spec.trigger.kind === 'schedule'),
  );
}

export const uses = (name: FunctionName, capability: Capability) =>
  (FUNCTIONS[name] as FunctionSpec).uses.includes(capability);

/** The table actions function `name` is granted (its IAM role in the cloud; checked in local mode). */
export function tableActionsOf(name: FunctionName): string[] {
  const spec: FunctionSpec = FUNCTIONS[name];
  return [...new Set(spec.uses.flatMap((c) => TABLE_ACTIONS[c] ?? []))];
}
