/**
 * Scheduled follow-ups: one email to one contact at a chosen time. The schedule is created first
 * (under a name derived from the follow-up id) and the record second, so a failure leaves at most a
 * schedule that finds no record and does nothing. When it fires, the send passes the same checks as
 * a workflow email (unsubscribed, suppressed) and happens at most once — see follow-up-delivery.ts,
 * kept apart so the API that plans follow-ups does not carry the template engine.
 */
import { getContact } from '#contacts/rules.js';
import { conflict, invalid, invalidReference, notFound } from '#platform/errors.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import type { FollowUp } from './model.js';
import type { MessagingDeps, MessagingWrite } from './store.js';

/** EventBridge Scheduler accepts one-time schedules up to years ahead; a CRM follow-up needs one year. */
const MAX_AHEAD_MS = 366 * 24 * 3600 * 1000;

export interface NewFollowUp {
  templateId: string;
  sendAt: string;
}

/**
 * Closing a follow-up: its new status, on condition that it is still in the status it is leaving,
 * and the FollowUpClosed event, in one commit.
 */
export function closeWrites(
  deps: MessagingDeps,
  followUp: FollowUp,
  status: 'sent' | 'cancelled' | 'skipped',
  now: Date,
  extra: { reason?: string; messageId?: string } = {},
): MessagingWrite[] {
  return [
    {
      kind: 'putFollowUp',
      followUp: { ...followUp, status, ...extra, updatedAt: now.toISOString() },
      expectedStatus: followUp.status,
    },
    emit(deps, now, 'FollowUpClosed', {
      followUpId: followUp.id,
      contactId: followUp.contactId,
      templateId: followUp.templateId,
      sendAt: followUp.sendAt,
      status,
      ...(extra.reason ? { reason: extra.reason } : {}),
    }),
  ];
}

export async function scheduleFollowUp(
  deps: MessagingDeps,
  scheduler: Scheduler,
  contactId: string,
  input: NewFollowUp,
): Promise<FollowUp> {
  const contact = await getContact(deps, contactId);
  const now = deps.clock.now();
  const sendAt = new Date(input.sendAt);
  if (sendAt.getTime() <= now.getTime()) {
    throw invalid('send_at_in_past', 'sendAt must be in the future', [
      { path: 'sendAt', message: `must be after ${now.toISOString()}`, code: 'send_at_in_past' },
    ]);
  }
  if (sendAt.getTime() - now.getTime() > MAX_AHEAD_MS) {
    throw invalid('validation_error', 'sendAt must be within a year', [
      { path: 'sendAt', message: 'must be within 366 days' },
    ]);
  }
  if (!(await deps.store.getTemplate(input.templateId)))
    throw invalidReference('templateId', 'template', input.templateId);
  if (contact.unsubscribedAt)
    throw conflict('contact_unsubscribed', `contact ${contactId} unsubscribed from marketing email`);
  const suppressed = await deps.store.getSuppression(contact.email);
  if (suppressed)
    throw conflict('contact_suppressed', `email to ${contact.email} is suppressed (${suppressed.reason})`);

  const id = deps.ids.next();
  const at = now.toISOString();
  const followUp: FollowUp = {
    id,
    contactId,
    templateId: input.templateId,
    sendAt: sendAt.toISOString(),
    status: 'scheduled',
    scheduleName: `follow-up-${id}`,
    createdAt: at,
    updatedAt: at,
  };
  await scheduler.scheduleOnce(followUp.scheduleName, sendAt, { kind: 'followUp', followUpId: id });
  try {
    await deps.store.commit([
      { kind: 'putFollowUp', followUp },
      emit(deps, now, 'FollowUpScheduled', {
        followUpId: id,
        contactId,
        templateId: input.templateId,
        sendAt: followUp.sendAt,
      }),
    ]);
  } catch (err) {
    await scheduler.cancel(followUp.scheduleName);
    throw err;
  }
  return followUp;
}

export async function listFollowUps(
  deps: MessagingDeps,
  contactId: string,
  options: ListOptions,
): Promise<Page<FollowUp>> {
  await getContact(deps, contactId);
  return deps.store.listFollowUps(contactId, options);
}

/** Cancels a scheduled follow-up (409 while it is being sent, and once sent, skipped or cancelled). */
export async function cancelFollowUp(
  deps: MessagingDeps,
  scheduler: Scheduler,
  id: string,
): Promise<FollowUp> {
  const followUp = await deps.store.getFollowUp(id);
  if (!followUp) throw notFound('follow-up', id);
  const refuse = (status: FollowUp['status'] | undefined) =>
    status === 'sending'
      ? conflict('follow_up_sending', `follow-up ${id} is being sent right now`, { status })
      : conflict('follow_up_closed', `follow-up ${id} is already ${status}`, { status });
  if (followUp.status !== 'scheduled') throw refuse(followUp.status);
  const now = deps.clock.now();
  try {
    await deps.store.commit(closeWrites(deps, followUp, 'cancelled', now));
  } catch (err) {
    if (err instanceof CommitConflict) throw refuse((await deps.store.getFollowUp(id))?.status);
    throw err;
  }
  // The record says cancelled first: should this delete fail, the schedule fires and does nothing.
  await scheduler.cancel(followUp.scheduleName);
  return { ...followUp, status: 'cancelled', updatedAt: now.toISOString() };
}
