/**
 * Dashboard: leads per day, email engagement, pipeline value by stage, tags, follow-ups due, and
 * purchases per currency, revenue attributed to campaigns, the lifecycle funnel and revenue by
 * marketing source; the customer service section (dashboard-service.ts).
 */
import { api, type CampaignView, type Dashboard, type Page, type Template } from '../api.js';
import { Empty, ErrorBox, html, Loading, money, useLoad } from '../ui.js';
import { touchAmounts } from './campaigns.js';
import { Funnel, ModelCard, SourceRevenue, WonDeals } from './dashboard-marketing.js';
import { ServiceMetrics } from './dashboard-service.js';

function Bars({
  label,
  data,
}: {
  label: string;
  data: Array<{ name: string; value: number; note?: string }>;
}) {
  if (data.length === 0) return html`<${Empty}>No data in this range.</${Empty}>`;
  const max = Math.max(1, ...data.map((d) => d.value));
  const h = 22;
  return html`<svg role="img" aria-label=${label} class="chart" viewBox=${`0 0 420 ${data.length * h}`}>
    ${data.map(
      (d, i) => html`<g transform=${`translate(0,${i * h})`}>
        <text x="0" y="15" class="small">${d.name}</text>
        <rect x="130" y="3" height="14" width=${Math.max(1, (d.value / max) * 230)} />
        <text x=${136 + (d.value / max) * 230} y="15" class="small">${d.note ?? d.value}</text>
      </g>`,
    )}
  </svg>`;
}

/** Revenue from deals won in the range, credited to the campaigns that reached their contacts (by name). */
function CampaignRevenue({ rows }: { rows: Dashboard['campaigns'] }) {
  const campaigns = useLoad(() => api<Page<CampaignView>>('GET', '/v1/campaigns?limit=100'), []);
  const name = (id: string) =>
    campaigns.data?.items.find((c) => c.campaign.id === id)?.campaign.name ?? `Campaign ${id.slice(-6)}`;
  const amounts = (r: Dashboard['campaigns'][number], touch: 'firstTouch' | 'lastTouch') =>
    touchAmounts(r.revenue, touch);
  return html`<div class="card"><h2 id="campaign-revenue-title">Revenue from campaigns</h2>
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
  return html`<div class="card"><h2 id="purchases-title">Purchases</h2>
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

export function DashboardScreen() {
  const report = useLoad(() => api<Dashboard>('GET', '/v1/reports/dashboard'), []);
  const templates = useLoad(() => api<Page<Template>>('GET', '/v1/templates?limit=100'), []);
  const name = (id: string) => templates.data?.items.find((t) => t.id === id)?.name ?? id.slice(-6);
  if (report.loading && !report.data) return html`<${Loading} what="Loading the dashboard" />`;
  if (!report.data) return html`<${ErrorBox} error=${report.error} onRetry=${report.reload} />`;
  const r = report.data;
  return html`<section aria-labelledby="dash-title">
    <h1 id="dash-title">Dashboard</h1>
    <p class="muted">${r.from} to ${r.to} · ${r.contacts.total} contacts · ${r.leads.total} new leads · ${r.followUpsDue.total} follow-ups due</p>
    <div class="grid">
      <div class="card"><h2>Leads per day</h2>
        <${Bars} label="New leads per day" data=${r.leads.byDay.map((d) => ({ name: d.date, value: d.total }))} />
        <p class="muted">By source: ${
          Object.entries(r.leads.bySource)
            .map(([s, n]) => `${s} ${n}`)
            .join(' · ') || '—'
        }</p>
      </div>
      <div class="card"><h2>Email engagement</h2>
        <${Bars} label="Emails sent, opened, clicked and bounced" data=${r.email.byTemplate.flatMap((t) => [
          { name: `${name(t.templateId)} sent`, value: t.sent },
          { name: `${name(t.templateId)} opened`, value: t.opened },
          { name: `${name(t.templateId)} clicked`, value: t.clicked },
          { name: `${name(t.templateId)} bounced`, value: t.bounced },
        ])} />
      </div>
      ${r.pipelines.map(
        (p) => html`<div class="card"><h2>${p.name}: value by stage</h2>
          <${Bars} label=${`Pipeline ${p.name} value by stage`} data=${p.stages.map((s) => ({
            name: s.stage,
            value: s.values.reduce((sum, v) => sum + v.amount, 0),
            note: s.values.map((v) => money(v.amount, v.currency)).join(' + ') || '0',
          }))} />
        </div>`,
      )}
      <${Funnel} rows=${r.funnel} />
      <${ModelCard} />
      <${SourceRevenue} report=${r} />
      <${WonDeals} />
      <${Purchases} rows=${r.purchases} />
      <${CampaignRevenue} rows=${r.campaigns} />
      <div class="card"><h2>Tags</h2>
        <${Bars} label="Contacts per tag" data=${r.tags.slice(0, 12).map((t) => ({ name: t.tag, value: t.count }))} />
      </div>
    </div>
    <${ServiceMetrics} service=${r.service} />
  </section>`;
}
