/**
 * CSAT surveys: an email when a case is resolved (one per resolution; none for a flagged case, an
 * automatic-only conversation, or within a day of the previous survey) with one signed link per
 * score (csat-token.ts), threaded on the case like a reply.
 */
import { SYSTEM_EMAILS } from '#messaging/system-emails.js';
import { DomainError } from '#platform/errors.js';
import { escapeHtml } from '#platform/http/html.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { type ServiceEmailContext, sendOnCase } from './case-email.js';
import { THREAD_LIMIT } from './cases.js';
import { SCORE_LABELS } from './csat.js';
import { linkExpiry, ratingUrl, SCORES, signRatingToken } from './csat-token.js';
import type { Case, CaseMessage } from './model.js';
import type { ServiceDeps } from './store.js';

/** No second survey within a day of the previous one (a case resolved, reopened, resolved again). */
export const SURVEY_QUIET_MS = 24 * 3600 * 1000;

export type SurveyOutcome =
  | 'sent'
  /** The case (or its contact) is gone. */
  | 'gone'
  | 'flagged'
  /** Reopened (or resolved again) since this resolution: a later CaseResolved covers it. */
  | 'not_resolved'
  /** Nobody wrote: only automatic mail. */
  | 'automatic'
  | 'recently_surveyed'
  /** The address is suppressed (bounced, complained) or the provider refused it for good. */
  | 'not_sent';

const fromPerson = (messages: CaseMessage[]) => messages.some((m) => m.kind === 'inbound' && !m.automatic);

/** Why this resolution gets no survey, or undefined when it does (or did: a retried event). */
function skipReason(c: Case, resolvedAt: string): SurveyOutcome | undefined {
  if (c.flagged) return 'flagged';
  if ((c.status !== 'resolved' && c.status !== 'closed') || c.resolvedAt !== resolvedAt)
    return 'not_resolved';
  if (c.surveyedAt === resolvedAt) return undefined;
  if (c.surveyedAt && Date.parse(resolvedAt) - Date.parse(c.surveyedAt) < SURVEY_QUIET_MS)
    return 'recently_surveyed';
  return undefined;
}

/**
 * The survey of the resolution announced at `resolvedAt` (CaseResolved's occurredAt is the case's
 * resolvedAt). The case is marked first (`surveyedAt`, version-guarded), then the email is sent in
 * the resolution's own slot: a retried event finds its own mark and the slot's send, never a second email.
 */
export async function surveyCase(
  deps: ServiceDeps,
  ctx: ServiceEmailContext,
  caseId: string,
  resolvedAt: string,
): Promise<SurveyOutcome> {
  const found = await deps.store.getCase(caseId);
  if (!found) return 'gone';
  const early = skipReason(found, resolvedAt);
  if (early) return early;
  const messages = await deps.store.listCaseMessages(caseId, THREAD_LIMIT);
  if (!fromPerson(messages)) return 'automatic';
  const marked = await withOptimisticRetry(
    async (): Promise<Case | SurveyOutcome> => {
      const current = await deps.store.getCase(caseId);
      if (!current) return 'gone';
      const skip = skipReason(current, resolvedAt);
      if (skip) return skip;
      if (current.surveyedAt === resolvedAt) return current;
      const saved: Case = { ...current, surveyedAt: resolvedAt, version: current.version + 1 };
      await deps.store.commit([{ kind: 'putCase', case: saved, expectedVersion: current.version }]);
      return saved;
    },
    (conflict) => conflict.part === 'version',
  );
  if (typeof marked === 'string') return marked;
  const secret = await ctx.signingSecret();
  const expires = linkExpiry(deps.clock.now());
  const links = SCORES.map((score) => ({
    score,
    url: ratingUrl(ctx.publicUrl, signRatingToken(secret, { caseId, score, expires })),
  }));
  try {
    await sendOnCase(deps, ctx, marked, messages, `survey.${resolvedAt.replace(/\D/g, '')}`, {
      id: SYSTEM_EMAILS.caseSurvey,
      ...surveyEmail(marked, links),
    });
  } catch (err) {
    if (err instanceof DomainError && err.code === 'email_not_sent') return 'not_sent';
    if (err instanceof DomainError && err.code === 'contact_erased') return 'gone';
    throw err;
  }
  return 'sent';
}

function surveyEmail(c: Case, links: Array<{ score: number; url: string }>) {
  const intro = `Your case #${c.ref} ("${c.subject}") is resolved. How did we do?`;
  const outro =
    'One click records your answer; you can add a comment on the page that opens. If something is still not right, just reply to this email.';
  const text = [
    intro,
    links.map((l) => `${l.score} – ${SCORE_LABELS[l.score]}: ${l.url}`).join('\n'),
    outro,
  ].join('\n\n');
  const button =
    'display:inline-block;margin:0 .4rem .6rem 0;padding:.6rem .9rem;border:1px solid #1f4d3a;border-radius:4px;color:#1f4d3a;text-decoration:none;font-weight:600';
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(intro)}</p>
<p>${links
    .map(
      (l) =>
        `<a href="${escapeHtml(l.url)}" style="${button}">${l.score} – ${escapeHtml(SCORE_LABELS[l.score] ?? '')}</a>`,
    )
    .join('')}</p>
<p style="color:#555">${escapeHtml(outro)}</p>
</body></html>`;
  return { text, html };
}
