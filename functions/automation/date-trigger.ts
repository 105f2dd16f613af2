/**
 * Date-based triggers (`dateReached`): a contact is enrolled some days before or after the date in
 * one of its date fields, at a time of day in the workflow's time zone.
 *
 * When the field is set or changed (the contact created with it, or updated), each published
 * workflow triggered by that field gets a one-time schedule (EventBridge Scheduler) for the contact
 * at that instant, named by the workflow, the contact and the instant (made twice: one schedule).
 * When it fires, the contact is enrolled if the workflow still waits for that field and the field
 * still gives that instant (a date changed since, or a trigger edited and republished, makes an old
 * schedule do nothing) — once per instant: the enrollment's event id names it, so a retried
 * schedule does not enroll twice. An instant already past when the date is set is not scheduled.
 * A contact whose date was set before the workflow was published is scheduled when the field next
 * changes (as segment membership is matched on a contact's next change).
 */
import { createHash } from 'node:crypto';
import type { FieldValue } from '#contacts/model.js';
import type { DomainEvent } from '#platform/events.js';
import type { Scheduler } from '#platform/scheduler.js';
import { instantOf } from '#platform/time-zone.js';
import { enrollContact } from './enrollment.js';
import type { TriggeredWorkflow } from './model.js';
import type { WorkflowEngine } from './ports.js';
import type { AutomationDeps } from './store.js';

/** The trigger key every dateReached workflow is found by (the field is on its TriggeredWorkflow). */
export const DATE_TRIGGER_KEY = 'date';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type DateTrigger = NonNullable<TriggeredWorkflow['dateTrigger']>;

/** The instant a date field's value triggers at (undefined: not a date). */
export function dateTriggerAt(trigger: DateTrigger, value: FieldValue | undefined): Date | undefined {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T12:00:00Z`)))
    return undefined;
  const day = new Date(Date.parse(`${value}T12:00:00Z`) + trigger.days * DAY_MS).toISOString().slice(0, 10);
  return instantOf({ date: day, time: trigger.time }, trigger.timezone);
}

/** Schedule names are [0-9A-Za-z._-]{1,64}: the workflow and contact hashed, then the instant. */
export const dateScheduleName = (workflowId: string, contactId: string, at: Date) =>
  `wfdate-${createHash('sha256').update(`${workflowId}/${contactId}`).digest('hex').slice(0, 32)}-${Math.floor(at.getTime() / 1000)}`;

/** The contact whose date fields may have been set by the event, and which (undefined: any). */
export function dateChangesOf(event: DomainEvent): { contactId: string; changed?: string[] } | undefined {
  if (event.detailType === 'ContactCreated') return { contactId: event.detail.contactId };
  if (event.detailType === 'ContactUpdated') {
    const changed = event.detail.changed.filter((name) => name.startsWith('fields.'));
    return changed.length > 0 ? { contactId: event.detail.contactId, changed } : undefined;
  }
  return undefined;
}

/** Schedules the contact's enrollments in the dateReached workflows its new dates trigger. */
export async function scheduleDateTriggers(
  deps: AutomationDeps,
  scheduler: Scheduler,
  change: { contactId: string; changed?: string[] | undefined },
): Promise<number> {
  const workflows = (await deps.store.findTriggeredWorkflows(DATE_TRIGGER_KEY)).filter(
    (wf) => wf.dateTrigger && (!change.changed || change.changed.includes(`fields.${wf.dateTrigger.field}`)),
  );
  if (workflows.length === 0) return 0;
  const contact = await deps.store.getContact(change.contactId);
  if (!contact) return 0;
  const now = deps.clock.now();
  let scheduled = 0;
  for (const wf of workflows) {
    const trigger = wf.dateTrigger as DateTrigger;
    const at = dateTriggerAt(trigger, contact.fields[trigger.field]);
    if (!at || at <= now) continue;
    await scheduler.scheduleOnce(dateScheduleName(wf.workflowId, contact.id, at), at, {
      kind: 'workflowDate',
      workflowId: wf.workflowId,
      contactId: contact.id,
      at: at.toISOString(),
    });
    scheduled++;
  }
  return scheduled;
}

/** A date schedule fired: the contact is enrolled if the workflow and the field still say so. */
export async function fireDateTrigger(
  deps: AutomationDeps,
  engine: WorkflowEngine,
  action: { workflowId: string; contactId: string; at: string },
): Promise<string> {
  const wf = (await deps.store.findTriggeredWorkflows(DATE_TRIGGER_KEY)).find(
    (w) => w.workflowId === action.workflowId,
  );
  if (!wf?.dateTrigger) return 'ignored: the workflow no longer waits for a date';
  const contact = await deps.store.getContact(action.contactId);
  if (!contact) return 'ignored: no such contact';
  const at = dateTriggerAt(wf.dateTrigger, contact.fields[wf.dateTrigger.field]);
  if (at?.toISOString() !== action.at) return 'ignored: the date moved';
  const enrollment = await enrollContact(deps, engine, wf, {
    eventId: `date:${wf.workflowId}:${contact.id}:${action.at}`,
    contactId: contact.id,
  });
  return enrollment ? `enrolled: ${enrollment.id}` : 'not enrolled';
}
