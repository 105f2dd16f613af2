/**
 * What goes back to the customer: an agent's reply (or an internal note, never sent) and the
 * acknowledgement of a new case from email, sent as threaded emails on the case (case-email.ts).
 */

import { SendInProgress } from '#messaging/sender.js';
import { timeLeft } from '#platform/deadline.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { Scheduler } from '#platform/scheduler.js';
import { emit } from '#platform/store.js';
import { replySubject, type ServiceEmailContext, sendOnCase } from './case-email.js';
import { caseEventBase, getCase, missed, moveStatus, THREAD_LIMIT, withMessage } from './cases.js';
import type { CaseMessage, ReplyInput } from './model.js';
import { commitWithSla } from './sla.js';
import type { ServiceDeps } from './store.js';

export type { ServiceEmailContext } from './case-email.js';

/** Suggested reading for the acknowledgement (the knowledge base's articles matching the case). */
export type Suggest = (text: string) => Promise<Array<{ title: string; url: string }>>;

/**
 * An agent's reply (emailed to the customer) or internal note on the case, with an optional status.
 * A reply is the case's first response when none was sent before; a note is never a response.
 */
export async function replyToCase(
  deps: ServiceDeps,
  ctx: ServiceEmailContext,
  caseId: string,
  input: ReplyInput,
  /** Where SLA timers are scheduled when the reply changes the status (none: no SLA kept). */
  scheduler?: Scheduler,
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
      await commitWithSla(
        deps,
        scheduler,
        current,
        {
          ...withMessage(current, moved.case, at, input.internal ? undefined : 'out'),
          ...(first ? { firstResponseAt: at } : {}),
        },
        now,
        (saved) => [
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
                  ...(first ? { late: missed(current, 'first_response') } : {}),
                }),
              ]),
        ],
      );
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
  const emailId = await sendOnCase(deps, ctx, c, messages, 'ack', text).catch(async (err: unknown) => {
    // An attempt that died while sending (a crash) holds the send's claim for its lease: wait for it
    // to end when the invocation has the time, rather than fail every retry while it lasts.
    if (!(err instanceof SendInProgress) || !err.until) throw err;
    const wait = Date.parse(err.until) - Date.now() + 100;
    if (!(wait > 0 && wait < timeLeft() - 10_000)) throw err;
    await new Promise((resolve) => setTimeout(resolve, wait));
    return sendOnCase(deps, ctx, c, messages, 'ack', text);
  });
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
