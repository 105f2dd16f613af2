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
export type ActivityType = (typeof MANUAL_ACTIVITY_TYPES)[number] | 'form_submitted';

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

export interface EmailSend {
  enrollmentId: string;
  stepId: string;
  contactId: string;
  templateId: string;
  status: 'sending' | 'sent';
  messageId?: string;
  sentAt?: string;
  openedAt?: string;
  clickedAt?: string;
}

export interface CrmTask {
  id: string;
  title: string;
  dueAt: string;
  status: 'open' | 'done';
  contactId?: string;
  source?: { workflowId: string; enrollmentId: string; stepId: string };
  createdAt: string;
}
