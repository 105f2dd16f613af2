/** Unsubscribes and the feedback SES reports (bounces, complaints, opens, clicks). */
import { makeEvent } from '../contracts/events.js';
import { eventMeta } from './contacts.js';
import type { Activity } from './model.js';
import { CommitConflict, type Deps, type Write } from './ports.js';
import { normalizeEmail } from './values.js';

function emailActivity(
  deps: Deps,
  contactId: string,
  body: string,
  data: Record<string, unknown>,
  at: string,
): Activity {
  return { id: deps.ids.next(), contactId, type: 'email', body, occurredAt: at, recordedAt: at, data };
}

/** Unsubscribes a contact from marketing email (idempotent). Returns false for an unknown contact. */
export async function unsubscribe(deps: Deps, contactId: string, source: string): Promise<boolean> {
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
          { event: 'unsubscribed', source },
          at,
        ),
        checkContact: false,
      },
      { kind: 'emit', event: makeEvent('ContactUnsubscribed', { contactId }, eventMeta(deps, now)) },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
  }
  return true;
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

export async function handleSesEvent(deps: Deps, event: SesEvent): Promise<string> {
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
        const writes: Write[] = [
          { kind: 'suppress', email, reason, at },
          {
            kind: 'emit',
            event: makeEvent(
              'ContactSuppressed',
              {
                email,
                reason,
                ...(contactId ? { contactId } : {}),
                ...(send ? { templateId: send.templateId } : {}),
                ...(send?.workflowId ? { workflowId: send.workflowId } : {}),
              },
              eventMeta(deps, now),
            ),
          },
        ];
        if (contactId) {
          writes.push({
            kind: 'putActivity',
            activity: emailActivity(
              deps,
              contactId,
              complaint ? 'Marked an email as spam' : 'Email bounced permanently',
              { event: reason, messageId },
              at,
            ),
            checkContact: true,
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
          {
            kind: 'emit',
            event: makeEvent(
              'EmailEngaged',
              {
                contactId: send.contactId,
                messageId,
                type,
                templateId: send.templateId,
                ...(send.workflowId ? { workflowId: send.workflowId } : {}),
              },
              eventMeta(deps, now),
            ),
          },
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
