/**
 * Emails to users (a task assigned to them, a task's reminder): each notice once, whatever retries.
 * The notice is claimed with a lease, sent, then its outcome recorded: an attempt that finds it done
 * does nothing; one that finds it claimed by a live attempt is retried later (RetryableError: the
 * schedule's retry). It goes out twice only if an attempt dies between the provider's answer and the
 * record and its lease ends (the message carries the notice in `X-Tendril-Send-Id`, so such a
 * duplicate is recognisable). A send the provider refuses for good is recorded `rejected` (and
 * counted `EmailRejected` by the mailer); a throttled one is retried.
 */
import type { Mailer } from '#messaging/mailer.js';
import { RetryableError } from '#platform/errors.js';
import { escapeHtml } from '#platform/http/html.js';
import { logger } from '#platform/logger.js';
import { CommitConflict } from '#platform/store.js';
import type { User } from './model.js';
import type { AccessDeps } from './store.js';

/** How long an attempt holds a notice (one send and its record fit well within it). */
export const NOTICE_LEASE_MS = 60_000;

export interface UserNotice {
  /** Names the notice: at most one email per key, ever (`task.<id>.assigned.<version>`). */
  key: string;
  to: User;
  subject: string;
  text: string;
  /** Provider tags (SES message tags): [A-Za-z0-9_-] only. */
  tags: Record<string, string>;
}

export type NoticeResult = 'sent' | 'already sent' | 'rejected' | 'skipped: the user has no email';

export async function notifyUser(
  deps: AccessDeps,
  mailer: Mailer,
  notice: UserNotice,
): Promise<NoticeResult> {
  if (!notice.to.email) return 'skipped: the user has no email';
  const prior = await deps.store.getNotice(notice.key);
  if (prior && prior.status !== 'sending') return 'already sent';
  const now = deps.clock.now();
  try {
    await deps.store.commit([
      {
        kind: 'claimNotice',
        key: notice.key,
        until: new Date(now.getTime() + NOTICE_LEASE_MS).toISOString(),
        at: now.toISOString(),
      },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    const again = await deps.store.getNotice(notice.key);
    if (again && again.status !== 'sending') return 'already sent';
    throw new RetryableError(`another attempt is sending notice ${notice.key}`);
  }
  let outcome: 'sent' | 'rejected' = 'sent';
  try {
    await mailer.send({
      to: notice.to.email,
      subject: notice.subject,
      text: notice.text,
      html: `<!doctype html><html><body><p>${escapeHtml(notice.text).replace(/\n/g, '<br>')}</p></body></html>`,
      headers: { 'X-Tendril-Send-Id': notice.key },
      tags: notice.tags,
    });
  } catch (err) {
    // Throttled, or no answer: the claim's lease ends and the retry sends it.
    if (err instanceof RetryableError) throw err;
    // Refused for good (counted and alarmed by the mailer: EmailRejected): recorded, not retried.
    logger.error('notice to a user refused', { key: notice.key, userId: notice.to.id, error: err as Error });
    outcome = 'rejected';
  }
  await deps.store.commit([
    { kind: 'completeNotice', key: notice.key, outcome, at: deps.clock.now().toISOString() },
  ]);
  return outcome;
}
