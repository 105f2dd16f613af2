/**
 * Enrollment: a trigger event (a tag added, a form submitted) enrolls the contact in every active
 * workflow it triggers, at most once per (workflow, event), and starts one execution per enrollment.
 */
import { withOptimisticRetry } from '#platform/retry.js';
import { emit } from '#platform/store.js';
import type { Enrollment, TriggeredWorkflow } from './model.js';
import type { WorkflowEngine } from './ports.js';
import type { AutomationDeps } from './store.js';

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
  /** `tag:<tag>` or `form:<formId>`. */
  triggerKey: string;
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
    const enrollment = await enrollOne(deps, wf, event);
    if (!enrollment) continue;
    await engine.start(
      enrollment.stateMachineVersionArn,
      enrollment.executionName,
      executionInput(enrollment),
    );
    started.push(enrollment);
  }
  return started;
}

async function enrollOne(
  deps: AutomationDeps,
  wf: TriggeredWorkflow,
  event: TriggerEvent,
): Promise<Enrollment | undefined> {
  return withOptimisticRetry(
    async () => {
      const already = await deps.store.findEnrollmentByTrigger(wf.workflowId, event.eventId);
      if (already) return already;
      const contact = await deps.store.getContact(event.contactId);
      if (!contact) return undefined;
      if (wf.goalTag && contact.tags.includes(wf.goalTag)) return undefined;
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
