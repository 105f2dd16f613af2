/**
 * Delivering a follow-up when its schedule fires (the scheduled-action Lambda). Planning, listing
 * and cancelling live in follow-ups.ts; this half needs the template engine and the mailer.
 */
import { CommitConflict } from '#platform/store.js';
import { closeWrites } from './follow-ups.js';
import { FOLLOW_UP_SLOT, type FollowUp } from './model.js';
import { type EmailContext, SendInProgress, sendTrackedEmail } from './sender.js';
import type { MessagingDeps } from './store.js';

/**
 * The follow-up's schedule fired (or the reconciler found it stuck `sending`). Idempotent: a
 * scheduled follow-up moves scheduled → sending → sent (or back to scheduled when the provider
 * failed and a retry may send); a `sending` one whose attempt died is taken over once its send
 * claim's lease has ended (until then this throws SendInProgress, to be retried).
 */
export async function fireFollowUp(deps: MessagingDeps, ctx: EmailContext, id: string): Promise<string> {
  const followUp = await deps.store.getFollowUp(id);
  if (!followUp) return 'ignored: no such follow-up';
  if (followUp.status !== 'scheduled' && followUp.status !== 'sending') return `ignored: ${followUp.status}`;
  const skip = async (reason: string) => {
    // As it is now: a rejected send has put it back to scheduled meanwhile.
    const current = await deps.store.getFollowUp(id);
    if (current?.status !== 'scheduled' && current?.status !== 'sending')
      return `ignored: ${current?.status}`;
    try {
      await deps.store.commit(closeWrites(deps, current, 'skipped', deps.clock.now(), { reason }));
    } catch (err) {
      // Cancelled or closed by someone else meanwhile.
      if (!(err instanceof CommitConflict)) throw err;
    }
    return `skipped: ${reason}`;
  };
  const [contact, template] = await Promise.all([
    deps.store.getContact(followUp.contactId),
    deps.store.getTemplate(followUp.templateId),
  ]);
  if (!contact) return skip('contact_deleted');
  if (!template) return skip('template_missing');
  // While the email goes out the follow-up is `sending`: a cancel then gets a 409 instead of
  // "cancelling" an email that is being delivered, and a cancel that committed after our read makes
  // the claim fail, so nothing is sent.
  const sending: FollowUp = { ...followUp, status: 'sending', updatedAt: deps.clock.now().toISOString() };
  const scheduled: FollowUp = { ...followUp, status: 'scheduled' };
  const outcome = await sendTrackedEmail(deps, ctx, {
    contact,
    template,
    slot: { enrollmentId: FOLLOW_UP_SLOT, stepId: followUp.id },
    tags: { followUpId: followUp.id },
    onClaim: [{ kind: 'putFollowUp', followUp: sending, expectedStatus: followUp.status }],
    onRelease: [{ kind: 'putFollowUp', followUp: scheduled, expectedStatus: 'sending' }],
    onSent: (messageId) => closeWrites(deps, sending, 'sent', deps.clock.now(), { messageId }),
  });
  if (outcome.status === 'blocked') return skip(outcome.reason);
  if (outcome.status === 'already_sent') return 'ignored: already sent';
  if (outcome.status === 'precondition_failed')
    return `ignored: ${(await deps.store.getFollowUp(id))?.status ?? 'deleted'}`;
  return 'sent';
}

/** A follow-up `sending` for longer than this has lost its attempt (the lease is far shorter). */
export const STUCK_SENDING_MS = 2 * 60_000;

/**
 * Follow-ups left `sending` by an attempt that died (a crash after the claim, a lost retry): each
 * is fired again, which takes its expired claim over and sends, or puts right what was done.
 */
export async function reconcileFollowUps(
  deps: MessagingDeps,
  ctx: EmailContext,
  limit = 100,
): Promise<{ looked: number; outcomes: string[] }> {
  const stuck = await deps.store.listSendingFollowUps(
    new Date(deps.clock.now().getTime() - STUCK_SENDING_MS),
    limit,
  );
  const outcomes: string[] = [];
  for (const followUp of stuck) {
    try {
      outcomes.push(await fireFollowUp(deps, ctx, followUp.id));
    } catch (err) {
      if (!(err instanceof SendInProgress)) throw err;
      outcomes.push('ignored: still sending');
    }
  }
  return { looked: stuck.length, outcomes };
}
