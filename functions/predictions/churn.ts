/**
 * A customer's churn risk: a documented heuristic, not a trained model (a workspace rarely records
 * churn as such, so there is no label to learn from). It reads falling engagement from what is
 * stored with times — email opens and clicks (the send ledger), page views and product events (the
 * raw visits, kept 90 days) — and the time since the last activity of any kind.
 *
 * - **Drop** (up to 0.6): engagement in the last 30 days against the average per 30 days of the 60
 *   days before. Each channel (email, pages, product events) contributes
 *   `0.6 × (before − recent) / max(before total, recent total)`, so the channels sum to
 *   `0.6 × (before − recent) / max(before, recent)`: 0.6 when engagement stopped, 0 when steady,
 *   down to −0.6 when it rose from nothing.
 * - **Silence** (up to 0.4): `0.4 × min(1, days since the last activity / 60)`; never active: 0.4.
 *
 * The risk is their sum, held to 0..1: low under 0.34, high from 0.67. Each part is a factor, so
 * the explanation is the computation itself.
 */
import { rounded } from './features.js';
import type { ChurnRisk, PredictionFactor } from './model.js';

const DAY_MS = 86_400_000;
export const RECENT_DAYS = 30;
/** The window compared with the recent one (its count is taken per 30 days). */
export const BEFORE_DAYS = 60;
export const DROP_WEIGHT = 0.6;
export const SILENCE_WEIGHT = 0.4;
/** Days without any activity at which silence weighs fully. */
export const SILENCE_DAYS = 60;

export interface EngagementTimes {
  /** Times of email opens and clicks. */
  email: string[];
  pages: string[];
  events: string[];
  /** The latest activity known, however old (the tracking summary's last visit included). */
  lastActivityAt?: string | undefined;
}

const CHANNELS = [
  { key: 'email', feature: 'emailEngagement', label: 'Email engagement', unit: 'opens and clicks' },
  { key: 'pages', feature: 'pageViews', label: 'Page views', unit: 'page views' },
  { key: 'events', feature: 'productEvents', label: 'Product events', unit: 'product events' },
] as const;

const levelOf = (risk: number): ChurnRisk['level'] => (risk < 0.34 ? 'low' : risk < 0.67 ? 'medium' : 'high');
const number = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

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
  if (scale > 0) {
    for (const c of counted)
      factors.push({
        feature: c.feature,
        label: c.label,
        detail: `${number.format(c.recent)} ${c.unit} in the last ${RECENT_DAYS} days, ${number.format(c.before)} per ${RECENT_DAYS} days in the ${BEFORE_DAYS} before`,
        value: c.recent,
        contribution: (DROP_WEIGHT * (c.before - c.recent)) / scale,
      });
  } else
    factors.push({
      feature: 'engagement',
      label: 'Engagement',
      detail: `No email opens or clicks, page views or product events in the last ${RECENT_DAYS + BEFORE_DAYS} days`,
      value: 0,
      contribution: DROP_WEIGHT,
    });
  const last = times.lastActivityAt;
  const days = last ? Math.max(0, (t - Date.parse(last)) / DAY_MS) : undefined;
  factors.push({
    feature: 'daysSinceActivity',
    label: 'Days since last activity',
    detail:
      days === undefined
        ? 'No activity recorded'
        : `Last activity ${number.format(Math.floor(days))} days ago`,
    value: days === undefined ? -1 : Math.floor(days),
    contribution: SILENCE_WEIGHT * (days === undefined ? 1 : Math.min(1, days / SILENCE_DAYS)),
  });
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
    factors: factors
      .filter((f) => Math.abs(f.contribution) >= 0.0005)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, 3)
      .map((f) => ({ ...f, contribution: rounded(f.contribution) })),
  };
}
