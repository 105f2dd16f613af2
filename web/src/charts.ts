/**
 * A daily time series drawn with uPlot: a line per series, each on its own y axis (left, then
 * right), days on the x axis, labels at 13 px, a legend in HTML, resized with its box. The numbers
 * are also in a table inside a <details> (the chart itself is an image to assistive technology).
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { html } from './ui.js';

export interface DailySeries {
  label: string;
  /** The y axis' title. */
  unit: string;
  color: string;
  values: number[];
}

const FONT = '13px system-ui, -apple-system, "Segoe UI", sans-serif';
/** How every chart's axes look. */
export const AXIS = {
  stroke: '#1d2330',
  font: FONT,
  labelFont: FONT,
  grid: { stroke: '#e6e9ef', width: 1 },
  ticks: { stroke: '#d9dee8', width: 1 },
};
const HEIGHT = 260;
export const dayLabel = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const count = new Intl.NumberFormat();

/** Counts only: no fractional ticks. */
const wholeTicks = (_u: uPlot, splits: number[]) =>
  splits.map((v) => (Number.isInteger(v) ? count.format(v) : ''));

/**
 * What every chart over days shares: its size, no built-in legend or zoom, calendar days on the x
 * axis (shown as such whatever the browser's time zone), and one y scale per series from 0.
 */
export function dayChart(width: number, height: number, seriesCount: number) {
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: {
      x: { time: true },
      ...Object.fromEntries(
        Array.from({ length: seriesCount }, (_, i) => [
          `y${i}`,
          { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(1, max)] as [number, number] },
        ]),
      ),
    },
    xAxis: {
      ...AXIS,
      values: (_u: uPlot, splits: number[]) => splits.map((s) => dayLabel.format(new Date(s * 1000))),
      space: 70,
    },
  } satisfies Partial<uPlot.Options> & { xAxis: uPlot.Axis };
}

function options(width: number, days: string[], series: DailySeries[]): uPlot.Options {
  const { xAxis, ...base } = dayChart(width, HEIGHT, series.length);
  return {
    ...base,
    axes: [
      xAxis,
      ...series.map((s, i) => ({
        ...AXIS,
        scale: `y${i}`,
        side: i === 0 ? 3 : 1,
        label: s.unit,
        stroke: s.color,
        values: wholeTicks,
        grid: { ...AXIS.grid, show: i === 0 },
        size: 56,
      })),
    ],
    series: [
      { label: 'Day' },
      ...series.map((s, i) => ({
        label: s.label,
        scale: `y${i}`,
        stroke: s.color,
        width: 2,
        points: { show: days.length <= 45, size: 6, fill: s.color },
      })),
    ],
  };
}

/**
 * Draws a uPlot chart in `box`, as wide as the box (at least 200 px) and following its width, and
 * draws it again when `key` changes; the chart is destroyed when it goes.
 */
export function useUplot(
  box: { current: HTMLDivElement | null },
  options: (width: number) => uPlot.Options,
  data: () => uPlot.AlignedData,
  key: string,
) {
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts = options(Math.max(200, el.clientWidth));
    const plot = new uPlot(opts, data(), el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, el.clientWidth), height: opts.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [key]);
}

/** A daily line chart with its legend and the numbers in a table. */
export function DailyChart({
  id,
  label,
  days,
  series,
}: {
  id: string;
  label: string;
  days: string[];
  series: DailySeries[];
}) {
  const box = useRef<HTMLDivElement>(null);
  useUplot(
    box,
    (width) => options(width, days, series),
    () => [days.map((d) => Date.parse(d) / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData,
    JSON.stringify({ days, series }),
  );
  const totals = series.map((s) => s.values.reduce((sum, v) => sum + v, 0));
  return html`<figure class="daily-chart" aria-labelledby=${`${id}-caption`}>
    <figcaption id=${`${id}-caption`} class="sr-only">${label}</figcaption>
    <ul class="chart-legend" aria-label="Legend">
      ${series.map(
        (s, i) =>
          html`<li><span class="swatch" style=${{ background: s.color }} aria-hidden="true"></span>${s.label} <span class="muted">(${count.format(totals[i] ?? 0)} in all)</span></li>`,
      )}
    </ul>
    <div ref=${box} class="chart-box" role="img" aria-label=${`${label}: ${series.map((s, i) => `${s.label} ${count.format(totals[i] ?? 0)} in all`).join(', ')}. The numbers per day are in the table below.`}></div>
    <details class="chart-data">
      <summary>Numbers per day</summary>
      <div class="table-scroll" role="region" aria-label=${`${label}: the numbers`} tabindex="0">
        <table>
          <thead><tr><th scope="col">Day</th>${series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
          <tbody>${days.map(
            (d, row) => html`<tr key=${d}>
              <th scope="row"><time datetime=${d}>${dayLabel.format(new Date(Date.parse(d)))}</time></th>
              ${series.map((s) => html`<td class="num">${count.format(s.values[row] ?? 0)}</td>`)}
            </tr>`,
          )}</tbody>
        </table>
      </div>
    </details>
  </figure>`;
}
