/**
 * A case's SLA target is due (its one-time schedule fired): if the target was not met in time, the
 * breach is recorded on the case (CaseSlaBreached) and escalated as the settings say — the priority
 * raised one step, the case reassigned (to the user `assignTo` names: a setting saved before
 * assignees were users that names no user reassigns nothing), the team lead and the assignee (a
 * user's address; an assignee written before assignees were users: when it is an address) emailed. A schedule whose due
 * time is no longer the case's (moved by a new priority or a pause), or whose target was met, does
 * nothing. The notification is claimed (with a lease), sent, then recorded with the breach: an
 * attempt that finds it claimed is retried later, so it goes out once — twice only if an attempt dies
 * between sending and recording and its lease ends — and never not at all.
 */

import { resolveOwner, type UserDirectory } from '#access/users.js';
import type { Mailer } from '#messaging/mailer.js';
import { SYSTEM_EMAILS } from '#messaging/system-emails.js';
import { DomainError, RetryableError } from '#platform/errors.js';
import { escapeHtml } from '#platform/http/html.js';
import { logger } from '#platform/logger.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit } from '#platform/store.js';
import { caseEventBase, subjectTag } from './cases.js';
import type { Case } from './model.js';
import { serviceSettingsOf } from './sla.js';
import { raised, type SlaTarget } from './sla-model.js';
import type { ServiceDeps } from './store.js';

export interface SlaAction {
  caseId: string;
  target: SlaTarget;
  dueAt: string;
  /** The case version that set the due time (absent on schedules made before it was recorded). */
  version?: number | undefined;
}

/** How long an attempt holds the notification (its sends and the breach's record fit well within it). */
const NOTICE_LEASE_MS = 60_000;

const LABEL: Record<SlaTarget, string> = { first_response: 'first response', resolution: 'resolution' };
const isEmail = (s: string | undefined): s is string => !!s && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s);

/** Where the assignee is emailed: a user's address, else (text from before users) the text itself. */
async function addressOf(users: UserDirectory, assignee: string | undefined) {
  if (!assignee) return undefined;
  return ((await users.get(assignee))?.email ?? assignee).toLowerCase();
}

/** The user a breach assigns the case to (a user's email is taken as them); undefined: none, or not a user. */
async function escalationAgent(users: UserDirectory, assignTo: string | undefined) {
  if (!assignTo) return undefined;
  try {
    return await resolveOwner(users, assignTo, 'escalation.assignTo');
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'invalid_reference')) throw err;
    logger.warn('SLA escalation names no user: the case is not reassigned', { assignTo });
    return undefined;
  }
}

/** Why the action does nothing for this case as it is now, or undefined when it is a breach. */
function moot(c: Case | undefined, action: SlaAction): string | undefined {
  if (!c && action.version === undefined) return 'ignored: no such case';
  if (!c || (action.version !== undefined && c.version < action.version)) {
    // Scheduled just before its commit, which has not landed (a slow commit, or a scaled local
    // clock): retried by the schedule's policy. A commit that failed deleted the schedule
    // (commitWithSla); after a crash between the two, the retries end in the dead-letter queue.
    throw new RetryableError(
      `case ${action.caseId}: the write that set its ${action.target} due time has not landed`,
    );
  }
  const due = action.target === 'first_response' ? c.sla?.firstResponseDue : c.sla?.resolutionDue;
  if (due !== action.dueAt) return 'ignored: superseded';
  if (c.sla?.breached.includes(action.target)) return 'ignored: already breached';
  if (action.target === 'first_response' && c.firstResponseAt) return 'ignored: met';
  if (action.target === 'resolution' && (c.status === 'resolved' || c.status === 'closed'))
    return 'ignored: met';
  if (action.target === 'resolution' && c.status === 'pending') return 'ignored: paused';
  return undefined;
}

export async function fireSlaTimer(
  deps: ServiceDeps,
  ctx: { mailer: Mailer; publicUrl: string; users: UserDirectory },
  action: SlaAction,
): Promise<string> {
  const first = await deps.store.getCase(action.caseId);
  const skip = moot(first, action);
  if (skip || !first) return skip ?? 'ignored';
  const settings = await serviceSettingsOf(deps);
  const { escalation } = settings;
  const to = [...new Set([escalation.notify, await addressOf(ctx.users, first.assignee)].filter(isEmail))];
  const agent = await escalationAgent(ctx.users, escalation.assignTo);
  const notice = { caseId: first.id, target: action.target, dueAt: action.dueAt };
  // One attempt notifies at a time (a claim with a lease); one that finds the notice sent, or claimed
  // by a live attempt, does not send again.
  const claimed = to.length > 0;
  if (claimed) {
    const now = deps.clock.now();
    try {
      await deps.store.commit([
        {
          kind: 'claimSlaNotice',
          ...notice,
          until: new Date(now.getTime() + NOTICE_LEASE_MS).toISOString(),
          at: now.toISOString(),
        },
      ]);
    } catch (err) {
      if (!(err instanceof CommitConflict)) throw err;
      // Another attempt is notifying (or died doing it: its lease ends): the schedule's retry comes
      // back, and finds the breach recorded or the claim free.
      throw new RetryableError(
        `another attempt is notifying the missed ${action.target} of case ${first.id}`,
      );
    }
  }
  let notified = 0;
  for (const address of claimed ? to : []) {
    const subject = `SLA missed: ${LABEL[action.target]} of case ${subjectTag(first)} "${first.subject}"`;
    const text = `The ${LABEL[action.target]} of case #${first.ref} (${first.priority}, from ${first.email}) was due ${action.dueAt}.\n\nOpen it: ${ctx.publicUrl}/#/cases/${first.id}\n`;
    try {
      await ctx.mailer.send({
        to: address,
        subject,
        text,
        html: `<!doctype html><html><body><p>${escapeHtml(text).replace(/\n/g, '<br>')}</p></body></html>`,
        headers: { 'X-Tendril-Send-Id': `sla.${first.id}.${action.target}.${address}` },
        tags: { caseId: first.id, templateId: SYSTEM_EMAILS.caseSlaBreach },
      });
      notified++;
    } catch (err) {
      // Throttled: the schedule's retry sends it. Refused for good (counted and alarmed by the
      // mailer: EmailRejected): the breach is recorded all the same.
      if (err instanceof RetryableError) throw err;
      logger.error('SLA breach notification refused', { caseId: first.id, to: address, error: err as Error });
    }
  }
  return withOptimisticRetry(
    async () => {
      const c = await deps.store.getCase(action.caseId);
      const again = moot(c, action);
      if (again || !c) return again ?? 'ignored';
      const now = deps.clock.now();
      const assignee = agent ?? c.assignee;
      const escalated: Case = {
        ...c,
        priority: escalation.raisePriority ? raised(c.priority) : c.priority,
        ...(assignee ? { assignee } : {}),
        sla: { ...c.sla, breached: [...(c.sla?.breached ?? []), action.target] },
        version: c.version + 1,
        updatedAt: now.toISOString(),
      };
      await deps.store.commit([
        { kind: 'putCase', case: escalated, expectedVersion: c.version },
        ...(claimed ? [{ kind: 'completeSlaNotice' as const, ...notice, at: now.toISOString() }] : []),
        emit(deps, now, 'CaseSlaBreached', {
          ...caseEventBase(c),
          target: action.target,
          dueAt: action.dueAt,
        }),
        ...(assignee !== c.assignee
          ? [
              emit(deps, now, 'CaseAssigned', {
                ...caseEventBase(escalated),
                status: c.status,
                ...(c.assignee ? { from: c.assignee } : {}),
                ...(assignee ? { to: assignee } : {}),
              }),
            ]
          : []),
      ]);
      return `breached: ${action.target}${to.length ? `, notified ${notified} of ${to.length}` : ''}`;
    },
    (conflict) => conflict.part === 'version',
  );
}
