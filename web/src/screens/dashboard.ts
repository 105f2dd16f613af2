/**
 * Dashboard for a date range (kept in the hash's query: dashboard-range.ts): KPI tiles against the
 * previous period (dashboard-tiles.ts), new contacts and deals won per day (charts.ts), the open
 * pipeline and open cases at the end of each day (dashboard-history.ts), then the
 * marketing cards (the lifecycle funnel, sources, forms, email by template and workflow, revenue by
 * source and campaign, tags), the sales cards (each pipeline's value by stage per currency,
 * purchases per currency, the latest deals won) and the customer service section. Money is shown
 * per currency, never added across currencies.
 */
import { api, type CampaignView, type Dashboard, type Page } from '../api.js';
import { DailyChart } from '../charts.js';
import { localDay, parseRange, rangeDays } from '../dashboard-range.js';
import { Empty, ErrorBox, html, Loading, link, money, useLoad } from '../ui.js';
import '../styles/dashboard.css';
import { touchAmounts } from './campaigns.js';
import { OpenHistory } from './dashboard-history.js';
import { Funnel, ModelCard, SourceRevenue, WonDeals } from './dashboard-marketing.js';
import { RangePicker } from './dashboard-range-picker.js';
import {
  EmailTables,
  FormsTable,
  PipelineValue,
  SourcesTable,
  TagsTable,
  useNames,
} from './dashboard-sections.js';
import { ServiceMetrics } from './dashboard-service.js';
import { KpiTiles, nothingYet } from './dashboard-tiles.js';

/** Revenue from deals won in the range, credited to the campaigns that reached their contacts (by name). */
function CampaignRevenue({ rows }: { rows: Dashboard['campaigns'] }) {
  const campaigns = useLoad(() => api<Page<CampaignView>>('GET', '/v1/campaigns?limit=100'), []);
  const name = (id: string) =>
    campaigns.data?.items.find((c) => c.campaign.id === id)?.campaign.name ?? `Campaign ${id.slice(-6)}`;
  const amounts = (r: Dashboard['campaigns'][number], touch: 'firstTouch' | 'lastTouch') =>
    touchAmounts(r.revenue, touch);
  return html`<div class="card"><h3 id="campaign-revenue-title">Revenue from campaigns</h3>
    ${
      rows.length === 0
        ? html`<${Empty}>No deal won in this range by a contact a campaign reached in the 30 days before.</${Empty}>`
        : html`<div class="table-scroll" role="region" aria-labelledby="campaign-revenue-title" tabindex="0">
            <table>
              <thead><tr><th scope="col">Campaign</th><th scope="col" class="num">Last touch</th><th scope="col" class="num">First touch</th></tr></thead>
              <tbody>${rows.map(
                (r) => html`<tr>
                  <th scope="row"><a href=${`#/campaigns/${r.campaignId}`}>${name(r.campaignId)}</a></th>
                  <td class="num">${amounts(r, 'lastTouch')} <small>(${r.revenue.dealsWon.lastTouch})</small></td>
                  <td class="num">${amounts(r, 'firstTouch')} <small>(${r.revenue.dealsWon.firstTouch})</small></td>
                </tr>`,
              )}</tbody>
            </table>
          </div>
          <p class="muted">Deals won (in brackets) and their amounts, by the first and the last campaign that reached the contact within 30 days.</p>`
    }
  </div>`;
}

/** Purchases other systems reported in the range, one row per currency (never added across currencies). */
function Purchases({ rows }: { rows: Dashboard['purchases'] }) {
  return html`<div class="card"><h3 id="purchases-title">Purchases</h3>
    ${
      rows.length === 0
        ? html`<${Empty}>No purchase reported in this range.</${Empty}>`
        : html`<div class="table-scroll" role="region" aria-labelledby="purchases-title" tabindex="0">
            <table>
              <thead><tr><th scope="col">Currency</th><th scope="col" class="num">Orders</th><th scope="col" class="num">Revenue</th></tr></thead>
              <tbody>${rows.map(
                (p) => html`<tr>
                  <th scope="row">${p.currency}</th>
                  <td class="num">${p.count}</td>
                  <td class="num">${money(p.total, p.currency)}</td>
                </tr>`,
              )}</tbody>
            </table>
          </div>`
    }
  </div>`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const span = (from: string, to: string) =>
  from === to
    ? dayFormat.format(new Date(from))
    : `${dayFormat.format(new Date(from))} – ${dayFormat.format(new Date(to))}`;

/** The daily series: new contacts and deals won, with axes, a legend and the numbers in a table. */
function DailySeries({ report }: { report: Dashboard }) {
  return html`<div class="card"><h2 id="daily-title">New contacts and deals won per day</h2>
    <${DailyChart}
      id="daily"
      label="New contacts and deals won per day"
      days=${report.series.map((d) => d.date)}
      series=${[
        {
          label: 'New contacts',
          unit: 'Contacts',
          color: '#2b6a4f',
          values: report.series.map((d) => d.newContacts),
        },
        { label: 'Deals won', unit: 'Deals', color: '#a34d00', values: report.series.map((d) => d.dealsWon) },
      ]}
    />
  </div>`;
}

function Report({ report: r }: { report: Dashboard }) {
  const names = useNames();
  return html`
    ${
      nothingYet(r)
        ? html`<div class="card dash-hint"><p><strong>Nothing counted yet.</strong> The figures fill in as contacts come in (<a href=${link('/contacts')}>Contacts</a>, <a href=${link('/forms')}>Forms</a>, <a href=${link('/imports')}>Import</a>), deals move on the <a href=${link('/pipelines')}>Pipeline</a>, emails go out and cases arrive.</p></div>`
        : null
    }
    <${KpiTiles} report=${r} />
    <${DailySeries} report=${r} />
    <${OpenHistory} report=${r} />
    <section class="dash-section" aria-labelledby="dash-marketing-title">
      <h2 id="dash-marketing-title" class="dash-section-title">Marketing</h2>
      <div class="grid">
        <${Funnel} rows=${r.funnel} />
        <${SourcesTable} leads=${r.leads} />
        <${FormsTable} forms=${r.forms} names=${names} />
        <${EmailTables} email=${r.email} names=${names} />
        <${SourceRevenue} report=${r} />
        <${CampaignRevenue} rows=${r.campaigns} />
        <${TagsTable} tags=${r.tags} />
        <${ModelCard} />
      </div>
    </section>
    <section class="dash-section" aria-labelledby="dash-sales-title">
      <h2 id="dash-sales-title" class="dash-section-title">Sales</h2>
      <div class="grid">
        ${
          r.pipelines.length === 0
            ? html`<div class="card"><h3>Pipelines</h3><${Empty}>No pipeline yet: make one on the <a href=${link('/pipelines')}>Pipeline</a> screen.</${Empty}></div>`
            : r.pipelines.map((p) => html`<${PipelineValue} key=${p.pipelineId} pipeline=${p} />`)
        }
        <${Purchases} rows=${r.purchases} />
        <${WonDeals} />
      </div>
    </section>
    <${ServiceMetrics} service=${r.service} history=${r} />`;
}

export function DashboardScreen() {
  // The range is in the hash (the app draws this screen again when the hash changes).
  const choice = parseRange(window.location.hash);
  const days = rangeDays(choice, localDay(new Date()));
  const report = useLoad(
    () => api<Dashboard>('GET', `/v1/reports/dashboard?from=${days.from}&to=${days.to}`),
    [days.from, days.to],
  );
  const r = report.data;
  return html`<section aria-labelledby="dash-title" aria-busy=${report.loading ? 'true' : 'false'}>
    <div class="dash-head">
      <div>
        <h1 id="dash-title">Dashboard</h1>
        <p class="muted" id="dash-range-text">${span(days.from, days.to)} · compared with ${
          r ? span(r.previous.from, r.previous.to) : 'the previous period'
        }</p>
      </div>
      <${RangePicker} choice=${choice} days=${days} />
    </div>
    ${
      report.error
        ? html`<${ErrorBox} error=${report.error} onRetry=${report.reload} />`
        : !r
          ? html`<${Loading} what="Loading the dashboard" />`
          : html`${report.loading ? html`<${Loading} what="Updating the figures" />` : null}
              <${Report} report=${r} />`
    }
  </section>`;
}
