/**
 * The dashboard's date range (pure, no DOM): a preset (last 7, 30 or 90 days, this month) or a
 * custom from–to, read from and written to the hash's query (`#/dashboard?range=30d`,
 * `#/dashboard?from=2026-11-01&to=2026-11-15`) so a reload or a shared link keeps it; the days it
 * covers in the user's calendar; and a figure's change against the previous period.
 */

export const PRESETS = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  month: 'This month',
} as const;
export type Preset = keyof typeof PRESETS;
export type RangeChoice = { preset: Preset } | { preset: 'custom'; from: string; to: string };

export const DEFAULT_RANGE: RangeChoice = { preset: '30d' };
/** The API's longest range. */
export const MAX_DAYS = 366;

const DAY_MS = 24 * 3600 * 1000;
const isDay = (s: string | null): s is string =>
  s !== null &&
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(s)) &&
  new Date(s).toISOString().startsWith(s);

/** A date's day in the user's calendar (`YYYY-MM-DD`). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Days from `day` (UTC arithmetic on calendar days: no DST surprises). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(day) + n * DAY_MS).toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

/** The range a hash asks for; anything unknown or invalid is the default. */
export function parseRange(hash: string): RangeChoice {
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const from = query.get('from');
  const to = query.get('to');
  if (isDay(from) && isDay(to) && from <= to && daysBetween(from, to) <= MAX_DAYS)
    return { preset: 'custom', from, to };
  const preset = query.get('range');
  return preset && preset in PRESETS ? { preset: preset as Preset } : DEFAULT_RANGE;
}

/** The hash query of a range (the default: none). */
export function rangeQuery(choice: RangeChoice): string {
  if (choice.preset === 'custom') return `?from=${choice.from}&to=${choice.to}`;
  return choice.preset === DEFAULT_RANGE.preset ? '' : `?range=${choice.preset}`;
}

/** The days a range covers, both ends included, `today` being the user's. */
export function rangeDays(choice: RangeChoice, today: string): { from: string; to: string } {
  switch (choice.preset) {
    case 'custom':
      return { from: choice.from, to: choice.to };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
    default:
      return { from: addDays(today, -(Number.parseInt(choice.preset, 10) - 1)), to: today };
  }
}

/** Why a custom range cannot be used (none: it can). */
export function customProblem(from: string, to: string): string | undefined {
  if (!isDay(from) || !isDay(to)) return 'Enter both dates.';
  if (from > to) return 'The start must not be after the end.';
  if (daysBetween(from, to) > MAX_DAYS) return `A range can be at most ${MAX_DAYS} days.`;
  return undefined;
}

export type Trend = 'up' | 'down' | 'flat';

/** A figure against the previous period: the trend and how it is said ("+25 %", "new", "no change"). */
export function change(current: number, previous: number): { trend: Trend; text: string } {
  if (current === previous) return { trend: 'flat', text: 'no change' };
  const trend = current > previous ? 'up' : 'down';
  if (previous === 0) return { trend, text: `up from 0` };
  const pct = Math.round(((current - previous) / Math.abs(previous)) * 100);
  const sign = trend === 'up' ? '+' : '−';
  return { trend, text: pct === 0 ? `${sign}<1 %` : `${sign}${Math.abs(pct)} %` };
}

/** A rate's change, in percentage points (rates absent: nothing to compare). */
export function rateChange(current: number | undefined, previous: number | undefined) {
  if (current === undefined || previous === undefined) return undefined;
  const points = Math.round((current - previous) * 10) / 10;
  if (points === 0) return { trend: 'flat' as Trend, text: 'no change' };
  return {
    trend: (points > 0 ? 'up' : 'down') as Trend,
    text: `${points > 0 ? '+' : '−'}${Math.abs(points)} pts`,
  };
}
