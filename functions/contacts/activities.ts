/** The contact's timeline: logging a note, call, meeting, email or purchase, and reading it. */
import { notFound } from '#platform/errors.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import type { Activity } from './model.js';
import type { ContactsDeps } from './store.js';

/** The contact, or a 404 (the same as rules.ts's getContact, without importing it back). */
async function mustExist(deps: ContactsDeps, id: string) {
  if (!(await deps.store.getContact(id))) throw notFound('contact', id);
}

export type ManualActivity = {
  type: Activity['type'];
  body?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  /** A call's outcome. */
  outcome?: Activity['outcome'] | undefined;
  /** A call's or a meeting's length, in minutes. */
  durationMinutes?: number | undefined;
  /** A meeting's other attendees. */
  attendees?: string[] | undefined;
  occurredAt?: string | undefined;
};

export async function recordActivity(
  deps: ContactsDeps,
  contactId: string,
  input: ManualActivity,
): Promise<Activity> {
  await mustExist(deps, contactId);
  const now = deps.clock.now();
  const activity: Activity = {
    id: deps.ids.next(),
    contactId,
    type: input.type,
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
    ...(input.durationMinutes !== undefined ? { durationMinutes: input.durationMinutes } : {}),
    ...(input.attendees !== undefined && input.attendees.length > 0 ? { attendees: input.attendees } : {}),
    occurredAt: input.occurredAt ?? now.toISOString(),
    recordedAt: now.toISOString(),
  };
  try {
    await deps.store.commit([
      { kind: 'putActivity', activity, checkContact: true },
      emit(deps, now, 'ActivityRecorded', { contactId, activityId: activity.id, type: activity.type }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putActivity')
      throw notFound('contact', contactId);
    throw err;
  }
  return activity;
}

export async function listActivities(
  deps: ContactsDeps,
  contactId: string,
  options: ListOptions,
): Promise<Page<Activity>> {
  await mustExist(deps, contactId);
  return deps.store.listActivities(contactId, options);
}
