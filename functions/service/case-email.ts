/**
 * Emails on a case (agents' replies, acknowledgements, CSAT surveys): sent through the tracked sender
 * (one send per slot, with a lease: a retried request or delivery never sends twice) as threaded
 * replies: the subject carries the case reference, In-Reply-To and References quote the customer's
 * last email, Reply-To is the support address, so the customer's answer comes back into the same case.
 */

import type { EmailContext } from '#messaging/sender.js';
import { sendTrackedEmail } from '#messaging/sender.js';
import { SYSTEM_EMAILS } from '#messaging/system-emails.js';
import { conflict } from '#platform/errors.js';
import { escapeHtml } from '#platform/http/html.js';
import { subjectTag } from './cases.js';
import type { Case, CaseMessage } from './model.js';
import type { ServiceDeps } from './store.js';

export interface ServiceEmailContext extends EmailContext {
  /** Where customers write (and reply) to. */
  supportAddress: string;
}

export const replySubject = (c: Case) => {
  const base = c.subject.replace(/\s*\[#[0-9A-Z]{8}\]\s*/gi, ' ').trim();
  return `${/^re:/i.test(base) ? base : `Re: ${base}`} ${subjectTag(c)}`;
};

export const paragraphsHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');

/** The threading headers of an email on the case: it answers the customer's latest email. */
export function threading(messages: CaseMessage[], ctx: ServiceEmailContext): Record<string, string> {
  const ids = messages
    .filter((m) => m.kind === 'inbound' && !m.automatic && m.emailId)
    .map((m) => `<${m.emailId}>`);
  const last = ids.at(-1);
  return {
    'Reply-To': ctx.supportAddress,
    ...(last ? { 'In-Reply-To': last, References: ids.slice(-10).join(' ') } : {}),
  };
}

/** What an email on the case says: its text, and its own HTML (else the text's paragraphs) and id. */
export interface CaseEmailContent {
  text: string;
  html?: string;
  /** Names the email in the send record, tags and EmailSent (default `case-reply`). */
  id?: string;
}

/** Sends an email on the case; its provider id joins the case's email ids (a reply quoting it threads). */
export async function sendOnCase(
  deps: ServiceDeps,
  ctx: ServiceEmailContext,
  c: Case,
  messages: CaseMessage[],
  slot: string,
  content: string | CaseEmailContent,
): Promise<string> {
  const { text, html, id } = typeof content === 'string' ? { text: content } : content;
  const contact = await deps.store.getContact(c.contactId);
  if (!contact)
    throw conflict('contact_erased', `the contact of case ${c.id} was erased: nothing can be sent`);
  const outcome = await sendTrackedEmail(deps, ctx, {
    contact: { ...contact, email: c.email },
    template: {
      id: id ?? SYSTEM_EMAILS.caseReply,
      prepared: {
        subject: replySubject(c),
        html: html ?? `<!doctype html><html><body>${paragraphsHtml(text)}</body></html>`,
        text: `${text}\n`,
      },
    },
    slot: { enrollmentId: 'CASE', stepId: `${c.id}.${slot}` },
    headers: threading(messages, ctx),
    tags: { caseId: c.id },
  });
  if (outcome.status === 'sent') return outcome.messageId;
  if (outcome.status === 'already_sent') {
    const sent = await deps.store.getSend(contact.id, 'CASE', `${c.id}.${slot}`);
    if (sent?.messageId) return sent.messageId;
  }
  throw conflict(
    'email_not_sent',
    outcome.status === 'blocked'
      ? `the email to ${c.email} was not sent: ${outcome.reason.replace(/_/g, ' ')}`
      : 'the email was not sent',
  );
}
