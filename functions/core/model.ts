/** Domain model of the CRM core. Plain data; persistence and transport live elsewhere. */
export type FieldValue = string | number | boolean;
export type CustomFields = Record<string, FieldValue>;

export interface ConsentRecord {
  text: string;
  givenAt: string;
  sourceIp: string;
  formId: string;
}

export interface Contact {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  source?: string;
  fields: CustomFields;
  tags: string[];
  consent?: ConsentRecord;
  /** Set when the contact unsubscribed from marketing email. */
  unsubscribedAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Standard contact properties a form or an update may set (besides email). */
export const CONTACT_PROPERTIES = ['firstName', 'lastName', 'phone', 'company', 'source'] as const;
export type ContactProperty = (typeof CONTACT_PROPERTIES)[number];

export const MANUAL_ACTIVITY_TYPES = ['note', 'call', 'meeting', 'email', 'purchase'] as const;
/** Activities Tendril records itself, besides the manual ones. */
export const SYSTEM_ACTIVITY_TYPES = ['form_submitted', 'deal_stage_changed', 'task_due'] as const;
export type ActivityType = (typeof MANUAL_ACTIVITY_TYPES)[number] | (typeof SYSTEM_ACTIVITY_TYPES)[number];

export interface Activity {
  id: string;
  contactId: string;
  type: ActivityType;
  body?: string;
  amount?: number;
  currency?: string;
  occurredAt: string;
  recordedAt: string;
  data?: Record<string, unknown>;
}

export const FORM_FIELD_TYPES = ['email', 'text', 'tel', 'textarea', 'number', 'checkbox', 'hidden'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export interface FormField {
  name: string;
  label: string;
  type: FormFieldType;
  required: boolean;
}

export interface Form {
  id: string;
  name: string;
  fields: FormField[];
  tags: string[];
  redirectUrl?: string;
  allowedOrigins?: string[];
  consent?: { text: string; required: boolean };
  spam: { minFillSeconds: number; requireToken: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface EmailTemplate {
  id: string;
  name: string;
  subject: string;
  html: string;
  text?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type WorkflowStatus = 'draft' | 'active' | 'paused';

export interface Workflow {
  id: string;
  name: string;
  status: WorkflowStatus;
  /** The draft definition (what PUT edits); published versions are immutable copies. */
  definition: Record<string, unknown>;
  publishedVersion?: number;
  /** Trigger key of the active version (`tag:<tag>` or `form:<formId>`), while active. */
  triggerKey?: string;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersion {
  workflowId: string;
  version: number;
  definition: Record<string, unknown>;
  asl: Record<string, unknown>;
  /** The Step Functions state machine version the executions of this version run on. */
  stateMachineVersionArn: string;
  publishedAt: string;
}

/** Where an enrollment stands; `stopped` carries a reason (goal_met, unsubscribed, ...). */
export type EnrollmentStatus = 'active' | 'completed' | 'exited' | 'stopped' | 'failed';

export interface Enrollment {
  id: string;
  workflowId: string;
  version: number;
  contactId: string;
  number: number;
  executionName: string;
  stateMachineVersionArn: string;
  status: EnrollmentStatus;
  stopReason?: string;
  currentStep?: string;
  enrolledAt: string;
  endedAt?: string;
}

/** Active workflow found by its trigger: enough to enroll without reading the workflow. */
export interface TriggeredWorkflow {
  workflowId: string;
  version: number;
  stateMachineVersionArn: string;
  reenrollment: 'never' | 'afterExit';
  goalTag?: string;
}

/**
 * One tracked email. Its slot is a workflow enrollment step, or a follow-up
 * (`enrollmentId` = FOLLOW_UP_SLOT, `stepId` = the follow-up id): at most one send per slot.
 */
export interface EmailSend {
  enrollmentId: string;
  stepId: string;
  contactId: string;
  templateId: string;
  workflowId?: string;
  status: 'sending' | 'sent';
  messageId?: string;
  sentAt?: string;
  openedAt?: string;
  clickedAt?: string;
}

export const FOLLOW_UP_SLOT = 'follow-up';

export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface CrmTask {
  id: string;
  title: string;
  dueAt: string;
  status: TaskStatus;
  contactId?: string;
  dealId?: string;
  owner?: string;
  /** Set for tasks a workflow step created. */
  source?: { workflowId: string; enrollmentId: string; stepId: string };
  /** When the due-date reminder fired. */
  remindedAt?: string;
  completedAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PipelineStage {
  name: string;
  /** Win probability of a deal in this stage, 0..1 (weights the forecast). */
  probability: number;
}

export interface Pipeline {
  id: string;
  name: string;
  stages: PipelineStage[];
  createdAt: string;
  updatedAt: string;
}

export interface Deal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stage: string;
  contactId?: string;
  closeDate?: string;
  owner?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type FollowUpStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'skipped';

/** A one-time email to one contact at `sendAt` (an EventBridge Scheduler `at()` schedule). */
export interface FollowUp {
  id: string;
  contactId: string;
  templateId: string;
  sendAt: string;
  status: FollowUpStatus;
  /** Why a follow-up was skipped (unsubscribed, suppressed, contact_deleted...). */
  reason?: string;
  scheduleName: string;
  messageId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Segment {
  id: string;
  name: string;
  filter: SegmentFilter;
  createdAt: string;
  updatedAt: string;
}

export const FIELD_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

export interface FieldComparison {
  field: string;
  op: FieldOperator;
  value?: FieldValue | undefined;
}

export interface SegmentFilter {
  tags?: { all?: string[] | undefined; any?: string[] | undefined; none?: string[] | undefined } | undefined;
  fields?: FieldComparison[] | undefined;
  created?:
    | { after?: string | undefined; before?: string | undefined; withinDays?: number | undefined }
    | undefined;
  engagement?: { type: 'opened' | 'clicked'; withinDays: number } | undefined;
}
