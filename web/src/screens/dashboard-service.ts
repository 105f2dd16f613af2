/**
 * The dashboard's customer service section: KPI tiles (backlog now with its change over a range
 * ending today, dashboard-history.ts; median and p90 first response
 * and resolution times, SLA attainment, CSAT), the backlog by status and by agent, CSAT by agent.
 * Times are read from a histogram: "≤ 1 h" means the value fell in the bucket up to an hour.
 */
import type { Dashboard } from '../api.js';
import { Empty, html } from '../ui.js';
import { ownerName, type User, useUsers } from '../user-picker.js';
import { endsNow, historyNote, PointDelta } from './dashboard-history.js';

type Service = Dashboard['service'];
type Percentile = Service['firstResponse']['median'];

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** Minutes as the largest whole unit: 15 min, 4 h, 2 d, 1 wk. */
export function duration(minutes: number): string {
  if (minutes < 60) return `${decimal.format(minutes)} min`;
  if (minutes < 1440) return `${decimal.format(minutes / 60)} h`;
  if (minutes < 10080) return `${decimal.format(minutes / 1440)} d`;
  return `${decimal.format(minutes / 10080)} wk`;
}

/** A percentile from the histogram: at most its bucket's bound (beyond the last: more than it). */
export const percentile = (p: Percentile) => (p ? `${p.over ? '>' : '≤'} ${duration(p.minutes)}` : '—');

const pct = (v: number | undefined) => (v === undefined ? '—' : `${decimal.format(v)} %`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const STATUS_LABELS = { new: 'New', open: 'Open', pending: 'Pending' } as const;
/** An agent by name (a user's; text from before assignees were users as it is). */
const agentName = (users: User[] | undefined, assignee: string | undefined) =>
  assignee ? ownerName(users, assignee) : 'Unassigned';

function Tile({
  label,
  value,
  note,
  children,
}: {
  label: string;
  value: string;
  note: string;
  children?: unknown;
}) {
  return html`<div class="kpi-tile">
    <dt>${label}</dt>
    <dd class="kpi-value">${value}</dd>
    <dd class="kpi-note">${note}</dd>
    ${children}
  </div>`;
}

/** The range and the history of open cases, for the backlog's change (the backlog is now's). */
export type BacklogHistory = Pick<Dashboard, 'from' | 'to' | 'previous' | 'pointInTime'>;

/** The backlog's change against the end of the previous period, when the range ends now and the history reaches it. */
function BacklogChange({ s, history: r }: { s: Service; history: BacklogHistory | undefined }) {
  if (!r || !endsNow(r)) return null;
  const note = historyNote(r);
  return html`<dd class="kpi-note">${
    note ??
    html`<${PointDelta} current=${s.backlog.total} previous=${r.pointInTime.openCases.previous} days=${r.previous.days}
      format=${(v: number) => String(v)} />`
  }</dd>`;
}

function Tiles({ s, history }: { s: Service; history: BacklogHistory | undefined }) {
  const times = (t: Service['firstResponse'], what: [string, string]) =>
    t.count === 0 ? `None in this range` : `p90 ${percentile(t.p90)} · ${plural(t.count, ...what)}`;
  const sla = (target: Service['sla']['firstResponse'], what: [string, string]) =>
    target.total === 0
      ? 'None in this range'
      : // Breaches count on the day they happen, responses on theirs: a late case may breach in a
        // range whose response (if any) falls in another, so the two are said side by side.
        `${plural(target.total, ...what)} · ${plural(target.breached, 'target missed', 'targets missed')}`;
  return html`<dl class="kpi-tiles">
    <${Tile}
      label="Backlog"
      value=${String(s.backlog.total)}
      note=${`${s.backlog.byStatus.new} new · ${s.backlog.byStatus.open} open · ${s.backlog.byStatus.pending} pending`}
    ><${BacklogChange} s=${s} history=${history} /></${Tile}>
    <${Tile}
      label="First response (median)"
      value=${percentile(s.firstResponse.median)}
      note=${times(s.firstResponse, ['response', 'responses'])}
    />
    <${Tile}
      label="Resolution (median)"
      value=${percentile(s.resolution.median)}
      note=${times(s.resolution, ['resolution', 'resolutions'])}
    />
    <${Tile}
      label="First responses within SLA"
      value=${pct(s.sla.firstResponse.withinPercent)}
      note=${sla(s.sla.firstResponse, ['response', 'responses'])}
    />
    <${Tile}
      label="Resolutions within SLA"
      value=${pct(s.sla.resolution.withinPercent)}
      note=${sla(s.sla.resolution, ['resolution', 'resolutions'])}
    />
    <${Tile}
      label="CSAT (rated 4–5)"
      value=${pct(s.csat.satisfiedPercent)}
      note=${
        s.csat.count === 0
          ? 'No rating yet'
          : `average ${decimal.format(s.csat.average ?? 0)} of 5 · ${plural(s.csat.count, 'rating', 'ratings')}`
      }
    />
  </dl>`;
}

function Table({
  id,
  title,
  head,
  rows,
  empty,
  note,
}: {
  id: string;
  title: string;
  head: string[];
  rows: Array<{ key: string; name: string; cells: string[] }>;
  empty: string;
  note?: string;
}) {
  return html`<div class="card"><h3 id=${id}>${title}</h3>
    ${
      rows.length === 0
        ? html`<${Empty}>${empty}</${Empty}>`
        : html`<div class="table-scroll" id=${`${id}-table`} role="region" aria-labelledby=${id} tabindex="0">
            <table>
              <thead><tr>${head.map((h, i) => html`<th scope="col" class=${i > 0 ? 'num' : undefined}>${h}</th>`)}</tr></thead>
              <tbody>${rows.map(
                (r) => html`<tr key=${r.key}>
                  <th scope="row">${r.name}</th>
                  ${r.cells.map((c) => html`<td class="num">${c}</td>`)}
                </tr>`,
              )}</tbody>
            </table>
          </div>
          ${note ? html`<p class="muted">${note}</p>` : null}`
    }
  </div>`;
}

export function ServiceMetrics({ service: s, history }: { service: Service; history?: BacklogHistory }) {
  const { users } = useUsers();
  const nothing =
    s.opened === 0 &&
    s.backlog.total === 0 &&
    s.firstResponse.count === 0 &&
    s.resolution.count === 0 &&
    s.csat.count === 0;
  return html`<section class="service-metrics" aria-labelledby="service-metrics-title">
    <h2 id="service-metrics-title">Customer service</h2>
    ${
      nothing
        ? html`<div class="card"><${Empty}>No case in this range and none open: cases come in by email, the API and the <a href="#/cases">Cases</a> screen.</${Empty}></div>`
        : html`<p class="muted">${plural(s.opened, 'case', 'cases')} opened in this range. Times run from a case’s opening and are read from buckets (5 min, 15 min, 30 min, 1 h … 2 wk): “≤ 1 h” means within the bucket up to an hour. CSAT counts the ratings of cases opened in this range; the backlog is now.</p>
          <${Tiles} s=${s} history=${history} />
          <div class="service-tables">
            <${Table}
              id="backlog-status-title"
              title="Backlog by status"
              head=${['Status', 'Cases']}
              rows=${(['new', 'open', 'pending'] as const).map((status) => ({
                key: status,
                name: STATUS_LABELS[status],
                cells: [String(s.backlog.byStatus[status])],
              }))}
              empty="No open case."
            />
            <${Table}
              id="backlog-agent-title"
              title="Backlog by agent"
              head=${['Agent', 'Cases']}
              rows=${s.backlog.byAssignee.map((a) => ({
                key: a.assignee ?? '',
                name: agentName(users, a.assignee),
                cells: [String(a.count)],
              }))}
              empty="No open case."
            />
            <${Table}
              id="csat-agent-title"
              title="CSAT by agent"
              head=${['Agent', 'Ratings', 'Average', 'Satisfied']}
              rows=${s.csat.byAssignee.map((a) => ({
                key: a.assignee ?? '',
                name: agentName(users, a.assignee),
                cells: [String(a.count), decimal.format(a.average ?? 0), pct(a.satisfiedPercent)],
              }))}
              empty="No rating for the cases opened in this range."
              note="Satisfied: the share of ratings of 4 or 5 (of 5)."
            />
          </div>`
    }
  </section>`;
}
