/**
 * An email from the contact ends their enrollments whose goal is `emailReplied` when it arrives,
 * not only at their next step: a sales sequence stops the moment the prospect answers (the enroller
 * runs it on `CaseCreated` by email and `CaseMessageReceived`). The execution then ends at its next
 * Task, which finds the enrollment stopped; nothing is sent meanwhile.
 */
import type { DomainEvent } from '#platform/events.js';
import { endEnrollment } from './enrollment.js';
import type { WorkflowDefinition } from './language.js';
import type { Enrollment } from './model.js';
import type { AutomationDeps } from './store.js';

/** Whether the contact wrote in during the enrollment: a reply counts from when it began (goals and waits alike). */
export const repliedDuring = (repliedAt: string | undefined, enrollment: Pick<Enrollment, 'enrolledAt'>) =>
  repliedAt !== undefined && repliedAt >= enrollment.enrolledAt;

/** A contact is in few workflows at once; a page of their newest enrollments covers the active ones. */
const ENROLLMENTS_LOOKED_AT = 100;

/** The contact who wrote in by email, for the events that say so (a new case by email, a message on one). */
export function replyingContactOf(event: DomainEvent): string | undefined {
  if (event.detailType === 'CaseMessageReceived') return event.detail.contactId;
  if (event.detailType === 'CaseCreated' && event.detail.channel === 'email') return event.detail.contactId;
  return undefined;
}

/** Ends (goal_met) the contact's active enrollments with an emailReplied goal; returns how many. */
export async function endRepliedEnrollments(deps: AutomationDeps, contactId: string): Promise<number> {
  const repliedAt = await deps.store.getRepliedAt(contactId);
  if (!repliedAt) return 0;
  const { items } = await deps.store.listEnrollments(contactId, { limit: ENROLLMENTS_LOOKED_AT });
  let ended = 0;
  for (const enrollment of items) {
    if (enrollment.status !== 'active' || !repliedDuring(repliedAt, enrollment)) continue;
    const version = await deps.store.getWorkflowVersion(enrollment.workflowId, enrollment.version);
    const goal = (version?.definition as Pick<WorkflowDefinition, 'goal'> | undefined)?.goal;
    if (goal?.type === 'emailReplied' && (await endEnrollment(deps, enrollment, 'stopped', 'goal_met')))
      ended++;
  }
  return ended;
}
