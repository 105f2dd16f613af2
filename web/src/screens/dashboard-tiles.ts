/**
 * The dashboard's KPI tiles for the chosen range, each beside the previous period of equal length:
 * new contacts, moves into the marketing-qualified stage (by the workspace's name for it), deals won
 * (their number, and one amount per currency), the open pipeline (per currency) and open cases at
 * the range's end against the previous period's end (dashboard-history.ts), emails sent with their
 * open and click rates. Amounts of different currencies are never added.
 */
import type { Dashboard } from '../api.js';
import { change, rateChange, type Trend } from '../dashboard-range.js';
import { useStageLabels } from '../stage-labels.js';
import { html, money } from '../ui.js';
import { dealCount, endsNow, historyNote, PointDelta, whenSaid } from './dashboard-history.js';

type Kpis = Dashboard['kpis'];
const count = new Intl.NumberFormat();
const pct = (v: number | undefined) =>
  v === undefined ? '—' : `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(v)} %`;
const ARROWS: Record<Trend, string> = { up: '▲', down: '▼', flat: '■' };

/** A change against the previous period: an arrow, the change in words, and what it compares with. */
function Delta({ delta, was }: { delta: { trend: Trend; text: string } | undefined; was: string }) {
  if (!delta) return html`<span class="muted">previous: ${was}</span>`;
  return html`<span class="delta ${delta.trend}"><span aria-hidden="true">${ARROWS[delta.trend]} </span>${delta.text}</span>
    <span class="muted"> (previous: ${was})</span>`;
}

function Tile({ label, value, children }: { label: string; value?: string; children?: unknown }) {
  return html`<div class="kpi-tile">
    <dt>${label}</dt>
    ${value !== undefined ? html`<dd class="kpi-value">${value}</dd>` : null}
    ${children}
  </div>`;
}

function CountTile({
  label,
  figure,
  extra,
}: {
  label: string;
  figure: { current: number; previous: number };
  extra?: string;
}) {
  return html`<${Tile} label=${label} value=${count.format(figure.current)}>
    <dd class="kpi-note"><${Delta} delta=${change(figure.current, figure.previous)} was=${count.format(figure.previous)} />${extra ? html`<br />${extra}` : null}</dd>
  </${Tile}>`;
}

/**
 * The open pipeline at the end of the range (now, for a range ending today) per currency, each with
 * its change against the end of the previous period when the history reaches it; a currency whose
 * deals all closed in the range is listed at 0.
 */
function OpenPipelineTile({ report: r }: { report: Dashboard }) {
  const h = r.pointInTime;
  const now = endsNow(r);
  // The range's end is known (all currencies at once) unless it is before the history starts.
  const known = h.openCases.current !== undefined;
  const rows = known
    ? h.openPipeline
        .filter(
          (p) => p.count.current !== 0 || p.amount.current !== 0 || p.amount.previous || p.count.previous,
        )
        .map((p) => ({
          currency: p.currency,
          count: p.count.current ?? 0,
          amount: p.amount.current ?? 0,
          previous: p.amount.previous,
          previousCount: p.count.previous,
        }))
    : r.kpis.openPipeline.map((p) => ({ ...p, previous: undefined, previousCount: undefined }));
  const weighted = (currency: string) => r.kpis.openPipeline.find((p) => p.currency === currency)?.weighted;
  const note = historyNote(r);
  return html`<${Tile} label="Open pipeline">
    <dd class="kpi-note"><span class="kpi-when">${known ? whenSaid(r) : 'now'}</span></dd>
    <dd>${
      rows.length === 0
        ? html`<span class="kpi-value">0</span><br /><span class="muted">No open deal</span>`
        : html`<ul class="kpi-money" aria-label="Open pipeline per currency">${rows.map((p) => {
            const w = now || !known ? weighted(p.currency) : undefined;
            return html`<li>${money(p.amount, p.currency)}
              <br /><span class="muted">${dealCount(p.count)}${w !== undefined ? ` · weighted ${money(w, p.currency)}` : ''}</span>
              ${
                p.previous !== undefined
                  ? html`<br /><${PointDelta} current=${p.amount} previous=${p.previous} days=${r.previous.days}
                      format=${(v: number) => money(v, p.currency)} then=${dealCount(p.previousCount ?? 0)} />`
                  : null
              }</li>`;
          })}</ul>`
    }</dd>
    ${note ? html`<dd class="kpi-note">${note}</dd>` : null}
  </${Tile}>`;
}

/** Open cases at the end of the range (now, for a range ending today) against the previous period's end. */
function OpenCasesTile({ report: r }: { report: Dashboard }) {
  const k = r.kpis;
  const h = r.pointInTime;
  const known = h.openCases.current !== undefined;
  const note = historyNote(r);
  return html`<${Tile} label="Open cases" value=${count.format(h.openCases.current ?? k.cases.open)}>
    <dd class="kpi-note"><span class="kpi-when">${known ? whenSaid(r) : 'now'}</span>${
      h.openCases.previous !== undefined
        ? html`<${PointDelta} current=${h.openCases.current} previous=${h.openCases.previous} days=${r.previous.days}
            format=${(v: number) => count.format(v)} />`
        : null
    }</dd>
    <dd class="kpi-note">${count.format(k.cases.opened.current)} opened in this range ·
      <${Delta} delta=${change(k.cases.opened.current, k.cases.opened.previous)} was=${count.format(k.cases.opened.previous)} /></dd>
    ${note ? html`<dd class="kpi-note">${note}</dd>` : null}
  </${Tile}>`;
}

export function KpiTiles({ report }: { report: Dashboard }) {
  const labels = useStageLabels();
  const k: Kpis = report.kpis;
  const mql = k.stageMoves.find((m) => m.stage === 'marketing_qualified_lead') ?? { current: 0, previous: 0 };
  const moves = k.stageMoves.reduce((sum, m) => sum + m.current, 0);
  return html`<dl class="kpi-tiles dash-kpis" aria-label="Key figures">
    <${CountTile}
      label="New contacts"
      figure=${k.newContacts}
      extra=${k.newContacts.imported.current > 0 ? `${count.format(k.newContacts.imported.current)} of them imported` : undefined}
    />
    <${CountTile}
      label=${`Moved to ${labels.marketing_qualified_lead}`}
      figure=${mql}
      extra=${`${count.format(moves)} lifecycle ${moves === 1 ? 'move' : 'moves'} in all`}
    />
    <${Tile} label="Deals won" value=${count.format(k.dealsWon.count.current)}>
      <dd class="kpi-note"><${Delta} delta=${change(k.dealsWon.count.current, k.dealsWon.count.previous)} was=${count.format(k.dealsWon.count.previous)} /></dd>
      <dd>${
        k.dealsWon.byCurrency.length === 0
          ? html`<span class="muted">No amount won</span>`
          : html`<ul class="kpi-money" aria-label="Amount won per currency">${k.dealsWon.byCurrency.map(
              (w) => html`<li>${money(w.amount.current, w.currency)}
                <br /><${Delta} delta=${change(w.amount.current, w.amount.previous)} was=${money(w.amount.previous, w.currency)} /></li>`,
            )}</ul>`
      }</dd>
    </${Tile}>
    <${OpenPipelineTile} report=${report} />
    <${CountTile} label="Emails sent" figure=${k.email.sent} />
    <${Tile} label="Open rate" value=${pct(k.email.openRate.current)}>
      <dd class="kpi-note"><${Delta} delta=${rateChange(k.email.openRate.current, k.email.openRate.previous)} was=${pct(k.email.openRate.previous)} /></dd>
    </${Tile}>
    <${Tile} label="Click rate" value=${pct(k.email.clickRate.current)}>
      <dd class="kpi-note"><${Delta} delta=${rateChange(k.email.clickRate.current, k.email.clickRate.previous)} was=${pct(k.email.clickRate.previous)} /></dd>
    </${Tile}>
    <${OpenCasesTile} report=${report} />
  </dl>`;
}

/** Whether nothing at all is counted yet (a new workspace): the tiles show 0 and a hint says where figures come from. */
export const nothingYet = (r: Dashboard) =>
  r.contacts.total === 0 &&
  r.kpis.newContacts.current + r.kpis.newContacts.previous === 0 &&
  r.kpis.dealsWon.count.current + r.kpis.dealsWon.count.previous === 0 &&
  r.kpis.openPipeline.length === 0 &&
  r.kpis.email.sent.current + r.kpis.email.sent.previous === 0 &&
  r.kpis.cases.open === 0;
