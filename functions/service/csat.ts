/**
 * CSAT ratings: the customer's score (a click on a survey's link, csat-survey.ts) and comment,
 * recorded on the case, on the contact's timeline and announced as CaseRated (the agent's ratings
 * are the dashboard's, from that event).
 */
import { systemActivity } from '#contacts/model.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { emit } from '#platform/store.js';
import { caseEventBase, getCase, subjectTag } from './cases.js';
import type { Case } from './model.js';
import type { ServiceDeps } from './store.js';

export const MAX_COMMENT = 2000;

export const SCORE_LABELS: Record<number, string> = {
  1: 'Very unhappy',
  2: 'Unhappy',
  3: 'Neutral',
  4: 'Happy',
  5: 'Very happy',
};

export interface Rated {
  case: Case;
  /** Something changed (a new score or comment); the same score again changes nothing. */
  changed: boolean;
}

const quote = (comment: string) => `“${comment.length > 200 ? `${comment.slice(0, 199)}…` : comment}”`;

/**
 * The customer's rating of the case (a click on a survey link), with a comment when they wrote one:
 * a new score replaces the previous one (CaseRated says which it was), the same score again changes
 * nothing; a comment keeps the score of the link it was written under.
 */
export async function rateCase(
  deps: ServiceDeps,
  caseId: string,
  score: number,
  comment?: string,
): Promise<Rated> {
  return withOptimisticRetry(
    async () => {
      const current = await getCase(deps, caseId);
      const previous = current.rating;
      const text = comment?.trim() ? comment.trim().slice(0, MAX_COMMENT) : previous?.comment;
      const rescored = previous?.score !== score;
      if (!rescored && text === previous?.comment) return { case: current, changed: false };
      const now = deps.clock.now();
      const at = now.toISOString();
      const saved: Case = {
        ...current,
        rating: { score, ...(text ? { comment: text } : {}), at: rescored || !previous ? at : previous.at },
        version: current.version + 1,
        updatedAt: at,
      };
      const body = rescored
        ? `Rated case ${subjectTag(current)} ${score}/5${text && text !== previous?.comment ? `: ${quote(text)}` : ''}`
        : `Commented on the rating of case ${subjectTag(current)}: ${quote(text ?? '')}`;
      await deps.store.commit([
        { kind: 'putCase', case: saved, expectedVersion: current.version },
        {
          kind: 'putActivity',
          activity: systemActivity(deps, current.contactId, 'case', body, at, { caseId, score }),
          checkContact: false,
        },
        ...(rescored
          ? [
              emit(deps, now, 'CaseRated', {
                ...caseEventBase(current),
                rating: score,
                ...(previous ? { previous: previous.score } : {}),
              }),
            ]
          : []),
      ]);
      return { case: saved, changed: true };
    },
    (conflict) => conflict.part === 'version',
  );
}
