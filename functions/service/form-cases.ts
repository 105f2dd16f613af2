/**
 * Cases from support forms (channel `form`): a submission of a form that asks for it opens a case
 * for its contact, once. The submission is claimed (`form:<submission id>`) in the same transaction
 * as the case, as an inbound email is, so a redelivered event opens nothing twice. The visitor's
 * acknowledgement is the form's own thank-you page or redirect: nothing is emailed.
 */
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict } from '#platform/store.js';
import { openCase } from './cases.js';
import type { CasePriority } from './model.js';
import type { ServiceDeps } from './store.js';

export interface FormCaseRequest {
  /** The submission (its timeline entry's id). */
  submissionId: string;
  email: string;
  subject: string;
  text: string;
  priority: CasePriority;
  /** Where its SLA timers are scheduled (none: no SLA kept). */
  scheduler?: Scheduler | undefined;
}

export type FormCaseOutcome = { outcome: 'opened' | 'duplicate'; caseId: string };

/** The claim of a submission: one case per submission. */
export const formInboundId = (submissionId: string) => `form:${submissionId}`;

export async function openFormCase(deps: ServiceDeps, req: FormCaseRequest): Promise<FormCaseOutcome> {
  const inboundId = formInboundId(req.submissionId);
  const taken = await deps.store.getInbound(inboundId);
  if (taken) return { outcome: 'duplicate', caseId: taken.caseId };
  try {
    const c = await openCase(deps, {
      subject: req.subject,
      email: req.email,
      priority: req.priority,
      channel: 'form',
      tags: [],
      message: { kind: 'inbound', from: req.email, subject: req.subject, text: req.text, attachments: [] },
      extra: (caseId) => [
        { kind: 'claimInbound', inboundId, caseId, acknowledge: false, at: deps.clock.now().toISOString() },
      ],
      scheduler: req.scheduler,
    });
    return { outcome: 'opened', caseId: c.id };
  } catch (err) {
    // Taken by a concurrent delivery of the same event.
    if (err instanceof CommitConflict && err.part === 'duplicate') {
      const first = await deps.store.getInbound(inboundId);
      if (first) return { outcome: 'duplicate', caseId: first.caseId };
    }
    throw err;
  }
}
