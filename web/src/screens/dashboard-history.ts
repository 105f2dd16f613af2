/**
 * The point-in-time figures' history on the dashboard (the report's `pointInTime`): their change
 * against the end of the previous period, as the tiles say it ("▲ €1,200.00 vs previous 30 days"),
 * and the open pipeline (one chart per currency: amounts of different currencies are never added)
 * and open cases at the end of each day of the range. Days before the history starts have no figure
 * and say so; no change is given for a range that starts before it.
 */
import type { Dashboard } from '../api.js';
import { localDay } from '../dashboard-range.js';
import { Empty, html, money } from '../ui.js';
import '../styles/dashboard-history.css';
import { LevelChart, type LevelSeries } from './dashboard-level-chart.js';

type History = Dashboard['pointInTime'];
const count = new Intl.NumberFormat();
const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
export const formatDay = (day: string) => dayFormat.format(new Date(day));
const plural = (n: number, one: string, many: string) => `${count.format(n)} ${n === 1 ? one : many}`;
export const dealCount = (n: number) => plural(n, 'deal', 'deals');

/** Whether the figures at the range's end are now's (it ends today or later). */
export const endsNow = (r: Pick<Dashboard, 'to'>) => r.to >= localDay(new Date());

/** When the figures stand: now, or at the end of the range's last day. */
export const whenSaid = (r: Pick<Dashboard, 'to'>) =>
  endsNow(r) ? 'now' : `at the end of ${formatDay(r.to)}`;

/** Why the change against the previous period is not given (none: it is). */
export function historyNote(r: Pick<Dashboard, 'from' | 'pointInTime'>): string | undefined {
  const h = r.pointInTime;
  if (h.openCases.previous !== undefined) return undefined;
  if (!h.since) return 'History starts with the first change counted: nothing to compare yet.';
  if (r.from > h.since) return 'Figures this far back are not kept in view (two years at most).';
  return `History starts on ${formatDay(h.since)}: no change before it.`;
}

/**
 * A point-in-time figure's change against the end of the previous period: arrow, amount, "vs
 * previous N days", and what it was then. Nothing when the previous figure is not known.
 */
export function PointDelta({
  current,
  previous,
  days,
  format,
  then,
}: {
  current: number | undefined;
  previous: number | undefined;
  days: number;
  format: (v: number) => string;
  /** Said with the previous figure (e.g. its deal count). */
  then?: string;
}) {
  if (current === undefined || previous === undefined) return null;
  const diff = Math.round((current - previous) * 100) / 100;
  const vs = `vs previous ${days === 1 ? 'day' : `${count.format(days)} days`}`;
  const was = html`<span class="muted"> (previous: ${format(previous)}${then ? `, ${then}` : ''})</span>`;
  if (diff === 0)
    return html`<span class="delta flat"><span aria-hidden="true">■ </span>no change ${vs}</span>${was}`;
  const up = diff > 0;
  return html`<span class="delta ${up ? 'up' : 'down'}"><span aria-hidden="true">${up ? '▲' : '▼'} </span><span class="sr-only">${up ? 'up' : 'down'} </span>${format(Math.abs(diff))} ${vs}</span>${was}`;
}

const COLORS = { amount: '#2b6a4f', deals: '#a34d00', cases: '#3a5a9a' };
const wholeTick = (v: number) => (Number.isInteger(v) ? count.format(v) : '');
const compactMoney = (currency: string) => {
  const f = new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact' });
  return (v: number) => f.format(v);
};

/** A currency's open amount and deals at the end of each day (null: not known). */
function pipelineSeries(h: History, currency: string): LevelSeries[] {
  const at = (d: History['byDay'][number]) =>
    d.openPipeline === null
      ? null
      : (d.openPipeline.find((p) => p.currency === currency) ?? { count: 0, amount: 0 });
  return [
    {
      label: `Open amount (${currency})`,
      unit: currency,
      color: COLORS.amount,
      values: h.byDay.map((d) => at(d)?.amount ?? null),
      format: (v) => money(v, currency),
      tick: compactMoney(currency),
    },
    {
      label: 'Open deals',
      unit: 'Deals',
      color: COLORS.deals,
      values: h.byDay.map((d) => at(d)?.count ?? null),
      format: (v) => count.format(v),
      tick: wholeTick,
    },
  ];
}

/** The open pipeline per currency and the open cases at the end of each day of the range. */
export function OpenHistory({ report: r }: { report: Dashboard }) {
  const h = r.pointInTime;
  const days = h.byDay.map((d) => d.date);
  const knownDays = h.byDay.filter((d) => d.openCases !== null).length;
  const since = h.since ? formatDay(h.since) : undefined;
  return html`<div class="card open-history"><h2 id="open-history-title">Open pipeline and open cases, day by day</h2>
    ${
      knownDays === 0
        ? html`<${Empty}>No figure for these days: ${
            since ? `the history starts on ${since}.` : 'the history starts with the first change counted.'
          }</${Empty}>`
        : html`<p class="muted">What was open at the end of each day; each currency apart, never added.${
            knownDays < days.length
              ? ` ${since ? `History starts on ${since}` : 'History starts with the first change counted'}: earlier days have no figure.`
              : ''
          }</p>
          <div class="level-charts">
            ${
              h.openPipeline.length === 0
                ? html`<${Empty}>No open deal in these days.</${Empty}>`
                : h.openPipeline.map(
                    (p) => html`<${LevelChart}
                      key=${p.currency}
                      id=${`open-pipeline-${p.currency}`}
                      label=${`Open pipeline in ${p.currency}`}
                      days=${days}
                      series=${pipelineSeries(h, p.currency)}
                    />`,
                  )
            }
            <${LevelChart}
              id="open-cases"
              label="Open cases"
              days=${days}
              series=${[
                {
                  label: 'Open cases',
                  unit: 'Cases',
                  color: COLORS.cases,
                  values: h.byDay.map((d) => d.openCases),
                  format: (v: number) => count.format(v),
                  tick: wholeTick,
                },
              ]}
            />
          </div>`
    }
  </div>`;
}
