/**
 * Delivering a follow-up when its schedule fires (the scheduled-action Lambda). Planning, listing
 * and cancelling live in follow-ups.ts; this half needs the template engine and the mailer.
 */
import { type EmailContext, sendTrackedEmail } from './email-sender.js';
import { closeWrites } from './follow-ups.js';
import { FOLLOW_UP_SLOT } from './model.js';
import { CommitConflict, type Deps } from './ports.js';

/** The follow-up's schedule fired. Idempotent: only a scheduled follow-up is acted on. */
export async function fireFollowUp(deps: Deps, ctx: EmailContext, id: string): Promise<string> {
  const followUp = await deps.store.getFollowUp(id);
  if (!followUp) return 'ignored: no such follow-up';
  if (followUp.status !== 'scheduled') return `ignored: ${followUp.status}`;
  const skip = async (reason: string) => {
    try {
      await deps.store.commit(closeWrites(deps, followUp, 'skipped', deps.clock.now(), { reason }));
    } catch (err) {
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
  const outcome = await sendTrackedEmail(deps, ctx, {
    contact,
    template,
    slot: { enrollmentId: FOLLOW_UP_SLOT, stepId: followUp.id },
    tags: { followUpId: followUp.id },
    onSent: (messageId) => closeWrites(deps, followUp, 'sent', deps.clock.now(), { messageId }),
  });
  if (outcome.status === 'blocked') return skip(outcome.reason);
  if (outcome.status === 'already_claimed') return 'ignored: already sending';
  return 'sent';
}
