/**
 * Enrollment: a trigger event (a tag added, a form submitted) enrolls the contact in every active
 * workflow it triggers, at most once per (workflow, event), and starts one execution per enrollment.
 */
import { compareField } from '#contacts/fields.js';
import type { Contact, FieldValue } from '#contacts/model.js';
import type { DomainEvent } from '#platform/events.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit } from '#platform/store.js';
import { isContactProperty } from './language.js';
import type { Enrollment, EnrollmentStatus, TriggeredWorkflow } from './model.js';
import type { WorkflowEngine } from './ports.js';
import type { AutomationDeps } from './store.js';

/** A property's or a custom field's value on the contact. */
const fieldValueOf = (contact: Contact, field: string): FieldValue | undefined =>
  isContactProperty(field)
    ? ((contact as unknown as Record<string, string | undefined>)[field] ?? undefined)
    : contact.fields[field];

/** Execution names are unique per state machine for 90 days: the name is the enrollment's identity. */
export const executionName = (workflowId: string, version: number, contactId: string, number: number) =>
  `${workflowId}-v${version}-${contactId}-${number}`;

export const executionInput = (e: Enrollment) => ({
  enrollmentId: e.id,
  contactId: e.contactId,
  workflowId: e.workflowId,
  version: e.version,
});

export interface TriggerEvent {
  eventId: string;
  contactId: string;
  /** `tag:<tag>`, `form:<formId>`, `segment:<segmentId>`, `purchase[:<source>]`, `appointment[:<meetingTypeId>]`, `score:threshold`, `stage:<stage>`, `case:created[:<channel>]`, `case:status:<status>`, `case:resolved`, `deal:stage:<pipelineId>:<stage>`, `email:clicked[:<templateId>]`, `field:<name>` (workflows.ts). */
  triggerKey: string;
}

/** The trigger keys an event enrolls into (none for an event that triggers no workflow, or a silent one). */
export function triggersOf(event: DomainEvent): TriggerEvent[] {
  const of = (contactId: string, ...keys: string[]) =>
    keys.map((triggerKey) => ({ eventId: event.detail.eventId, contactId, triggerKey }));
  switch (event.detailType) {
    case 'ContactTagged':
      // The rule leaves silent events out; a replay through another rule must not enroll either.
      return event.detail.silent ? [] : of(event.detail.contactId, `tag:${event.detail.tag}`);
    case 'FormSubmitted':
      return of(event.detail.contactId, `form:${event.detail.formId}`);
    case 'SegmentEntered':
      return of(event.detail.contactId, `segment:${event.detail.segmentId}`);
    case 'PurchaseMade':
      // Workflows on any purchase, and those on purchases from this source.
      return of(event.detail.contactId, 'purchase', `purchase:${event.detail.source}`);
    case 'AppointmentBooked':
      return of(event.detail.contactId, 'appointment', `appointment:${event.detail.meetingTypeId}`);
    case 'ScoreChanged':
      // Once per crossing of the workspace's threshold (it fires again only after falling under it).
      return event.detail.thresholdReached ? of(event.detail.contactId, 'score:threshold') : [];
    case 'LifecycleStageChanged':
      return of(event.detail.contactId, `stage:${event.detail.toStage}`);
    case 'CaseCreated':
      return of(event.detail.contactId, 'case:created', `case:created:${event.detail.channel}`);
    case 'CaseStatusChanged':
      return of(event.detail.contactId, `case:status:${event.detail.to}`);
    case 'CaseResolved':
      return of(event.detail.contactId, 'case:resolved');
    case 'DealStageChanged': {
      const { contactId, pipelineId, toStage } = event.detail;
      return contactId ? of(contactId, `deal:stage:${pipelineId}:${toStage}`) : [];
    }
    case 'ContactUpdated':
      // `changed` names properties (`firstName`) and custom fields (`fields.plan`).
      return of(event.detail.contactId, ...event.detail.changed.map((name) => `field:${name}`));
    case 'EmailEngaged': {
      // Clicks only (the rule lets opens through to no one); on any email, and on its template's.
      const { contactId, type, templateId } = event.detail;
      if (type !== 'clicked') return [];
      return of(contactId, 'email:clicked', ...(templateId ? [`email:clicked:${templateId}`] : []));
    }
    default:
      return [];
  }
}

/**
 * Enrolls the contact in every active workflow the event triggers. Idempotent per (workflow, event):
 * a redelivered event finds its claim and only (re)starts the same execution, which Step Functions
 * treats as a no-op for the same name and input.
 */
export async function enrollFromEvent(
  deps: AutomationDeps,
  engine: WorkflowEngine,
  event: TriggerEvent,
): Promise<Enrollment[]> {
  const workflows = await deps.store.findTriggeredWorkflows(event.triggerKey);
  const started: Enrollment[] = [];
  for (const wf of workflows) {
    const enrollment = await enrollContact(deps, engine, wf, event);
    if (enrollment) started.push(enrollment);
  }
  return started;
}

/**
 * Enrolls the contact in one workflow for one event (a trigger, or a bulk action: `bulk:<job>:<contact>`)
 * and starts its execution; undefined when the contact is not enrolled (gone, at the goal, no basis
 * to email, enrolled already and re-enrollment not allowed). Idempotent per (workflow, event).
 */
export async function enrollContact(
  deps: AutomationDeps,
  engine: WorkflowEngine,
  wf: TriggeredWorkflow,
  event: Pick<TriggerEvent, 'eventId' | 'contactId'>,
): Promise<Enrollment | undefined> {
  const enrollment = await enrollOne(deps, wf, event);
  if (enrollment) await startExecution(deps, engine, enrollment);
  return enrollment;
}

/**
 * Starts the enrollment's execution (a no-op when it runs already) and records that it did. Until
 * then the enrollment is listed for the reconciler, which starts it if the caller died in between.
 */
async function startExecution(deps: AutomationDeps, engine: WorkflowEngine, enrollment: Enrollment) {
  await engine.start(enrollment.stateMachineVersionArn, enrollment.executionName, executionInput(enrollment));
  if (!enrollment.startedAt) {
    await deps.store.commit([{ kind: 'confirmEnrollment', enrollment, at: deps.clock.now().toISOString() }]);
  }
}

/** What the reconciler did with the enrollments it looked at. */
export interface ReconcileReport {
  looked: number;
  started: number;
  confirmed: number;
  closed: number;
}

/** Enrollments younger than this are left alone: their enroller may still be starting them. */
export const RECONCILE_AFTER_MS = 60_000;

/**
 * Finds enrollments whose execution was never confirmed started (the enroller died between
 * enrolling and StartExecution, or before recording it) and puts each right: starts the missing
 * execution, confirms a running or finished one, closes the enrollment of one that failed.
 */
export async function reconcileEnrollments(
  deps: AutomationDeps,
  engine: WorkflowEngine,
  limit = 200,
): Promise<ReconcileReport> {
  const before = new Date(deps.clock.now().getTime() - RECONCILE_AFTER_MS);
  const report: ReconcileReport = { looked: 0, started: 0, confirmed: 0, closed: 0 };
  for (const listed of await deps.store.listUnconfirmedEnrollments(before, limit)) {
    report.looked++;
    const enrollment = await deps.store.getEnrollment(listed.contactId, listed.id);
    if (!enrollment) continue;
    const confirm = () =>
      deps.store.commit([{ kind: 'confirmEnrollment', enrollment, at: deps.clock.now().toISOString() }]);
    if (enrollment.status !== 'active') {
      await confirm();
      report.confirmed++;
      continue;
    }
    const status = await engine.status(enrollment.stateMachineVersionArn, enrollment.executionName);
    if (status === undefined) {
      await startExecution(deps, engine, enrollment);
      report.started++;
    } else if (status === 'RUNNING' || status === 'SUCCEEDED' || status === 'PENDING_REDRIVE') {
      await confirm();
      report.confirmed++;
    } else {
      await endEnrollment(deps, enrollment, 'failed', `execution_${status.toLowerCase()}`);
      await confirm();
      report.closed++;
    }
  }
  return report;
}

/**
 * An execution of a workflow ended without its own last step closing the enrollment (it failed,
 * timed out or was stopped): the enrollment is closed as failed. Idempotent.
 */
export async function closeEnrollmentOfExecution(
  deps: AutomationDeps,
  execution: { status: string; input: { enrollmentId: string; contactId: string } },
): Promise<'closed' | 'ignored'> {
  const enrollment = await deps.store.getEnrollment(execution.input.contactId, execution.input.enrollmentId);
  if (enrollment?.status !== 'active') return 'ignored';
  const closed = await endEnrollment(
    deps,
    enrollment,
    'failed',
    `execution_${execution.status.toLowerCase()}`,
  );
  return closed ? 'closed' : 'ignored';
}

async function enrollOne(
  deps: AutomationDeps,
  wf: TriggeredWorkflow,
  event: Pick<TriggerEvent, 'eventId' | 'contactId'>,
): Promise<Enrollment | undefined> {
  return withOptimisticRetry(
    async () => {
      const already = await deps.store.findEnrollmentByTrigger(wf.workflowId, event.eventId);
      if (already) return already;
      const contact = await deps.store.getContact(event.contactId);
      if (!contact) return undefined;
      if (wf.goalTag && contact.tags.includes(wf.goalTag)) return undefined;
      // A field changed, but not to the value the trigger waits for.
      if (wf.changedTo && !compareField(fieldValueOf(contact, wf.changedTo.field), 'eq', wf.changedTo.value))
        return undefined;
      // Imported without a basis to email them: never enrolled into a workflow that emails.
      if (contact.emailBasis === 'none' && wf.sendsEmail !== false) return undefined;
      const { count, activeEnrollmentId } = await deps.store.getEnrollmentCount(contact.id, wf.workflowId);
      if (activeEnrollmentId || (count > 0 && wf.reenrollment === 'never')) return undefined;
      const now = deps.clock.now();
      const number = count + 1;
      const enrollment: Enrollment = {
        id: deps.ids.next(),
        workflowId: wf.workflowId,
        version: wf.version,
        contactId: contact.id,
        number,
        executionName: executionName(wf.workflowId, wf.version, contact.id, number),
        stateMachineVersionArn: wf.stateMachineVersionArn,
        status: 'active',
        enrolledAt: now.toISOString(),
      };
      await deps.store.commit([
        {
          kind: 'startEnrollment',
          enrollment,
          triggerEventId: event.eventId,
          previousCount: count,
          allowWhileActive: false,
        },
        emit(deps, now, 'ContactEnrolled', {
          workflowId: wf.workflowId,
          workflowVersion: wf.version,
          contactId: contact.id,
          enrollmentId: enrollment.id,
        }),
      ]);
      return enrollment;
    },
    // Another delivery of the same event, or another event for the same contact, got there first: look again.
    (c) => c.write.kind === 'startEnrollment',
  );
}

/**
 * Ends an active enrollment (once): its status, the contact's active marker, the gauges (leaving the
 * step it is really at) and EnrollmentEnded, in one transaction. Returns whether this call ended it;
 * false when it had already ended. A stale read (the enrollment moved on) is read again.
 */
export async function endEnrollment(
  deps: AutomationDeps,
  enrollment: Enrollment,
  status: Exclude<EnrollmentStatus, 'active'>,
  reason?: string,
): Promise<boolean> {
  let current: Enrollment | undefined = enrollment;
  for (let attempt = 0; current?.status === 'active' && attempt < 10; attempt++) {
    const now = deps.clock.now();
    try {
      await deps.store.commit([
        {
          kind: 'endEnrollment',
          enrollment: current,
          status,
          ...(reason ? { reason } : {}),
          at: now.toISOString(),
        },
        emit(deps, now, 'EnrollmentEnded', {
          workflowId: current.workflowId,
          contactId: current.contactId,
          enrollmentId: current.id,
          status,
          ...(reason ? { reason } : {}),
        }),
      ]);
      return true;
    } catch (err) {
      if (!(err instanceof CommitConflict)) throw err;
      current = await deps.store.getEnrollment(enrollment.contactId, enrollment.id);
    }
  }
  return false;
}
