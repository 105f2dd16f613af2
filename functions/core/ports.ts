import type { DomainEvent } from '../contracts/events.js';
import type {
  Activity,
  ConsentRecord,
  Contact,
  ContactProperty,
  CrmTask,
  CustomFields,
  Deal,
  EmailSend,
  EmailTemplate,
  Enrollment,
  EnrollmentStatus,
  FollowUp,
  FollowUpStatus,
  Form,
  Page,
  Pipeline,
  Segment,
  TaskStatus,
  TriggeredWorkflow,
  Workflow,
  WorkflowVersion,
} from './model.js';

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(): string;
}

/** A record kept to answer a repeated request with the first answer. */
export interface IdempotencyRecord {
  contactId: string;
  createdAt: string;
}

/** The writes one domain operation commits atomically (one DynamoDB transaction in the cloud). */
export type Write =
  | { kind: 'createContact'; contact: Contact }
  | { kind: 'replaceContact'; contact: Contact; expectedVersion: number; previousEmail: string }
  | {
      kind: 'mergeContact';
      contactId: string;
      /** Properties and custom fields written only where the contact has no value yet. */
      fillBlanks: Partial<Pick<Contact, ContactProperty>> & { fields?: CustomFields };
      addTags: string[];
      consent?: ConsentRecord;
      updatedAt: string;
    }
  | { kind: 'addTag'; contactId: string; tag: string; taggedAt: string }
  | { kind: 'removeTag'; contactId: string; tag: string; updatedAt: string }
  /** `checkContact`: also require the contact to exist (not allowed when the same commit writes the contact). */
  | { kind: 'putActivity'; activity: Activity; checkContact: boolean }
  | { kind: 'putForm'; form: Form }
  /** `expectedVersion`: replace only that version (optimistic concurrency); absent: create. */
  | { kind: 'putTemplate'; template: EmailTemplate; expectedVersion?: number }
  | { kind: 'emit'; event: DomainEvent }
  /** `expectedUpdatedAt`: replace only if unchanged since read; absent: create. */
  | { kind: 'putWorkflow'; workflow: Workflow; expectedUpdatedAt?: string }
  | { kind: 'putWorkflowVersion'; version: WorkflowVersion }
  | { kind: 'setTrigger'; triggerKey: string; triggered: TriggeredWorkflow }
  | { kind: 'deleteTrigger'; triggerKey: string; workflowId: string }
  /** Claims the trigger event for this workflow, advances the contact's enrollment counter, stores the enrollment. */
  | {
      kind: 'startEnrollment';
      enrollment: Enrollment;
      triggerEventId: string;
      previousCount: number;
      allowWhileActive: boolean;
    }
  /** Records (once) that an enrollment reached a step, moving the per-step gauges. */
  | { kind: 'enterStep'; enrollment: Enrollment; stepId: string; at: string }
  | {
      kind: 'endEnrollment';
      enrollment: Enrollment;
      status: Exclude<EnrollmentStatus, 'active'>;
      reason?: string;
      at: string;
    }
  | { kind: 'claimSend'; send: EmailSend }
  | { kind: 'releaseSend'; send: EmailSend }
  | { kind: 'completeSend'; send: EmailSend & { messageId: string; sentAt: string } }
  | { kind: 'recordEngagement'; send: EmailSend; type: 'opened' | 'clicked'; at: string }
  | { kind: 'suppress'; email: string; reason: string; at: string }
  | { kind: 'markUnsubscribed'; contactId: string; at: string }
  /** `expectedVersion`: replace only that version; absent: create (a second create of one id is a conflict). */
  | { kind: 'putTask'; task: CrmTask; expectedVersion?: number }
  | { kind: 'putPipeline'; pipeline: Pipeline }
  | { kind: 'putDeal'; deal: Deal; expectedVersion?: number }
  /** `expectedStatus`: replace only a follow-up in that status; absent: create. */
  | { kind: 'putFollowUp'; followUp: FollowUp; expectedStatus?: FollowUpStatus }
  | { kind: 'putSegment'; segment: Segment }
  /** Applies counter deltas once per event: a second commit with the same event id is a conflict. */
  | { kind: 'bumpCounters'; consumer: string; eventId: string; counters: CounterDelta[] }
  | { kind: 'claimIdempotency'; key: string; record: IdempotencyRecord; expiresAt: Date; now: Date };

/** Thrown by `commit` when a condition of one write failed; `write` tells which. */
export class CommitConflict extends Error {
  /** `part` names which guard of the write failed when a write has several (e.g. `email`, `version`). */
  constructor(
    readonly write: Write,
    readonly part: string = write.kind,
  ) {
    super(`conflict on ${write.kind} (${part})`);
    this.name = 'CommitConflict';
  }
}

/** Deltas for one dashboard counter item (`group` partition, `bucket` item). */
export interface CounterDelta {
  group: string;
  bucket: string;
  deltas: Record<string, number>;
}

export interface Counter {
  bucket: string;
  values: Record<string, number>;
}

/** Where a segment's candidates come from: one index, read in order. */
export type CandidateSource =
  | { index: 'tag'; tag: string }
  | { index: 'created'; after: string; before: string }
  | { index: 'engaged'; type: 'opened' | 'clicked'; since: string }
  | { index: 'all' };

export interface Candidate {
  contactId: string;
  /** Resumes the source right after this candidate. */
  cursor: string;
}

export interface TaskQuery extends ListOptions {
  status: TaskStatus;
  owner?: string | undefined;
  dueBefore?: string | undefined;
}

export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
}

export interface Store {
  commit(writes: Write[]): Promise<void>;
  getContact(id: string): Promise<Contact | undefined>;
  findContactIdByEmail(email: string): Promise<string | undefined>;
  listContacts(options: ListOptions): Promise<Page<Contact>>;
  listContactsByTag(tag: string, options: ListOptions): Promise<Page<Contact>>;
  listActivities(contactId: string, options: ListOptions): Promise<Page<Activity>>;
  /** Deletes the contact atomically with its events, then erases the rest of its partition. */
  deleteContact(contact: Contact, events: DomainEvent[]): Promise<void>;
  getForm(id: string): Promise<Form | undefined>;
  listForms(options: ListOptions): Promise<Page<Form>>;
  getIdempotency(key: string, now: Date): Promise<IdempotencyRecord | undefined>;
  getTemplate(id: string): Promise<EmailTemplate | undefined>;
  getWorkflow(id: string): Promise<Workflow | undefined>;
  listWorkflows(options: ListOptions): Promise<Page<Workflow>>;
  getWorkflowVersion(id: string, version: number): Promise<WorkflowVersion | undefined>;
  getWorkflowStats(id: string, version: number): Promise<Record<string, number>>;
  findTriggeredWorkflows(triggerKey: string): Promise<TriggeredWorkflow[]>;
  getEnrollmentCount(
    contactId: string,
    workflowId: string,
  ): Promise<{ count: number; activeEnrollmentId?: string }>;
  getEnrollment(contactId: string, enrollmentId: string): Promise<Enrollment | undefined>;
  findEnrollmentByTrigger(workflowId: string, triggerEventId: string): Promise<Enrollment | undefined>;
  listEnrollments(contactId: string, options: ListOptions): Promise<Page<Enrollment>>;
  getSend(contactId: string, enrollmentId: string, stepId: string): Promise<EmailSend | undefined>;
  findSendByMessageId(messageId: string): Promise<EmailSend | undefined>;
  getSuppression(email: string): Promise<{ reason: string; at: string } | undefined>;
  listTemplates(options: ListOptions): Promise<Page<EmailTemplate>>;
  getTask(id: string): Promise<CrmTask | undefined>;
  /** Tasks by status (and owner), soonest due first. */
  listTasks(query: TaskQuery): Promise<Page<CrmTask>>;
  getPipeline(id: string): Promise<Pipeline | undefined>;
  listPipelines(options: ListOptions): Promise<Page<Pipeline>>;
  getDeal(id: string): Promise<Deal | undefined>;
  /** Every deal of a pipeline, by stage (reads the pipeline's board partition only). */
  listDealsOnBoard(pipelineId: string): Promise<Deal[]>;
  getFollowUp(id: string): Promise<FollowUp | undefined>;
  listFollowUps(contactId: string, options: ListOptions): Promise<Page<FollowUp>>;
  getSegment(id: string): Promise<Segment | undefined>;
  listSegments(options: ListOptions): Promise<Page<Segment>>;
  /** One page of candidate contact ids from an index, each with the cursor that resumes after it. */
  listCandidates(
    source: CandidateSource,
    options: ListOptions,
  ): Promise<{ items: Candidate[]; nextCursor?: string }>;
  getContacts(ids: string[]): Promise<Map<string, Contact>>;
  /** The latest open or click time of each contact that has one. */
  getEngagements(ids: string[], type: 'opened' | 'clicked'): Promise<Map<string, string>>;
  /** Counter items of a group, optionally only buckets in [from, to) (string order). */
  getCounters(group: string, range?: { from: string; to: string }): Promise<Counter[]>;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: Ids;
}

/** What a one-time schedule does when it fires (the scheduled-action Lambda's input). */
export type ScheduledAction =
  | { kind: 'followUp'; followUpId: string }
  | { kind: 'taskReminder'; taskId: string; dueAt: string };

/** EventBridge Scheduler, as the domain needs it: one-time schedules that delete themselves. */
export interface Scheduler {
  /** Creates a one-time schedule firing at `at`; creating an existing name again is a no-op. */
  scheduleOnce(name: string, at: Date, action: ScheduledAction): Promise<void>;
  /** Deletes a schedule; deleting a missing one is not an error. */
  cancel(name: string): Promise<void>;
}

/** Step Functions, as the workflow code needs it. */
export interface WorkflowEngine {
  /** ARN of the Lambda every Task state invokes. */
  readonly stepFunctionArn: string;
  /** Creates or updates the workflow's state machine and publishes a version; returns the version ARN. */
  publish(workflowId: string, version: number, asl: object): Promise<string>;
  /** Starts an execution; starting the same name with the same input again is a no-op. */
  start(stateMachineVersionArn: string, name: string, input: object): Promise<void>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

export interface Mailer {
  /** Sends one email; returns the provider's message id. Throws RetryableError when throttled. */
  send(email: OutgoingEmail): Promise<string>;
}

/** An error a workflow step may be retried after (Step Functions retries `Tendril.Retryable`). */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Tendril.Retryable';
  }
}
