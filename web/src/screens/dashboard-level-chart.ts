/**
 * A level over days drawn with uPlot: what a figure stood at at the end of each day (the open
 * pipeline, open cases), a line per series, each on its own y axis (left, then right), a gap where a
 * day's figure is not known (before its history starts), a legend in HTML, resized with its box. The
 * numbers are also in a table inside a <details> (the chart is an image to assistive technology).
 */
import { useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { AXIS, dayChart, dayLabel, useUplot } from '../charts.js';
import { html } from '../ui.js';

export interface LevelSeries {
  label: string;
  /** The y axis' title. */
  unit: string;
  color: string;
  /** One per day; null: not known. */
  values: Array<number | null>;
  /** A value as the table and the summary say it. */
  format: (v: number) => string;
  /** A value as an axis tick (short). */
  tick: (v: number) => string;
}

const HEIGHT = 220;

function options(width: number, days: string[], series: LevelSeries[]): uPlot.Options {
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
        values: (_u: uPlot, splits: number[]) => splits.map((v) => s.tick(v)),
        grid: { ...AXIS.grid, show: i === 0 },
        size: 64,
      })),
    ],
    series: [
      { label: 'Day' },
      ...series.map((s, i) => ({
        label: s.label,
        scale: `y${i}`,
        stroke: s.color,
        width: 2,
        spanGaps: false,
        points: { show: days.length <= 45, size: 6, fill: s.color },
      })),
    ],
  };
}

/** The first and last known value of a series (its range's start and end), if any. */
function ends(values: Array<number | null>) {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0
    ? undefined
    : { first: known[0] as number, last: known[known.length - 1] as number };
}

/** A level chart with its legend and the numbers in a table. */
export function LevelChart({
  id,
  label,
  days,
  series,
}: {
  id: string;
  label: string;
  days: string[];
  series: LevelSeries[];
}) {
  const box = useRef<HTMLDivElement>(null);
  useUplot(
    box,
    (width) => options(width, days, series),
    () => [days.map((d) => Date.parse(d) / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData,
    JSON.stringify({ days, series: series.map((s) => ({ ...s, format: undefined, tick: undefined })) }),
  );
  const said = series.map((s) => {
    const e = ends(s.values);
    return e ? `${s.label} from ${s.format(e.first)} to ${s.format(e.last)}` : `${s.label}: no figure`;
  });
  return html`<figure class="level-chart" aria-labelledby=${`${id}-caption`}>
    <figcaption id=${`${id}-caption`} class="level-caption">${label}</figcaption>
    <ul class="chart-legend" aria-label=${`${label}: legend`}>
      ${series.map(
        (s) =>
          html`<li><span class="swatch" style=${{ background: s.color }} aria-hidden="true"></span>${s.label}</li>`,
      )}
    </ul>
    <div ref=${box} class="chart-box" role="img" aria-label=${`${label}: ${said.join('; ')}. The figure at the end of each day is in the table below.`}></div>
    <details class="level-data">
      <summary>${label}: figures per day</summary>
      <div class="table-scroll" role="region" aria-label=${`${label}: the figures`} tabindex="0">
        <table>
          <thead><tr><th scope="col">End of day</th>${series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
          <tbody>${days.map(
            (d, row) => html`<tr key=${d}>
              <th scope="row"><time datetime=${d}>${dayLabel.format(new Date(Date.parse(d)))}</time></th>
              ${series.map((s) => {
                const v = s.values[row];
                return html`<td class="num">${
                  v === null || v === undefined
                    ? html`<span aria-hidden="true">—</span><span class="sr-only">not known</span>`
                    : s.format(v)
                }</td>`;
              })}
            </tr>`,
          )}</tbody>
        </table>
      </div>
    </details>
  </figure>`;
}
