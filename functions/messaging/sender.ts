/**
 * Sending one tracked email to a contact: the checks every marketing email passes at send time
 * (unsubscribed, suppressed), at most one send per slot (a claim item), RFC 8058 one-click
 * unsubscribe headers, and the timeline activity and EmailSent event written with the completion.
 * Used by workflow steps and scheduled follow-ups.
 */
import { type Contact, systemActivity } from '#contacts/model.js';
import { RetryableError } from '#platform/errors.js';
import { CommitConflict, emit } from '#platform/store.js';
import type { Mailer } from './mailer.js';
import type { EmailSend, EmailTemplate } from './model.js';
import type { MessagingDeps, MessagingWrite } from './store.js';
import { mergeContext, renderTemplate } from './template-engine.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';

export interface EmailContext {
  mailer: Mailer;
  /** The HMAC key of unsubscribe links. */
  signingSecret: () => Promise<string>;
  /** Public base URL of the API, for unsubscribe links. */
  publicUrl: string;
}

export interface TrackedEmail {
  contact: Contact;
  template: EmailTemplate;
  /** The send slot: at most one email per (contact, enrollmentId, stepId). */
  slot: { enrollmentId: string; stepId: string };
  workflowId?: string;
  /** Provider tags (SES message tags) for reporting. */
  tags: Record<string, string>;
  /** Committed atomically with the claim: the caller's precondition (a follow-up still scheduled). */
  onClaim?: MessagingWrite[];
  /** Committed with the claim's release when nothing was sent (the follow-up scheduled again). */
  onRelease?: MessagingWrite[];
  /** Committed atomically with the completion (e.g. closing a follow-up). */
  onSent?: (messageId: string, at: string) => MessagingWrite[];
}

export type SendOutcome =
  | { status: 'sent'; messageId: string }
  /** An earlier attempt claimed this slot: nothing is sent again. */
  | { status: 'already_claimed' }
  /** A write of `onClaim` found its condition false (the follow-up was cancelled meanwhile): nothing sent. */
  | { status: 'precondition_failed' }
  | { status: 'blocked'; reason: 'unsubscribed' | 'suppressed' | 'email_rejected' };

export async function sendTrackedEmail(
  deps: MessagingDeps,
  ctx: EmailContext,
  email: TrackedEmail,
): Promise<SendOutcome> {
  const { contact, template, slot } = email;
  if (contact.unsubscribedAt) return { status: 'blocked', reason: 'unsubscribed' };
  if (await deps.store.getSuppression(contact.email)) return { status: 'blocked', reason: 'suppressed' };

  const send: EmailSend = {
    ...slot,
    contactId: contact.id,
    templateId: template.id,
    ...(email.workflowId ? { workflowId: email.workflowId } : {}),
    status: 'sending',
  };
  try {
    await deps.store.commit([{ kind: 'claimSend', send }, ...(email.onClaim ?? [])]);
  } catch (err) {
    if (err instanceof CommitConflict)
      return { status: err.write.kind === 'claimSend' ? 'already_claimed' : 'precondition_failed' };
    throw err;
  }
  const unsubscribeUrl = `${ctx.publicUrl}/u/${signUnsubscribeToken(await ctx.signingSecret(), contact.id)}`;
  const rendered = await renderTemplate(template, mergeContext(contact, { unsubscribeUrl }));
  let messageId: string;
  try {
    messageId = await ctx.mailer.send({
      to: contact.email,
      ...rendered,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      tags: { ...email.tags, templateId: template.id },
    });
  } catch (err) {
    // Nothing was sent: release the claim so a retry can send.
    await deps.store.commit([{ kind: 'releaseSend', send }, ...(email.onRelease ?? [])]);
    if (err instanceof RetryableError) throw err;
    // Rejected for good (bad address, unverified sender...): retrying cannot help.
    return { status: 'blocked', reason: 'email_rejected' };
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const activity = systemActivity(deps, contact.id, 'email', `Sent "${rendered.subject}"`, at, {
    templateId: template.id,
    ...email.tags,
    messageId,
  });
  await deps.store.commit([
    { kind: 'completeSend', send: { ...send, status: 'sent', messageId, sentAt: at } },
    { kind: 'putActivity', activity, checkContact: false },
    emit(deps, now, 'EmailSent', {
      contactId: contact.id,
      messageId,
      templateId: template.id,
      ...(email.workflowId
        ? { workflowId: email.workflowId, enrollmentId: slot.enrollmentId, stepId: slot.stepId }
        : {}),
    }),
    ...(email.onSent?.(messageId, at) ?? []),
  ]);
  return { status: 'sent', messageId };
}
