/**
 * SLA clocks in business hours. A case gets its first-response and resolution due times when it is
 * opened (from its priority's policy); a new priority sets them again from its opening; waiting on
 * the customer (`pending`) pauses the resolution clock, and leaving it moves the resolution due time
 * on by the business time spent waiting; a reopened case gets a new resolution target from then.
 * Each due time has a one-time schedule, made before the commit that sets it (commitWithSla).
 */
import { logger } from '#platform/logger.js';
import type { Scheduler } from '#platform/scheduler.js';
import type { Emit } from '#platform/store.js';
import { instantOf, localDateOf } from '#platform/time-zone.js';
import type { Case } from './model.js';
import { DEFAULT_SERVICE_SETTINGS, type ServiceSettings, type SlaTarget } from './sla-model.js';
import type { ServiceDeps, ServiceWrite } from './store.js';

type Calendar = Pick<ServiceSettings, 'timeZone' | 'businessHours' | 'holidays'>;
const DAY_MS = 86_400_000;
const WEEKDAY_OF_UTC_DAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** How far business time is looked for: a year (a calendar with no hours left is 24/7 after that). */
const MAX_DAYS = 366;

const nextDate = (date: string) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** The business ranges of a local date, in order, as instants. */
function rangesOn(cal: Calendar, date: string): Array<[number, number]> {
  if (cal.holidays.includes(date)) return [];
  const weekday = WEEKDAY_OF_UTC_DAY[new Date(`${date}T12:00:00Z`).getUTCDay()];
  return cal.businessHours
    .filter((h) => h.day === weekday)
    .map((h): [number, number] => [
      instantOf({ date, time: h.start }, cal.timeZone).getTime(),
      h.end === '24:00'
        ? instantOf({ date: nextDate(date), time: '00:00' }, cal.timeZone).getTime()
        : instantOf({ date, time: h.end }, cal.timeZone).getTime(),
    ])
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
}

/** The instant `minutes` business minutes after `from` (24/7 when there are no business hours). */
export function addBusinessMinutes(cal: Calendar, from: Date, minutes: number): Date {
  let left = minutes * 60_000;
  if (cal.businessHours.length === 0) return new Date(from.getTime() + left);
  let date = localDateOf(new Date(from.getTime() - DAY_MS), cal.timeZone);
  for (let i = 0; i < MAX_DAYS + 2; i++, date = nextDate(date)) {
    for (const [start, end] of rangesOn(cal, date)) {
      const begin = Math.max(start, from.getTime());
      if (begin >= end) continue;
      if (left <= end - begin) return new Date(begin + left);
      left -= end - begin;
    }
  }
  return new Date(from.getTime() + left);
}

/** The business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(cal: Calendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  if (cal.businessHours.length === 0) return (to.getTime() - from.getTime()) / 60_000;
  let total = 0;
  let date = localDateOf(new Date(from.getTime() - DAY_MS), cal.timeZone);
  const last = localDateOf(new Date(to.getTime() + DAY_MS), cal.timeZone);
  for (let i = 0; i < MAX_DAYS && date <= last; i++, date = nextDate(date))
    for (const [start, end] of rangesOn(cal, date))
      total += Math.max(0, Math.min(end, to.getTime()) - Math.max(start, from.getTime()));
  return total / 60_000;
}

export interface SlaTimer {
  target: SlaTarget;
  dueAt: string;
}

const active = (c: Pick<Case, 'status'>) =>
  c.status === 'new' || c.status === 'open' || c.status === 'pending';

/**
 * The case as it is to be saved with its SLA clocks (`after`, changed from `before`, none: opened),
 * and the due times that need a schedule.
 */
export function applySla(
  settings: ServiceSettings,
  before: Case | undefined,
  after: Case,
  now: Date,
): { case: Case; timers: SlaTimer[] } {
  const policy = settings.policies[after.priority];
  const iso = (d: Date) => d.toISOString();
  const opened = new Date(after.createdAt);
  const sla = { breached: [] as SlaTarget[], ...(before?.sla ?? after.sla) };
  const timers: SlaTimer[] = [];
  const setDue = (target: SlaTarget, due: Date) => {
    if (target === 'first_response') sla.firstResponseDue = iso(due);
    else sla.resolutionDue = iso(due);
    if (!sla.breached.includes(target)) timers.push({ target, dueAt: iso(due) });
  };
  const reprioritized = before !== undefined && before.priority !== after.priority;
  if (!before || reprioritized || !before.sla) {
    if (!after.firstResponseAt)
      setDue('first_response', addBusinessMinutes(settings, opened, policy.firstResponseMinutes));
    if (active(after)) setDue('resolution', addBusinessMinutes(settings, opened, policy.resolutionMinutes));
  }
  if (before && after.status === 'pending' && before.status !== 'pending') sla.pausedAt = iso(now);
  if (before && before.status === 'pending' && after.status !== 'pending' && sla.pausedAt) {
    const waited = businessMinutesBetween(settings, new Date(sla.pausedAt), now);
    delete sla.pausedAt;
    if (active(after) && sla.resolutionDue && waited > 0)
      setDue('resolution', addBusinessMinutes(settings, new Date(sla.resolutionDue), waited));
  }
  if (before && !active(before) && active(after)) {
    // Reopened: a new resolution target from now, and the clock runs again.
    sla.breached = sla.breached.filter((t) => t !== 'resolution');
    setDue('resolution', addBusinessMinutes(settings, now, policy.resolutionMinutes));
  }
  return { case: { ...after, sla }, timers };
}

export const slaScheduleName = (caseId: string, t: SlaTimer) =>
  `case-sla-${caseId}-${t.target === 'first_response' ? 'fr' : 'res'}-${Date.parse(t.dueAt)}`;

export const serviceSettingsOf = async (deps: Pick<ServiceDeps, 'store'>): Promise<ServiceSettings> =>
  (await deps.store.getServiceSettings()) ?? DEFAULT_SERVICE_SETTINGS;

/**
 * Saves a case with its SLA clocks set: the schedules of its new due times are made first, then
 * `writes(saved)` is committed. A commit that fails deletes the schedules it made (a due time the
 * case already had keeps its schedule), so only a crash between the two leaves a schedule for a
 * write that never landed: it finds the case older than itself, is retried to the end of its retry
 * policy and dead-lettered (counted and alarmed). Each schedule names the case version that sets it,
 * so one that fires before its commit lands is retried (sla-timers.ts). Without a scheduler (a
 * caller that does not keep SLAs) the case is saved as it is.
 */
export async function commitWithSla(
  deps: ServiceDeps,
  scheduler: Scheduler | undefined,
  before: Case | undefined,
  after: Case,
  now: Date,
  writes: (saved: Case) => Array<ServiceWrite | Emit>,
): Promise<Case> {
  if (!scheduler) {
    await deps.store.commit(writes(after));
    return after;
  }
  const applied = applySla(await serviceSettingsOf(deps), before, after, now);
  const had = (t: SlaTimer) =>
    (t.target === 'first_response' ? before?.sla?.firstResponseDue : before?.sla?.resolutionDue) === t.dueAt;
  const made = applied.timers.filter((t) => !had(t));
  for (const t of applied.timers)
    await scheduler.scheduleOnce(slaScheduleName(after.id, t), new Date(t.dueAt), {
      kind: 'caseSla',
      caseId: after.id,
      target: t.target,
      dueAt: t.dueAt,
      version: applied.case.version,
    });
  try {
    await deps.store.commit(writes(applied.case));
  } catch (err) {
    await Promise.all(
      made.map((t) =>
        scheduler.cancel(slaScheduleName(after.id, t)).catch((cancelErr: unknown) =>
          logger.warn('SLA schedule of a failed write not deleted: it is retried, then dead-lettered', {
            caseId: after.id,
            error: cancelErr as Error,
          }),
        ),
      ),
    );
    throw err;
  }
  return applied.case;
}
