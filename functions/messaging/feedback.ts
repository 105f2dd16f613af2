/** Unsubscribes and the feedback SES reports (bounces, complaints, opens, clicks). */
import { systemActivity } from '#contacts/model.js';
import { CommitConflict, emit } from '#platform/store.js';
import { normalizeEmail } from '#platform/values.js';
import type { EmailSend } from './model.js';
import type { MessagingDeps, MessagingWrite } from './store.js';

const emailActivity = (
  deps: MessagingDeps,
  contactId: string,
  body: string,
  data: Record<string, unknown>,
  at: string,
) => systemActivity(deps, contactId, 'email', body, at, data);

/** Unsubscribes a contact from marketing email (idempotent). Returns false for an unknown contact. */
/** Unsubscribes a contact from marketing email; `campaignId`: the campaign whose email's link it used. */
export async function unsubscribe(
  deps: MessagingDeps,
  contactId: string,
  source: string,
  campaignId?: string,
): Promise<boolean> {
  const contact = await deps.store.getContact(contactId);
  if (!contact) return false;
  if (contact.unsubscribedAt) return true;
  const now = deps.clock.now();
  const at = now.toISOString();
  try {
    await deps.store.commit([
      { kind: 'markUnsubscribed', contactId, at },
      { kind: 'suppress', email: contact.email, reason: 'unsubscribed', at },
      {
        kind: 'putActivity',
        activity: emailActivity(
          deps,
          contactId,
          'Unsubscribed from marketing email',
          { event: 'unsubscribed', source, ...(campaignId ? { campaignId } : {}) },
          at,
        ),
        checkContact: false,
      },
      emit(deps, now, 'ContactUnsubscribed', { contactId, ...(campaignId ? { campaignId } : {}) }),
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
  }
  return true;
}

/** The first click of a contact on a link of a campaign's email: counted once (redelivered events too). */
async function recordLinkClick(deps: MessagingDeps, send: EmailSend, messageId: string, link: string) {
  if (!send.campaignId || !/^https?:\/\//.test(link)) return;
  const now = deps.clock.now();
  const { contactId, campaignId } = send;
  try {
    await deps.store.commit([
      { kind: 'recordLinkClick', contactId, campaignId, link, at: now.toISOString() },
      emit(deps, now, 'EmailLinkClicked', { contactId, messageId, campaignId, link }),
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
  }
}

/** The parts of an SES event (EventBridge detail) Tendril reads. */
export interface SesEvent {
  detailType: string;
  detail: {
    mail?: { messageId?: string; destination?: string[] };
    bounce?: { bounceType?: string; bouncedRecipients?: Array<{ emailAddress?: string }> };
    complaint?: { complainedRecipients?: Array<{ emailAddress?: string }> };
    open?: { timestamp?: string };
    click?: { timestamp?: string; link?: string };
  };
}

export async function handleSesEvent(deps: MessagingDeps, event: SesEvent): Promise<string> {
  const messageId = event.detail.mail?.messageId;
  if (!messageId) return 'ignored: no message id';
  const send = await deps.store.findSendByMessageId(messageId);
  const now = deps.clock.now();
  const at = now.toISOString();
  switch (event.detailType) {
    case 'Email Bounced':
    case 'Email Complaint Received': {
      const complaint = event.detailType === 'Email Complaint Received';
      if (!complaint && event.detail.bounce?.bounceType !== 'Permanent') return 'ignored: transient bounce';
      const recipients = complaint
        ? event.detail.complaint?.complainedRecipients
        : event.detail.bounce?.bouncedRecipients;
      const reason = complaint ? 'complaint' : 'bounce';
      for (const r of recipients ?? []) {
        if (!r.emailAddress) continue;
        const email = normalizeEmail(r.emailAddress);
        if (await deps.store.getSuppression(email)) continue;
        const contactId = await deps.store.findContactIdByEmail(email);
        const writes: MessagingWrite[] = [
          { kind: 'suppress', email, reason, at },
          emit(deps, now, 'ContactSuppressed', {
            reason,
            ...(contactId ? { contactId } : {}),
            ...(send ? { templateId: send.templateId } : {}),
            ...(send?.workflowId ? { workflowId: send.workflowId } : {}),
            ...(send?.campaignId ? { campaignId: send.campaignId } : {}),
          }),
        ];
        if (contactId) {
          // The contact shows it: the API and the screens tell the truth about the address.
          writes.push({ kind: 'markEmailSuppressed', contactId, suppression: { reason, at } });
          writes.push({
            kind: 'putActivity',
            activity: emailActivity(
              deps,
              contactId,
              complaint ? 'Marked an email as spam' : 'Email bounced permanently',
              { event: reason, messageId },
              at,
            ),
            checkContact: false,
          });
        }
        await deps.store.commit(writes);
      }
      return reason;
    }
    case 'Email Opened':
    case 'Email Clicked': {
      if (!send) return 'ignored: unknown message';
      const type = event.detailType === 'Email Opened' ? 'opened' : 'clicked';
      const link = event.detail.click?.link;
      // A campaign's report counts the contacts who clicked each link (every click, not just the first).
      if (type === 'clicked' && link && send.campaignId) await recordLinkClick(deps, send, messageId, link);
      try {
        await deps.store.commit([
          { kind: 'recordEngagement', send, type, at },
          {
            kind: 'putActivity',
            activity: emailActivity(
              deps,
              send.contactId,
              type === 'opened' ? 'Opened an email' : 'Clicked a link in an email',
              {
                event: type,
                messageId,
                templateId: send.templateId,
                ...(event.detail.click?.link ? { link: event.detail.click.link } : {}),
              },
              at,
            ),
            checkContact: true,
          },
          emit(deps, now, 'EmailEngaged', {
            contactId: send.contactId,
            messageId,
            type,
            templateId: send.templateId,
            ...(send.workflowId ? { workflowId: send.workflowId } : {}),
            ...(send.campaignId ? { campaignId: send.campaignId } : {}),
            ...(send.variant ? { variant: send.variant } : {}),
          }),
        ]);
      } catch (err) {
        // Already recorded (first open/click counts), or the contact is gone.
        if (err instanceof CommitConflict) return `ignored: ${type} already recorded`;
        throw err;
      }
      return type;
    }
    default:
      return `ignored: ${event.detailType}`;
  }
}
