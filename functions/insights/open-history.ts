/**
 * The history of the point-in-time figures (the open pipeline per currency, open cases), from the
 * figures now and the net changes counted per day (open-changes.ts): the figure at the end of a day
 * D is `now − the net changes of the days after D`, read with one range Query from the range's first
 * day to today (at most MAX_DAYS_BACK days). A day's figure is known only from the day counting
 * began (`since`): before it, no net change was counted, and it is left unknown, never guessed.
 */
import { day, num } from './counters.js';
import { type DayRange, eachDay } from './kpis.js';
import type { PointInTime } from './model.js';
import { CASES_BUCKET, DEALS_BUCKET, OPEN_CHANGES_GROUP } from './open-changes.js';
import type { Counter, InsightsReads } from './store.js';

/** How far back figures are read: two of the longest ranges (the previous period's end included). */
export const MAX_DAYS_BACK = 2 * 366;

const DAY_MS = 24 * 3600 * 1000;
const addDays = (d: string, n: number) => day(new Date(Date.parse(d) + n * DAY_MS).toISOString());
const later = (a: string, b: string) => (a > b ? a : b);

export interface OpenNow {
  /** Open deals now per currency (all pipelines). */
  pipeline: Array<{ currency: string; count: number; amount: number }>;
  /** Active cases now. */
  cases: number;
}

type Money = { count: number; amount: number };

/** The net changes per day: open cases, and open deals per currency. */
function changesByDay(counters: Counter[]) {
  const cases = new Map<string, number>();
  const deals = new Map<string, Map<string, Money>>();
  for (const c of counters) {
    const [date = '', kind, currency] = c.bucket.split('#');
    if (kind === CASES_BUCKET) cases.set(date, (cases.get(date) ?? 0) + Math.round(c.values.open ?? 0));
    if (kind === DEALS_BUCKET && currency) {
      const byCurrency = deals.get(date) ?? new Map<string, Money>();
      const entry = byCurrency.get(currency) ?? { count: 0, amount: 0 };
      entry.count += Math.round(c.values.count ?? 0);
      entry.amount = num(entry.amount + num(c.values.amount));
      byCurrency.set(currency, entry);
      deals.set(date, byCurrency);
    }
  }
  return { cases, deals };
}

type Figures = { cases: number; pipeline: Map<string, Money> };

/**
 * The figures at the end of each day of the range and of the day before it (pure). `today` is the
 * clock's day; `changes` the net-change counters of the days after `range.from − 1` up to today.
 */
export function openHistory(input: {
  range: DayRange;
  today: string;
  since: string | undefined;
  now: OpenNow;
  changes: Counter[];
}): PointInTime {
  const { range, today, since, now } = input;
  const start = addDays(range.from, -1);
  const { cases, deals } = changesByDay(input.changes);
  const currencies = [
    ...new Set([
      ...now.pipeline.map((p) => p.currency),
      ...[...deals.values()].flatMap((m) => [...m.keys()]),
    ]),
  ].sort();
  const nowFigures: Figures = {
    cases: now.cases,
    pipeline: new Map(
      currencies.map((c) => {
        const p = now.pipeline.find((x) => x.currency === c);
        return [c, { count: p?.count ?? 0, amount: num(p?.amount) }];
      }),
    ),
  };

  // Walking back from today: the end of day D − 1 is the end of day D less D's net changes. Known
  // back to `since` (none counted yet: today only), and not before the range needs.
  const known = new Map<string, Figures>();
  const lowest = [start, since ?? today, addDays(today, -MAX_DAYS_BACK)].reduce(later);
  let running = nowFigures;
  for (let d = today; d >= lowest; d = addDays(d, -1)) {
    known.set(d, running);
    const dayDeals = deals.get(d);
    running = {
      cases: running.cases - (cases.get(d) ?? 0),
      pipeline: new Map(
        [...running.pipeline].map(([c, v]) => {
          const change = dayDeals?.get(c);
          return [c, change ? { count: v.count - change.count, amount: num(v.amount - change.amount) } : v];
        }),
      ),
    };
  }
  /** The figures at the end of a day: now for today and later, counted back otherwise, unknown before `since`. */
  const at = (d: string) => (d >= today ? nowFigures : known.get(d));

  const end = at(range.to);
  const before = at(start);
  const days = eachDay(range).map((date) => ({ date, figures: at(date) }));
  // A currency is listed when it had open deals at some known point of the range.
  const shown = currencies.filter((c) =>
    [end, before, ...days.map((d) => d.figures)].some((f) => {
      const v = f?.pipeline.get(c);
      return v !== undefined && (v.count !== 0 || v.amount !== 0);
    }),
  );
  const figure = (pick: (f: Figures) => number) => ({
    ...(end ? { current: pick(end) } : {}),
    ...(before ? { previous: pick(before) } : {}),
  });
  const money = (f: Figures, currency: string) => f.pipeline.get(currency) ?? { count: 0, amount: 0 };
  return {
    ...(since ? { since } : {}),
    openPipeline: shown.map((currency) => ({
      currency,
      count: figure((f) => money(f, currency).count),
      amount: figure((f) => money(f, currency).amount),
    })),
    openCases: figure((f) => f.cases),
    byDay: days.map(({ date, figures }) => ({
      date,
      openCases: figures ? figures.cases : null,
      openPipeline: figures ? shown.map((currency) => ({ currency, ...money(figures, currency) })) : null,
    })),
  };
}

/** The net changes the range needs: from its first day (the day after the previous period) to today. */
export function changesToRead(range: DayRange, today: string, since: string | undefined) {
  if (since === undefined) return undefined;
  const from = [range.from, addDays(since, 1), addDays(today, -MAX_DAYS_BACK + 1)].reduce(later);
  return from > today ? undefined : { from, to: `${today}\uffff` };
}

/** Reads what the history needs: the day counting began, then the net changes (one range Query). */
export async function readOpenChanges(
  store: Pick<InsightsReads, 'getCounters' | 'getHistoryStart'>,
  range: DayRange,
  today: string,
): Promise<{ since: string | undefined; changes: Counter[] }> {
  const since = await store.getHistoryStart();
  const window = changesToRead(range, today, since);
  return { since, changes: window ? await store.getCounters(OPEN_CHANGES_GROUP, window) : [] };
}
