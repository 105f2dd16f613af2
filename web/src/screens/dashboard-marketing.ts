/**
 * The dashboard's marketing cards: the lifecycle funnel (contacts in each stage now, and the share
 * of those who reached a stage that went on to a later one) and revenue from deals won in the range
 * by the first and latest marketing touch's source and UTM campaign.
 */
import { api, type Dashboard, type DealAttribution, type Page, type PredictionModelView } from '../api.js';
import { useStageLabels } from '../stage-labels.js';
import { Empty, ErrorBox, html, Loading, link, money, useLoad, when } from '../ui.js';
import { touchAmounts } from './campaigns.js';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

const auc = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The conversion model's quality: its held-out AUC and when it was trained (or why not yet). */
export function ModelCard() {
  const view = useLoad(() => api<PredictionModelView>('GET', '/v1/predictions/model'), []);
  const m = view.data?.model;
  const skipped = view.data?.lastRun?.outcome === 'skipped' ? view.data.lastRun : undefined;
  return html`<div class="card"><h3>Conversion model</h3>
    ${
      view.error
        ? html`<${ErrorBox} error=${view.error} onRetry=${view.reload} />`
        : !view.data
          ? html`<${Loading} what="Loading the conversion model" />`
          : m
            ? html`<p><strong>${auc.format(m.auc)}</strong> held-out AUC (0.5 is chance, 1 is perfect), trained
                <time datetime=${m.trainedAt}>${when(m.trainedAt)}</time> on ${m.trainingSize} contacts.</p>`
            : html`<${Empty}>Not trained yet${
                skipped
                  ? html`: ${(skipped.message ?? '').replace(/\.$/, '')} (the run of <time datetime=${skipped.at}>${when(skipped.at)}</time>; it trains once a day).`
                  : ': it trains once a day.'
              }</${Empty}>`
    }
    <p class="muted">Each contact’s likelihood to convert is on its page; the model is in <a href=${link('/settings')}>Settings</a>.</p>
  </div>`;
}

export function Funnel({ rows }: { rows: Dashboard['funnel'] }) {
  const labels = useStageLabels();
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return html`<div class="card"><h3 id="funnel-title">Lifecycle funnel</h3>
    ${
      total === 0
        ? html`<${Empty}>No contact has a lifecycle stage yet: forms, scores and deals move contacts through the stages.</${Empty}>`
        : html`<div class="table-scroll" role="region" aria-labelledby="funnel-title" tabindex="0">
            <table>
              <thead><tr><th scope="col">Stage</th><th scope="col" class="num">Contacts now</th><th scope="col" class="num">Reached it or later</th></tr></thead>
              <tbody>${rows.map((r, i) => {
                // Contacts in this stage or a later one: stages are only left forward by rules.
                const reached = rows.slice(i).reduce((sum, x) => sum + x.count, 0);
                return html`<tr>
                  <th scope="row">${labels[r.stage]}<span class="funnel-bar" style=${{ width: `${Math.round((reached / total) * 100)}%` }} aria-hidden="true"></span></th>
                  <td class="num">${r.count}</td>
                  <td class="num">${reached} <small>(${percent.format(reached / total)})</small></td>
                </tr>`;
              })}</tbody>
            </table>
          </div>`
    }
  </div>`;
}

type Attributed = { key: string; revenue: Dashboard['revenueBySource'][number]['revenue'] };

function RevenueTable({
  id,
  title,
  what,
  rows,
}: {
  id: string;
  title: string;
  what: string;
  rows: Attributed[];
}) {
  return html`<div class="card"><h3 id=${id}>${title}</h3>
    ${
      rows.length === 0
        ? html`<${Empty}>No deal won in this range.</${Empty}>`
        : html`<div class="table-scroll" role="region" aria-labelledby=${id} tabindex="0">
            <table>
              <thead><tr><th scope="col">${what}</th><th scope="col" class="num">First touch</th><th scope="col" class="num">Last touch</th></tr></thead>
              <tbody>${rows.map(
                (r) => html`<tr>
                  <th scope="row">${r.key}</th>
                  <td class="num">${touchAmounts(r.revenue, 'firstTouch')} <small>(${r.revenue.dealsWon.firstTouch})</small></td>
                  <td class="num">${touchAmounts(r.revenue, 'lastTouch')} <small>(${r.revenue.dealsWon.lastTouch})</small></td>
                </tr>`,
              )}</tbody>
            </table>
          </div>
          <p class="muted">Deals won (in brackets) and their amounts, by the contact’s first and latest touch: the campaign link (UTM) or the other site that brought it to a form or a tracked page; none is “direct”.</p>`
    }
  </div>`;
}

export function SourceRevenue({ report }: { report: Dashboard }) {
  return html`
    <${RevenueTable}
      id="source-revenue-title"
      title="Revenue by source"
      what="Source"
      rows=${report.revenueBySource.map((r) => ({ key: r.source, revenue: r.revenue }))}
    />
    ${
      report.revenueByUtmCampaign.length > 0 &&
      html`<${RevenueTable}
        id="utm-revenue-title"
        title="Revenue by UTM campaign"
        what="Campaign"
        rows=${report.revenueByUtmCampaign.map((r) => ({ key: r.campaign, revenue: r.revenue }))}
      />`
    }`;
}

const touchText = (t: DealAttribution['firstTouch']) =>
  t ? [t.source, t.medium, t.campaign].filter(Boolean).join(' / ') : 'direct';

/** The latest won deals, each with its contact's first and latest touch when it was won. */
export function WonDeals() {
  const won = useLoad(() => api<Page<DealAttribution>>('GET', '/v1/reports/won-deals?limit=10'), []);
  return html`<div class="card wide"><h3 id="won-deals-title">Latest deals won, by touch</h3>
    ${
      won.error
        ? html`<${ErrorBox} error=${won.error} onRetry=${won.reload} />`
        : !won.data
          ? html`<${Loading} what="Loading the deals won" />`
          : won.data.items.length === 0
            ? html`<${Empty}>No deal won yet.</${Empty}>`
            : html`<div class="table-scroll" role="region" aria-labelledby="won-deals-title" tabindex="0">
                <table>
                  <thead><tr><th scope="col">Deal</th><th scope="col" class="num">Amount</th><th scope="col">Won</th><th scope="col">First touch</th><th scope="col">Latest touch</th></tr></thead>
                  <tbody>${won.data.items.map(
                    (d) => html`<tr>
                      <th scope="row"><a href=${link(`/contacts/${d.contactId}`)}>${d.title}</a></th>
                      <td class="num">${money(d.amount, d.currency)}</td>
                      <td><time datetime=${d.wonAt}>${when(d.wonAt)}</time></td>
                      <td>${touchText(d.firstTouch)}</td>
                      <td>${touchText(d.lastTouch)}</td>
                    </tr>`,
                  )}</tbody>
                </table>
              </div>`
    }
  </div>`;
}
