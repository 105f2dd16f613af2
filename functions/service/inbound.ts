/**
 * An email in: onto the case it answers, or a new case. Threading, most certain first: a Message-ID
 * it quotes (In-Reply-To, then References, newest first) that one of the case's emails had; then the
 * case reference in its subject (`[#K7Q2M9XA]`: providers may rewrite Message-IDs of sent mail).
 * A spoofed or spam message never joins an existing case; a message that is automatic (an
 * autoresponder, a bounce, a list) or comes from Tendril's own addresses is never answered, and a
 * loop of those is cut. Each inbound email is taken in once (its id is claimed in the same
 * transaction), so a redelivered one changes nothing.
 */
import { systemActivity } from '#contacts/model.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict, emit } from '#platform/store.js';
import { normalizeEmail } from '#platform/values.js';
import {
  caseEventBase,
  getCase,
  moveStatus,
  openCase,
  refInSubject,
  subjectTag,
  withMessage,
} from './cases.js';
import type { Attachment, Case, CaseMessage } from './model.js';
import { commitWithSla } from './sla.js';
import type { ServiceDeps } from './store.js';

export interface InboundEmail {
  /** The mail system's id of this delivery (SES's message id): taken in once. */
  inboundId: string;
  from: { address: string; name?: string | undefined };
  to: string[];
  /** Who else it was sent to (kept on the message; replies go to the case's requester). */
  cc?: string[] | undefined;
  subject: string;
  text: string;
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  references: string[];
  /** Auto-Submitted, bulk/list precedence, an autoresponder's headers, a mailer daemon. */
  automatic: boolean;
  /** SES's verdicts, judged (mime.ts): `virus` is dropped. Locally every message is trusted. */
  verdict: 'trusted' | 'spoofed' | 'spam' | 'virus';
  /** Already stored (or refused) by the adapter. */
  attachments: Attachment[];
}

export type InboundOutcome =
  | { outcome: 'opened' | 'appended'; caseId: string; acknowledge: boolean }
  | { outcome: 'duplicate'; caseId: string; acknowledge: boolean }
  /** From Tendril's own addresses (a loop), carrying a virus, or with no usable sender: dropped, counted. */
  | { outcome: 'loop' | 'virus' | 'no_sender' };

export interface InboundSettings {
  /** Tendril's addresses: the sender and the support address (a message from them is a loop). */
  ownAddresses: string[];
  /** Where SLA timers are scheduled (none: no SLA kept). */
  scheduler?: Scheduler | undefined;
}

/** Ids as stored: without angle brackets, lower-cased. */
export const bareId = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

/** The ids a message quotes, the most certain first; each also by its local part (SES rewrites the domain). */
function quotedIds(mail: InboundEmail): string[] {
  const ids = [mail.inReplyTo, ...[...mail.references].reverse()]
    .filter((id): id is string => !!id)
    .map(bareId);
  return [...new Set(ids.flatMap((id) => [id, id.split('@')[0] ?? id]))];
}

async function threadOf(deps: ServiceDeps, mail: InboundEmail): Promise<Case | undefined> {
  for (const id of quotedIds(mail).slice(0, 20)) {
    const caseId = await deps.store.findCaseByEmailId(id);
    if (caseId) return deps.store.getCase(caseId);
  }
  const ref = refInSubject(mail.subject);
  return ref ? deps.store.getCaseByRef(ref) : undefined;
}

const messageOf = (mail: InboundEmail): Omit<CaseMessage, 'id' | 'caseId' | 'at'> => ({
  kind: 'inbound',
  from: mail.from.name ? `${mail.from.name} <${mail.from.address}>` : mail.from.address,
  to: mail.to.join(', '),
  ...(mail.cc?.length ? { cc: mail.cc.join(', ') } : {}),
  subject: mail.subject,
  text: mail.text.trim() === '' ? '(no text)' : mail.text,
  ...(mail.messageId ? { emailId: bareId(mail.messageId) } : {}),
  ...(mail.inReplyTo ? { inReplyTo: bareId(mail.inReplyTo) } : {}),
  attachments: mail.attachments,
  ...(mail.automatic ? { automatic: true } : {}),
});

const VALID_ADDRESS = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/;

export async function receiveEmail(
  deps: ServiceDeps,
  settings: InboundSettings,
  mail: InboundEmail,
): Promise<InboundOutcome> {
  const from = normalizeEmail(mail.from.address);
  if (settings.ownAddresses.map(normalizeEmail).includes(from)) return { outcome: 'loop' };
  if (mail.verdict === 'virus') return { outcome: 'virus' };
  // No address to file it under or answer (no From, or not an address): nobody to open a case for.
  if (!VALID_ADDRESS.test(from)) return { outcome: 'no_sender' };
  const taken = await deps.store.getInbound(mail.inboundId);
  if (taken) return { outcome: 'duplicate', ...taken };
  const answerable = mail.verdict === 'trusted' && !mail.automatic;
  try {
    const thread = mail.verdict === 'trusted' ? await threadOf(deps, mail) : undefined;
    if (thread) return await append(deps, mail, thread.id, settings.scheduler);
    const c = await openCase(deps, {
      subject: mail.subject.trim() === '' ? '(no subject)' : mail.subject.trim().slice(0, 200),
      email: from,
      ...(mail.from.name ? namesOf(mail.from.name) : {}),
      priority: 'normal',
      channel: 'email',
      tags: [],
      ...(mail.verdict === 'spoofed' || mail.verdict === 'spam' ? { flagged: mail.verdict } : {}),
      message: messageOf(mail),
      emailIds: mail.messageId ? [bareId(mail.messageId)] : [],
      extra: (caseId) => [claim(deps, mail, caseId, answerable)],
      // Automatic or suspect mail is never answered: no SLA clock runs for it.
      scheduler: answerable ? settings.scheduler : undefined,
      replied: answerable,
    });
    return { outcome: 'opened', caseId: c.id, acknowledge: answerable };
  } catch (err) {
    // Taken in by a concurrent delivery of the same email.
    if (err instanceof CommitConflict && err.part === 'duplicate') {
      const first = await deps.store.getInbound(mail.inboundId);
      if (first) return { outcome: 'duplicate', ...first };
    }
    throw err;
  }
}

const claim = (deps: ServiceDeps, mail: InboundEmail, caseId: string, acknowledge: boolean) => ({
  kind: 'claimInbound' as const,
  inboundId: mail.inboundId,
  caseId,
  acknowledge,
  at: deps.clock.now().toISOString(),
});

/** "Ada Lovelace" → first and last name (the rest of the words are the last name). */
function namesOf(name: string): { firstName?: string; lastName?: string } {
  const [first, ...rest] = name.trim().replace(/^"|"$/g, '').split(/\s+/);
  return {
    ...(first ? { firstName: first.slice(0, 100) } : {}),
    ...(rest.length ? { lastName: rest.join(' ').slice(0, 100) } : {}),
  };
}

/** The message onto its case: a customer's words reopen a resolved or pending case; an automatic one does not. */
async function append(
  deps: ServiceDeps,
  mail: InboundEmail,
  caseId: string,
  scheduler: Scheduler | undefined,
): Promise<InboundOutcome> {
  return withOptimisticRetry(
    async () => {
      const current = await getCase(deps, caseId);
      const now = deps.clock.now();
      const at = now.toISOString();
      const message: CaseMessage = { ...messageOf(mail), id: deps.ids.next(), caseId, at };
      const moved =
        !mail.automatic && current.status !== 'new' && current.status !== 'open'
          ? moveStatus(deps, current, 'open', now)
          : { case: current, events: [] };
      await commitWithSla(
        deps,
        scheduler,
        current,
        withMessage(current, moved.case, at, mail.automatic ? undefined : 'in'),
        now,
        (saved) => [
          { kind: 'putCase', case: saved, expectedVersion: current.version },
          { kind: 'addCaseMessage', message, emailIds: mail.messageId ? [bareId(mail.messageId)] : [] },
          {
            kind: 'putActivity',
            activity: systemActivity(
              deps,
              current.contactId,
              'case',
              `Wrote on case ${subjectTag(current)}`,
              at,
              {
                caseId,
              },
            ),
            checkContact: false,
          },
          ...moved.events,
          ...(mail.automatic
            ? []
            : [
                emit(deps, now, 'CaseMessageReceived', {
                  ...caseEventBase(current),
                  messageId: message.id,
                  channel: 'email',
                }),
              ]),
          ...(mail.automatic ? [] : [{ kind: 'markReplied' as const, contactId: current.contactId, at }]),
          claim(deps, mail, caseId, false),
        ],
      );
      return { outcome: 'appended' as const, caseId, acknowledge: false };
    },
    (c) => c.part === 'version',
  );
}
