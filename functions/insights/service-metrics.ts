/**
 * Customer service metrics, projected from the case events (tendril.service) into counters, one
 * constant-size update per event (applied once per event id with the rest of the dashboard's
 * counters: counters.ts).
 *
 * Counter groups (partition `DASH#<group>`):
 * - `SERVICE`         `<day>`                 {opened, `firstResponse#<le>`, `resolution#<le>`,
 *                                              `breached#<target>`, `late#<target>`}
 *   by the day of the event: cases opened, the first responses and resolutions of the day in a fixed
 *   histogram of their time since the case opened (`<le>`: the bucket's upper bound in minutes, or
 *   `more`), the SLA breaches of the day per target, and the answers of the day given after a breach.
 * - `SERVICE_CSAT`    `<opened day>#<assignee>` {count, sum, satisfied}  ratings of the cases opened
 *   that day, by the case's agent (none: empty); a changed rating replaces the previous one in the
 *   same bucket (the case's opening day does not change).
 * - `SERVICE_BACKLOG` `status`                {new, open, pending}  active cases now
 *                     `agent#<assignee>`      {count}  active cases now by agent (none: `agent#`)
 */
import type { EventOf } from '#platform/events.js';
import type { CounterDelta } from './store.js';

export const SERVICE_GROUPS = {
  /** Cases opened, first response and resolution time histograms and SLA breaches, per day. */
  service: 'SERVICE',
  /** Ratings (CSAT) by the day their case opened and its agent. */
  serviceCsat: 'SERVICE_CSAT',
  /** Gauges: active cases by status and by agent, now. */
  serviceBacklog: 'SERVICE_BACKLOG',
} as const;

/** Statuses an agent still has work in (service's ACTIVE_STATUSES). */
export const ACTIVE_CASE_STATUSES = ['new', 'open', 'pending'] as const;
export type ActiveCaseStatus = (typeof ACTIVE_CASE_STATUSES)[number];
const isActive = (status: string): status is ActiveCaseStatus =>
  (ACTIVE_CASE_STATUSES as readonly string[]).includes(status);

/**
 * The histogram's upper bounds in minutes, roughly log-spaced: 5 m, 15 m, 30 m, 1 h, 2 h, 4 h, 8 h,
 * 1 d, 2 d, 3 d, 1 w, 2 w; longer is `more`.
 */
export const DURATION_BOUNDS_MINUTES = [
  5, 15, 30, 60, 120, 240, 480, 1440, 2880, 4320, 10080, 20160,
] as const;
export const OVERFLOW_BUCKET = 'more';

/** The histogram bucket of a duration: the smallest bound it does not exceed, or `more`. */
export function durationBucket(minutes: number): string {
  const bound = DURATION_BOUNDS_MINUTES.find((b) => minutes <= b);
  return bound === undefined ? OVERFLOW_BUCKET : String(bound);
}

/** Minutes from `from` to `to` (ISO instants); never negative (clocks may disagree a little). */
export function minutesBetween(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms / 60_000) : 0;
}

/** A histogram as counts per bucket, in the bounds' order (`more` last). */
export type Histogram = Array<{ upToMinutes: number | null; count: number }>;

/** The histogram of a metric (`firstResponse`, `resolution`) from a day bucket's fields added up. */
export function histogramOf(values: Record<string, number>, metric: string): Histogram {
  return [
    ...DURATION_BOUNDS_MINUTES.map((b) => ({
      upToMinutes: b as number | null,
      count: Math.max(0, Math.round(values[`${metric}#${b}`] ?? 0)),
    })),
    { upToMinutes: null, count: Math.max(0, Math.round(values[`${metric}#${OVERFLOW_BUCKET}`] ?? 0)) },
  ];
}

/**
 * The p-quantile (0 < p ≤ 1) of a histogram, by nearest rank: the bucket holding the ⌈p·n⌉-th
 * smallest value, read as that bucket's upper bound (so the true value is at most that, and more
 * than the previous bound). In the overflow bucket: the last bound, `over: true`. None: undefined.
 */
export function histogramPercentile(
  histogram: Histogram,
  p: number,
): { minutes: number; over: boolean } | undefined {
  const total = histogram.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of histogram) {
    seen += b.count;
    if (seen >= rank)
      return b.upToMinutes === null
        ? { minutes: DURATION_BOUNDS_MINUTES[DURATION_BOUNDS_MINUTES.length - 1] ?? 0, over: true }
        : { minutes: b.upToMinutes, over: false };
  }
  return undefined;
}

/** A rating of 4 or 5 counts as satisfied (the usual CSAT share). */
export const isSatisfied = (rating: number | undefined) => rating !== undefined && rating >= 4;

const agentBucket = (assignee: string | undefined) => `agent#${assignee ?? ''}`;
const day = (iso: string) => iso.slice(0, 10);

export type ServiceEvent =
  | EventOf<'CaseCreated'>
  | EventOf<'CaseReplied'>
  | EventOf<'CaseStatusChanged'>
  | EventOf<'CaseResolved'>
  | EventOf<'CaseAssigned'>
  | EventOf<'CaseSlaBreached'>
  | EventOf<'CaseRated'>;

/**
 * What one case event changes in the service counters (pure; the caller merges deltas on one
 * bucket). A case moved between statuses, or reassigned, moves one count between gauges, so
 * events may arrive in any order: the gauges are right once all have arrived.
 */
export function serviceDeltas(event: ServiceEvent): CounterDelta[] {
  const at = event.detail.occurredAt;
  const { service, serviceCsat, serviceBacklog } = SERVICE_GROUPS;
  switch (event.detailType) {
    case 'CaseCreated':
      return [
        { group: service, bucket: day(at), deltas: { opened: 1 } },
        { group: serviceBacklog, bucket: 'status', deltas: { new: 1 } },
        { group: serviceBacklog, bucket: agentBucket(event.detail.assignee), deltas: { count: 1 } },
      ];
    case 'CaseReplied':
      if (!event.detail.first) return [];
      return [
        {
          group: service,
          bucket: day(at),
          deltas: {
            [`firstResponse#${durationBucket(minutesBetween(event.detail.openedAt, at))}`]: 1,
            ...(event.detail.late ? { 'late#first_response': 1 } : {}),
          },
        },
      ];
    case 'CaseResolved':
      return [
        {
          group: service,
          bucket: day(at),
          deltas: {
            [`resolution#${durationBucket(minutesBetween(event.detail.openedAt, at))}`]: 1,
            ...(event.detail.late ? { 'late#resolution': 1 } : {}),
          },
        },
      ];
    case 'CaseSlaBreached':
      return [{ group: service, bucket: day(at), deltas: { [`breached#${event.detail.target}`]: 1 } }];
    case 'CaseStatusChanged': {
      const { from, to, assignee } = event.detail;
      if (from === to) return [];
      const wasActive = isActive(from);
      const nowActive = isActive(to);
      const status: Record<string, number> = {
        ...(wasActive ? { [from]: -1 } : {}),
        ...(nowActive ? { [to]: 1 } : {}),
      };
      return [
        ...(Object.keys(status).length > 0
          ? [{ group: serviceBacklog, bucket: 'status', deltas: status }]
          : []),
        ...(wasActive !== nowActive
          ? [{ group: serviceBacklog, bucket: agentBucket(assignee), deltas: { count: nowActive ? 1 : -1 } }]
          : []),
      ];
    }
    case 'CaseAssigned': {
      const { from, to, status } = event.detail;
      if (!isActive(status) || (from ?? '') === (to ?? '')) return [];
      return [
        { group: serviceBacklog, bucket: agentBucket(from), deltas: { count: -1 } },
        { group: serviceBacklog, bucket: agentBucket(to), deltas: { count: 1 } },
      ];
    }
    case 'CaseRated': {
      const { rating, previous, assignee, openedAt } = event.detail;
      return [
        {
          group: serviceCsat,
          bucket: `${day(openedAt)}#${assignee ?? ''}`,
          deltas: {
            count: previous === undefined ? 1 : 0,
            sum: rating - (previous ?? 0),
            satisfied: (isSatisfied(rating) ? 1 : 0) - (isSatisfied(previous) ? 1 : 0),
          },
        },
      ];
    }
  }
}
