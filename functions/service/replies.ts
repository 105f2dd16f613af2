/**
 * What goes back to the customer: an agent's reply (or an internal note, never sent) and the
 * acknowledgement of a new case from email. Emails go through the tracked sender (one send per
 * slot, with a lease: a retried request or delivery never sends twice) as threaded replies: the
 * subject carries the case reference, In-Reply-To and References quote the customer's last email,
 * Reply-To is the support address, so the customer's answer comes back into the same case.
 */

import type { EmailContext } from '#messaging/sender.js';
import { sendTrackedEmail } from '#messaging/sender.js';
import { conflict } from '#platform/errors.js';
import { escapeHtml } from '#platform/http/html.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { emit } from '#platform/store.js';
import { caseEventBase, getCase, moveStatus, subjectTag, THREAD_LIMIT } from './cases.js';
import type { Case, CaseMessage, ReplyInput } from './model.js';
import type { ServiceDeps } from './store.js';

export interface ServiceEmailContext extends EmailContext {
  /** Where customers write (and reply) to. */
  supportAddress: string;
}

/** Suggested reading for the acknowledgement (the knowledge base's articles matching the case). */
export type Suggest = (text: string) => Promise<Array<{ title: string; url: string }>>;

const replySubject = (c: Case) => {
  const base = c.subject.replace(/\s*\[#[0-9A-Z]{8}\]\s*/gi, ' ').trim();
  return `${/^re:/i.test(base) ? base : `Re: ${base}`} ${subjectTag(c)}`;
};

const paragraphsHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');

/** The threading headers of an email on the case: it answers the customer's latest email. */
function threading(messages: CaseMessage[], ctx: ServiceEmailContext): Record<string, string> {
  const ids = messages.filter((m) => m.kind === 'inbound' && m.emailId).map((m) => `<${m.emailId}>`);
  const last = ids.at(-1);
  return {
    'Reply-To': ctx.supportAddress,
    ...(last ? { 'In-Reply-To': last, References: ids.slice(-10).join(' ') } : {}),
  };
}

/** Sends an email on the case; its provider id joins the case's email ids (a reply quoting it threads). */
async function sendOnCase(
  deps: ServiceDeps,
  ctx: ServiceEmailContext,
  c: Case,
  messages: CaseMessage[],
  slot: string,
  text: string,
): Promise<string> {
  const contact = await deps.store.getContact(c.contactId);
  if (!contact)
    throw conflict('contact_erased', `the contact of case ${c.id} was erased: nothing can be sent`);
  const outcome = await sendTrackedEmail(deps, ctx, {
    contact: { ...contact, email: c.email },
    template: {
      id: 'case-reply',
      prepared: {
        subject: replySubject(c),
        html: `<!doctype html><html><body>${paragraphsHtml(text)}</body></html>`,
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

/**
 * An agent's reply (emailed to the customer) or internal note on the case, with an optional status.
 * A reply is the case's first response when none was sent before; a note is never a response.
 */
export async function replyToCase(
  deps: ServiceDeps,
  ctx: ServiceEmailContext,
  caseId: string,
  input: ReplyInput,
): Promise<CaseMessage> {
  const [c, messages] = await Promise.all([
    getCase(deps, caseId),
    deps.store.listCaseMessages(caseId, THREAD_LIMIT),
  ]);
  const id = deps.ids.next();
  const emailId = input.internal ? undefined : await sendOnCase(deps, ctx, c, messages, id, input.text);
  return withOptimisticRetry(
    async () => {
      const current = await getCase(deps, caseId);
      const now = deps.clock.now();
      const at = now.toISOString();
      const message: CaseMessage = {
        id,
        caseId,
        kind: input.internal ? 'note' : 'reply',
        ...(input.author ? { author: input.author } : {}),
        ...(input.internal ? {} : { to: current.email, subject: replySubject(current) }),
        text: input.text,
        ...(emailId ? { emailId } : {}),
        attachments: [],
        at,
      };
      const to = input.status ?? (!input.internal && current.status === 'new' ? 'open' : undefined);
      const moved = to ? moveStatus(deps, current, to, now) : { case: current, events: [] };
      const first = !input.internal && current.firstResponseAt === undefined;
      const saved: Case = {
        ...moved.case,
        messageCount: current.messageCount + 1,
        ...(input.internal ? {} : { lastMessageFrom: 'out' as const, lastMessageAt: at }),
        ...(first ? { firstResponseAt: at } : {}),
        version: current.version + 1,
        updatedAt: at,
      };
      await deps.store.commit([
        { kind: 'putCase', case: saved, expectedVersion: current.version },
        { kind: 'addCaseMessage', message, emailIds: emailId ? [emailId.toLowerCase()] : [] },
        ...moved.events,
        ...(input.internal
          ? []
          : [
              emit(deps, now, 'CaseReplied', {
                ...caseEventBase(current),
                messageId: id,
                first,
              }),
            ]),
      ]);
      return message;
    },
    (conflictOf) => conflictOf.part === 'version',
  );
}

/**
 * The acknowledgement of a case opened by email (sent once per case: a redelivered email does not
 * send it again), with the articles that may already answer it. Recorded on the case.
 */
export async function acknowledgeCase(
  deps: ServiceDeps,
  ctx: ServiceEmailContext,
  caseId: string,
  suggest?: Suggest,
): Promise<string> {
  const [c, messages] = await Promise.all([
    getCase(deps, caseId),
    deps.store.listCaseMessages(caseId, THREAD_LIMIT),
  ]);
  if (messages.some((m) => m.kind === 'acknowledgement')) return 'already_acknowledged';
  const articles = suggest ? await suggest(`${c.subject}\n${messages[0]?.text ?? ''}`).catch(() => []) : [];
  const text = [
    `We received your message and will get back to you soon. Your reference is #${c.ref}: please keep it in the subject if you write again.`,
    ...(articles.length
      ? [`These articles may already answer it:\n${articles.map((a) => `- ${a.title}: ${a.url}`).join('\n')}`]
      : []),
  ].join('\n\n');
  const emailId = await sendOnCase(deps, ctx, c, messages, 'ack', text);
  const id = deps.ids.next();
  await withOptimisticRetry(
    async () => {
      const current = await getCase(deps, caseId);
      const at = deps.clock.now().toISOString();
      await deps.store.commit([
        // An automatic answer: neither the first response nor the latest word.
        {
          kind: 'putCase',
          case: { ...current, messageCount: current.messageCount + 1, version: current.version + 1 },
          expectedVersion: current.version,
        },
        {
          kind: 'addCaseMessage',
          message: {
            id,
            caseId,
            kind: 'acknowledgement',
            to: c.email,
            subject: replySubject(c),
            text,
            emailId,
            attachments: [],
            at,
          },
          emailIds: [emailId.toLowerCase()],
        },
      ]);
    },
    (conflictOf) => conflictOf.part === 'version',
  );
  return 'acknowledged';
}
