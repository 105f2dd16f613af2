/**
 * The dashboard's KPI tiles and daily series, for a range of days and the previous period of equal
 * length (right before it), from per-day counters: every group is read with one range Query over
 * both periods (pages of at most 2 × 366 days' buckets), whatever the number of contacts, deals or
 * emails. Money is per currency, never added across currencies.
 */
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { COUNTER_GROUPS, num } from './counters.js';
import type { Dashboard } from './model.js';
import type { Counter, InsightsReads } from './store.js';

export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 24 * 3600 * 1000;
const dayAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days in a range, both ends included. */
export const daysIn = (range: DayRange) =>
  Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;

/** The period of equal length that ends the day before the range starts. */
export function previousRange(range: DayRange): DayRange {
  const to = Date.parse(range.from) - DAY_MS;
  return { from: dayAt(to - (daysIn(range) - 1) * DAY_MS), to: dayAt(to) };
}

/** Every day of a range, in order. */
export function eachDay(range: DayRange): string[] {
  const start = Date.parse(range.from);
  return Array.from({ length: daysIn(range) }, (_, i) => dayAt(start + i * DAY_MS));
}

type Figure = { current: number; previous: number };
type Period = 'current' | 'previous';

/** Which period a `<day>…` bucket is in (none: outside both). */
function periodOf(bucket: string, current: DayRange, previous: DayRange): Period | undefined {
  const date = bucket.slice(0, 10);
  if (date >= current.from && date <= current.to) return 'current';
  if (date >= previous.from && date <= previous.to) return 'previous';
  return undefined;
}

/** The part of a `<day>#<rest>` bucket after the day. */
const rest = (bucket: string) => bucket.slice(11);

/** Adds a field of the buckets up per period. */
function figure(
  counters: Counter[],
  periods: { current: DayRange; previous: DayRange },
  value: (c: Counter) => number,
): Figure {
  const out = { current: 0, previous: 0 };
  for (const c of counters) {
    const p = periodOf(c.bucket, periods.current, periods.previous);
    if (p) out[p] = num(out[p] + value(c));
  }
  return out;
}

/** A rate in percent (one decimal); none sent: absent. */
const rate = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : undefined;

export interface KpiCounters {
  leads: Counter[];
  imported: Counter[];
  email: Counter[];
  stageMoves: Counter[];
  dealsWon: Counter[];
  service: Counter[];
}

/** Deals won per currency in each period: count and amount, the currencies most won first. */
export function wonByCurrency(counters: Counter[], current: DayRange, previous: DayRange) {
  const by = new Map<string, { currency: string; count: Figure; amount: Figure }>();
  for (const c of counters) {
    const p = periodOf(c.bucket, current, previous);
    if (!p) continue;
    const currency = rest(c.bucket);
    const entry = by.get(currency) ?? {
      currency,
      count: { current: 0, previous: 0 },
      amount: { current: 0, previous: 0 },
    };
    entry.count[p] = num(entry.count[p] + num(c.values.count));
    entry.amount[p] = num(entry.amount[p] + num(c.values.amount));
    by.set(currency, entry);
  }
  return [...by.values()]
    .filter((w) => w.count.current !== 0 || w.count.previous !== 0 || w.amount.current !== 0)
    .sort(
      (a, b) =>
        b.count.current - a.count.current ||
        b.count.previous - a.count.previous ||
        a.currency.localeCompare(b.currency),
    );
}

/** The open pipeline now per currency: deals in stages neither won nor lost (0 < probability < 1), all pipelines. */
export function openPipeline(pipelines: Dashboard['pipelines']) {
  const by = new Map<string, { currency: string; count: number; amount: number; weighted: number }>();
  for (const p of pipelines)
    for (const s of p.stages) {
      if (s.probability <= 0 || s.probability >= 1) continue;
      for (const v of s.values) {
        const entry = by.get(v.currency) ?? { currency: v.currency, count: 0, amount: 0, weighted: 0 };
        entry.count += v.count;
        entry.amount = num(entry.amount + v.amount);
        entry.weighted = num(entry.weighted + v.weighted);
        by.set(v.currency, entry);
      }
    }
  return [...by.values()]
    .filter((v) => v.count !== 0 || v.amount !== 0)
    .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}

/** The tiles and the series from the counters of both periods (pure). */
export function kpisOf(
  counters: KpiCounters,
  current: DayRange,
  pipelines: Dashboard['pipelines'],
  backlog: number,
): Pick<Dashboard, 'kpis' | 'series'> {
  const previous = previousRange(current);
  const periods = { current, previous };
  const leads = figure(counters.leads, periods, (c) => num(c.values.count));
  const imported = figure(counters.imported, periods, (c) => num(c.values.count));
  // Every email has a template: its template's buckets hold each email once (a workflow's repeat them).
  const templates = counters.email.filter((c) => rest(c.bucket).startsWith('template#'));
  const [sent, opened, clicked] = (['sent', 'opened', 'clicked'] as const).map((metric) =>
    figure(templates, periods, (c) => num(c.values[metric])),
  ) as [Figure, Figure, Figure];
  const movesInto = (stage: (typeof LIFECYCLE_STAGES)[number]) =>
    figure(
      counters.stageMoves.filter((c) => rest(c.bucket) === stage),
      periods,
      (c) => num(c.values.count),
    );
  const dealsWon = figure(counters.dealsWon, periods, (c) => num(c.values.count));

  const perDay = new Map(eachDay(current).map((date) => [date, { date, newContacts: 0, dealsWon: 0 }]));
  for (const c of [...counters.leads, ...counters.imported]) {
    const entry = perDay.get(c.bucket.slice(0, 10));
    if (entry) entry.newContacts += num(c.values.count);
  }
  for (const c of counters.dealsWon) {
    const entry = perDay.get(c.bucket.slice(0, 10));
    if (entry) entry.dealsWon += num(c.values.count);
  }

  return {
    kpis: {
      newContacts: {
        current: leads.current + imported.current,
        previous: leads.previous + imported.previous,
        imported,
      },
      stageMoves: LIFECYCLE_STAGES.map((stage) => ({ stage, ...movesInto(stage) })),
      dealsWon: { count: dealsWon, byCurrency: wonByCurrency(counters.dealsWon, current, previous) },
      openPipeline: openPipeline(pipelines),
      email: {
        sent,
        opened,
        clicked,
        openRate: dropUndefined({
          current: rate(opened.current, sent.current),
          previous: rate(opened.previous, sent.previous),
        }),
        clickRate: dropUndefined({
          current: rate(clicked.current, sent.current),
          previous: rate(clicked.previous, sent.previous),
        }),
      },
      cases: { open: backlog, opened: figure(counters.service, periods, (c) => num(c.values.opened)) },
    },
    series: [...perDay.values()],
  };
}

const dropUndefined = <T extends Record<string, number | undefined>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: number };

/** Reads the per-day counters of both periods: one range Query per group. */
export async function readKpiCounters(
  store: Pick<InsightsReads, 'getCounters'>,
  current: DayRange,
): Promise<KpiCounters> {
  const both = { from: previousRange(current).from, to: `${current.to}\uffff` };
  const [leads, imported, email, stageMoves, dealsWon, service] = await Promise.all([
    store.getCounters(COUNTER_GROUPS.leads, both),
    store.getCounters(COUNTER_GROUPS.imported, both),
    store.getCounters(COUNTER_GROUPS.email, both),
    store.getCounters(COUNTER_GROUPS.stageMoves, both),
    store.getCounters(COUNTER_GROUPS.dealsWon, both),
    store.getCounters(COUNTER_GROUPS.service, both),
  ]);
  return { leads, imported, email, stageMoves, dealsWon, service };
}
