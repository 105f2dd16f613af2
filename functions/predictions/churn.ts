/**
 * A customer's churn risk: a documented heuristic, not a trained model (a workspace rarely records
 * churn as such, so there is no label to learn from). It reads falling engagement from what is
 * stored with times — email opens and clicks (the send ledger), page views and product events (the
 * raw visits, kept 90 days) — the time since the last activity of any kind, and the customer's
 * service cases: those still open, and the CSAT ratings it gave.
 *
 * - **Drop** (up to 0.35): engagement in the last 30 days against the average per 30 days of the 60
 *   days before. Each channel (email, pages, product events) contributes
 *   `0.35 × (before − recent) / max(before total, recent total)`, so the channels sum to
 *   `0.35 × (before − recent) / max(before, recent)`: 0.35 when engagement stopped, 0 when steady,
 *   down to −0.35 when it rose from nothing. None at all in the 90 days weighs 0.35 only for a
 *   customer of 90 days or more: a newer one weighs in proportion (`customerSince`), having had
 *   less time to engage.
 * - **Silence** (up to 0.25): `0.25 × min(1, days since the last activity / 60)`; never active: 0.25.
 * - **Open cases** (up to 0.25): each case still new, open or pending counts 1 point, 1 more when
 *   its priority is high or urgent, 1 more when it was opened over 14 days ago;
 *   `0.25 × min(1, points / 4)` — one fresh normal case 0.0625, an old urgent one 0.1875.
 * - **Satisfaction** (up to 0.15, down to −0.05): the CSAT ratings (1–5) given in the last 90 days.
 *   Low — the latest is 1 or 2, or their average is under 3 — adds 0.15; good — an average of 4
 *   or more, the latest above 2 — takes 0.05 off; in between, or no rating, nothing.
 *
 * The risk is their sum, held to 0..1 (the positive parts' ceilings sum to 1): low under 0.34, high
 * from 0.67 — engagement alone (stopped, silent for 60 days) reaches 0.6, medium; high needs cases or
 * a bad rating too. Each part is a factor, so the explanation is the computation itself; the
 * FACTORS_SHOWN (4) that weigh most are shown.
 */
import type { Case } from '#service/model.js';
import { formatNumber, rounded } from './features.js';
import type { ChurnRisk, PredictionFactor } from './model.js';

const DAY_MS = 86_400_000;
export const RECENT_DAYS = 30;
/** The window compared with the recent one (its count is taken per 30 days). */
export const BEFORE_DAYS = 60;
export const DROP_WEIGHT = 0.35;
export const SILENCE_WEIGHT = 0.25;
/** Days without any activity at which silence weighs fully. */
export const SILENCE_DAYS = 60;
export const CASES_WEIGHT = 0.25;
/** Open-case points at which open cases weigh fully. */
export const CASE_POINTS_FULL = 4;
/** An open case older than this many days counts one point more. */
export const OLD_CASE_DAYS = 14;
export const LOW_CSAT_WEIGHT = 0.15;
export const GOOD_CSAT_WEIGHT = 0.05;
/** Ratings given within this many days count. */
export const CSAT_DAYS = 90;
/** The factors a risk shows, largest first. */
export const FACTORS_SHOWN = 4;

/** What the risk reads of a case. */
export type CaseSignal = Pick<Case, 'status' | 'priority' | 'createdAt' | 'rating'>;

export interface EngagementTimes {
  /** Times of email opens and clicks. */
  email: string[];
  pages: string[];
  events: string[];
  /**
   * The latest activity known, however old: the tracking summary's last visit, the latest email
   * engagement, a score change (a form, a booking...), a case opened.
   */
  lastActivityAt?: string | undefined;
  /** When the contact became a customer (its stage's change). */
  customerSince?: string | undefined;
  /** The customer's cases (the latest opened; absent: not read, no factor). */
  cases?: CaseSignal[] | undefined;
}

const CHANNELS = [
  { key: 'email', feature: 'emailEngagement', label: 'Email engagement', unit: 'opens and clicks' },
  { key: 'pages', feature: 'pageViews', label: 'Page views', unit: 'page views' },
  { key: 'events', feature: 'productEvents', label: 'Product events', unit: 'product events' },
] as const;

const levelOf = (risk: number): ChurnRisk['level'] => (risk < 0.34 ? 'low' : risk < 0.67 ? 'medium' : 'high');
const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;
const OPEN: ReadonlySet<string> = new Set(['new', 'open', 'pending']);

/** The open-cases factor: how many, how many high or urgent, how many old. */
function openCasesFactor(cases: CaseSignal[], t: number): { open: number; factor: PredictionFactor } {
  const open = cases.filter((c) => OPEN.has(c.status));
  const urgent = open.filter((c) => c.priority === 'high' || c.priority === 'urgent').length;
  const old = open.filter((c) => t - Date.parse(c.createdAt) > OLD_CASE_DAYS * DAY_MS).length;
  const points = open.length + urgent + old;
  const parts = [
    urgent ? `${formatNumber(urgent)} high or urgent` : '',
    old ? `${formatNumber(old)} open over ${OLD_CASE_DAYS} days` : '',
  ].filter(Boolean);
  return {
    open: open.length,
    factor: {
      feature: 'openCases',
      label: 'Open cases',
      detail: open.length
        ? `${plural(open.length, 'open case')}${parts.length ? ` (${parts.join(', ')})` : ''}`
        : 'No open cases',
      value: open.length,
      contribution: CASES_WEIGHT * Math.min(1, points / CASE_POINTS_FULL),
    },
  };
}

/** The satisfaction factor from the ratings of the last CSAT_DAYS days (undefined: none given). */
function satisfactionFactor(
  cases: CaseSignal[],
  t: number,
): { average: number; factor: PredictionFactor } | undefined {
  const since = t - CSAT_DAYS * DAY_MS;
  const ratings = cases
    .flatMap((c) => (c.rating ? [c.rating] : []))
    .filter((r) => Date.parse(r.at) > since && Date.parse(r.at) <= t)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const latest = ratings[0];
  if (!latest) return undefined;
  const average = ratings.reduce((s, r) => s + r.score, 0) / ratings.length;
  const low = latest.score <= 2 || average < 3;
  const good = !low && average >= 4;
  const ago = Math.floor(Math.max(0, t - Date.parse(latest.at)) / DAY_MS);
  return {
    average,
    factor: {
      feature: 'satisfaction',
      label: 'Satisfaction (CSAT)',
      detail: `Last rated ${latest.score} of 5, ${plural(ago, 'day')} ago; average ${formatNumber(average)} of 5 from ${plural(ratings.length, 'rating')} in the last ${CSAT_DAYS} days`,
      value: rounded(average),
      contribution: low ? LOW_CSAT_WEIGHT : good ? -GOOD_CSAT_WEIGHT : 0,
    },
  };
}

export function churnRisk(times: EngagementTimes, now: Date): ChurnRisk {
  const t = now.getTime();
  const recentFrom = t - RECENT_DAYS * DAY_MS;
  const beforeFrom = recentFrom - BEFORE_DAYS * DAY_MS;
  const per = BEFORE_DAYS / RECENT_DAYS;
  const counted = CHANNELS.map((c) => {
    let recent = 0;
    let before = 0;
    for (const at of times[c.key]) {
      const ms = Date.parse(at);
      if (ms > recentFrom && ms <= t) recent++;
      else if (ms > beforeFrom && ms <= recentFrom) before++;
    }
    return { ...c, recent, before: before / per };
  });
  const recent = counted.reduce((s, c) => s + c.recent, 0);
  const before = counted.reduce((s, c) => s + c.before, 0);
  const factors: PredictionFactor[] = [];
  const scale = Math.max(recent, before);
  // A share of the windows the contact has been a customer for (1: all of them, or unknown).
  const since = times.customerSince ? Date.parse(times.customerSince) : Number.NaN;
  const newness = Number.isNaN(since)
    ? 1
    : Math.min(1, Math.max(0, (t - since) / DAY_MS / (RECENT_DAYS + BEFORE_DAYS)));
  if (scale > 0) {
    for (const c of counted)
      factors.push({
        feature: c.feature,
        label: c.label,
        detail: `${formatNumber(c.recent)} ${c.unit} in the last ${RECENT_DAYS} days, ${formatNumber(c.before)} per ${RECENT_DAYS} days in the ${BEFORE_DAYS} before`,
        value: c.recent,
        contribution: (DROP_WEIGHT * (c.before - c.recent)) / scale,
      });
  } else
    factors.push({
      feature: 'engagement',
      label: 'Engagement',
      detail: `No email opens or clicks, page views or product events in the last ${RECENT_DAYS + BEFORE_DAYS} days${
        newness < 1 ? ` (a customer for ${Math.floor(newness * (RECENT_DAYS + BEFORE_DAYS))} days)` : ''
      }`,
      value: 0,
      contribution: DROP_WEIGHT * newness,
    });
  const last = times.lastActivityAt;
  const days = last ? Math.max(0, (t - Date.parse(last)) / DAY_MS) : undefined;
  factors.push({
    feature: 'daysSinceActivity',
    label: 'Days since last activity',
    detail:
      days === undefined
        ? 'No activity recorded'
        : `Last activity ${formatNumber(Math.floor(days))} days ago`,
    value: days === undefined ? -1 : Math.floor(days),
    contribution: SILENCE_WEIGHT * (days === undefined ? 1 : Math.min(1, days / SILENCE_DAYS)),
  });
  const cases = times.cases ? openCasesFactor(times.cases, t) : undefined;
  const satisfaction = times.cases ? satisfactionFactor(times.cases, t) : undefined;
  if (cases) factors.push(cases.factor);
  if (satisfaction) factors.push(satisfaction.factor);
  const risk = Math.min(
    1,
    Math.max(
      0,
      factors.reduce((s, f) => s + f.contribution, 0),
    ),
  );
  return {
    risk: rounded(risk),
    level: levelOf(risk),
    recentEngagement: recent,
    previousEngagement: rounded(before),
    ...(last ? { lastActivityAt: last } : {}),
    ...(cases ? { openCases: cases.open } : {}),
    ...(satisfaction ? { csatAverage: rounded(satisfaction.average) } : {}),
    factors: factors
      .filter((f) => Math.abs(f.contribution) >= 0.0005)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, FACTORS_SHOWN)
      .map((f) => ({ ...f, contribution: rounded(f.contribution) })),
  };
}
