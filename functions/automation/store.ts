/** Automation's storage port: workflows, their versions and triggers, enrollments and step gauges. */
import type { AppointmentsReads } from '#appointments/store.js';
import type { CaptureReads } from '#capture/store.js';
import type { InsightsReads } from '#insights/store.js';
import type { MessagingStore, MessagingWrite } from '#messaging/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { SalesStore, SalesWrite } from '#sales/store.js';
import type { WebhooksReads } from '#webhooks/store.js';
import type {
  Enrollment,
  EnrollmentStatus,
  TriggeredWorkflow,
  Waiter,
  Workflow,
  WorkflowVersion,
} from './model.js';

/** A waitForEvent step's registration, and its removal once answered (only while it holds that token). */
export type WaiterWrite = { kind: 'putWaiter'; waiter: Waiter } | { kind: 'deleteWaiter'; waiter: Waiter };

export type AutomationWrite =
  | MessagingWrite
  | SalesWrite
  | WaiterWrite
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
  /** Records that the enrollment's execution is started (it leaves the reconciler's index). */
  | { kind: 'confirmEnrollment'; enrollment: Enrollment; at: string }
  /** Records (once) that an enrollment reached a step, moving the per-step gauges. */
  | { kind: 'enterStep'; enrollment: Enrollment; stepId: string; at: string }
  | {
      kind: 'endEnrollment';
      enrollment: Enrollment;
      status: Exclude<EnrollmentStatus, 'active'>;
      reason?: string;
      at: string;
    };

/** An enrollment listed under a step: whose, and when it entered the step. */
export interface StepEnrollment {
  contactId: string;
  enrollmentId: string;
  enteredAt: string;
}

export interface AutomationReads {
  getWorkflow(id: string): Promise<Workflow | undefined>;
  listWorkflows(options: ListOptions): Promise<Page<Workflow>>;
  getWorkflowVersion(id: string, version: number): Promise<WorkflowVersion | undefined>;
  /** The gauges of a published version: enrolled, active, `entered:<step>`, `current:<step>`, `outcome:<x>`. */
  getWorkflowStats(id: string, version: number): Promise<Record<string, number>>;
  findTriggeredWorkflows(triggerKey: string): Promise<TriggeredWorkflow[]>;
  getEnrollmentCount(
    contactId: string,
    workflowId: string,
  ): Promise<{ count: number; activeEnrollmentId?: string }>;
  getEnrollment(contactId: string, enrollmentId: string): Promise<Enrollment | undefined>;
  findEnrollmentByTrigger(workflowId: string, triggerEventId: string): Promise<Enrollment | undefined>;
  listEnrollments(contactId: string, options: ListOptions): Promise<Page<Enrollment>>;
  /**
   * The enrollments of a version at a step now (`current`) or that ever entered it (`entered`),
   * newest entry first. Only what was recorded since the step index exists is listed.
   */
  listStepEnrollments(
    workflowId: string,
    version: number,
    stepId: string,
    status: 'current' | 'entered',
    options: ListOptions,
  ): Promise<Page<StepEnrollment>>;
  /** The enrollments of the contact waiting at a waitForEvent step (one Query of its partition). */
  listWaiters(contactId: string): Promise<Waiter[]>;
  /** Enrollments whose execution was not confirmed started, enrolled before `before` (oldest first, up to `limit`). */
  listUnconfirmedEnrollments(before: Date, limit: number): Promise<Enrollment[]>;
}

export type AutomationStore = AutomationReads &
  Pick<CaptureReads, 'getForm'> &
  Pick<InsightsReads, 'getSegment'> &
  Pick<AppointmentsReads, 'getMeetingType'> &
  /** A webhook step's subscription must exist when the workflow is saved. */
  Pick<WebhooksReads, 'getWebhook'> &
  MessagingStore &
  SalesStore &
  Commit<AutomationWrite>;
export type AutomationDeps = Deps<AutomationStore>;
