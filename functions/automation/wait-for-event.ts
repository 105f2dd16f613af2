/**
 * The waitForEvent step: its Task is a callback Task (`.waitForTaskToken`). The step Lambda records
 * the token as the contact's waiter, unless the event already happened during this enrollment (then
 * it answers the token at once). The consumer of the contact's events (the enroller) answers the
 * waiters whose event happened. The check runs again after the waiter is stored, so an event that
 * landed in between is never missed; a timeout lets the enrollment go on without it.
 */
import type { Contact } from '#contacts/model.js';
import type { DomainEvent } from '#platform/events.js';
import { CommitConflict } from '#platform/store.js';
import type { WaitEvent } from './language.js';
import type { Enrollment, Waiter } from './model.js';
import type { TaskCallbacks } from './ports.js';
import { repliedDuring, replyingContactOf } from './reply-goal.js';
import type { AutomationDeps } from './store.js';

/** What the Task's output says: the event came (`received`). A timeout is caught in the state machine. */
const RECEIVED = { outcome: 'received' } as const;

/** Whether the event happened for this enrollment: the tag is on, a link was clicked, a reply came since it began. */
async function happened(
  deps: AutomationDeps,
  enrollment: Enrollment,
  contact: Contact,
  event: WaitEvent,
): Promise<boolean> {
  switch (event.type) {
    case 'tagAdded':
      return contact.tags.includes(event.tag);
    case 'emailClicked': {
      const send = await deps.store.getSend(contact.id, enrollment.id, event.step);
      return Boolean(send?.clickedAt);
    }
    case 'emailReplied':
      return repliedDuring(await deps.store.getRepliedAt(contact.id), enrollment);
  }
}

/** The step's Task: answer now if the event happened, else wait for it (`token` is the Task's). */
export async function waitForEventStep(
  deps: AutomationDeps,
  callbacks: TaskCallbacks,
  input: { stepId: string; event?: unknown; taskToken?: string; timeoutSeconds?: number },
  enrollment: Enrollment,
  contact: Contact,
): Promise<{ outcome: string }> {
  const event = input.event as WaitEvent;
  const token = input.taskToken;
  if (!token) throw new Error('a waitForEvent Task needs its task token');
  if (await happened(deps, enrollment, contact, event)) {
    await callbacks.succeed(token, RECEIVED);
    return { outcome: 'received' };
  }
  const waiter: Waiter = {
    contactId: contact.id,
    enrollmentId: enrollment.id,
    stepId: input.stepId,
    event,
    token,
    until: new Date(deps.clock.now().getTime() + (input.timeoutSeconds ?? 0) * 1000).toISOString(),
  };
  await deps.store.commit([{ kind: 'putWaiter', waiter }]);
  // The event may have landed between the first look and the waiter being stored: look again.
  const now = await deps.store.getContact(contact.id);
  if (now && (await happened(deps, enrollment, now, event))) {
    await answer(deps, callbacks, waiter);
    return { outcome: 'received' };
  }
  return { outcome: 'waiting' };
}

/** Answers a waiter's token and removes it (kept if a newer registration replaced it meanwhile). */
async function answer(deps: AutomationDeps, callbacks: TaskCallbacks, waiter: Waiter): Promise<boolean> {
  const resumed = await callbacks.succeed(waiter.token, RECEIVED);
  await forget(deps, waiter);
  return resumed;
}

async function forget(deps: AutomationDeps, waiter: Waiter): Promise<void> {
  try {
    await deps.store.commit([{ kind: 'deleteWaiter', waiter }]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
  }
}

/** The contact whose waiters an event may end: a tag, a click, an email from them. */
export function waitingContactOf(event: DomainEvent): string | undefined {
  switch (event.detailType) {
    case 'ContactTagged':
      return event.detail.contactId;
    case 'EmailEngaged':
      return event.detail.type === 'clicked' ? event.detail.contactId : undefined;
    default:
      return replyingContactOf(event);
  }
}

/**
 * Answers the contact's waiters whose event happened (the consumer of the contact's events). A
 * waiter whose enrollment moved on or ended is removed. Returns how many waits it ended.
 */
export async function resumeWaiters(
  deps: AutomationDeps,
  callbacks: TaskCallbacks,
  contactId: string,
): Promise<number> {
  const waiters = await deps.store.listWaiters(contactId);
  if (waiters.length === 0) return 0;
  const contact = await deps.store.getContact(contactId);
  let resumed = 0;
  for (const waiter of waiters) {
    const enrollment = await deps.store.getEnrollment(contactId, waiter.enrollmentId);
    if (!contact || enrollment?.status !== 'active' || enrollment.currentStep !== waiter.stepId) {
      await forget(deps, waiter);
      continue;
    }
    if (await happened(deps, enrollment, contact, waiter.event))
      if (await answer(deps, callbacks, waiter)) resumed++;
  }
  return resumed;
}
