/**
 * The deal list (#/deals): deals filtered by pipeline, stage, owner and status (GET /v1/deals: one
 * index read per page), paged; a deal opens its panel (#/deals/<id>).
 */
import { useState } from 'preact/hooks';
import { api, type Page } from '../api.js';
import { Empty, ErrorBox, html, Loading, money, Pager, useLoad, usePager } from '../ui.js';
import { DealPanel } from './deal-panel.js';
import {
  ContactLink,
  type Deal,
  type DealList,
  ownerName,
  type Pipeline,
  shortDate,
  type User,
  useUsers,
} from './deal-parts.js';

const STATUSES = ['open', 'won', 'lost'] as const;

export function DealsScreen({ open }: { open?: string | undefined }) {
  const pipelines = useLoad(() => api<Page<Pipeline>>('GET', '/v1/pipelines?limit=50'), []);
  const users = useUsers();
  const [filter, setFilter] = useState({ pipelineId: '', stage: '', owner: '', status: 'open' });
  const pager = usePager();
  const query = () => {
    const q = new URLSearchParams({ limit: '25' });
    if (filter.pipelineId) q.set('pipelineId', filter.pipelineId);
    if (filter.pipelineId && filter.stage) q.set('stage', filter.stage);
    if (filter.owner) q.set('owner', filter.owner);
    if (filter.status) q.set('status', filter.status);
    if (pager.cursor) q.set('cursor', pager.cursor);
    return q.toString();
  };
  const deals = useLoad(
    () => api<DealList>('GET', `/v1/deals?${query()}`),
    [JSON.stringify(filter), pager.cursor],
  );
  const change = (patch: Partial<typeof filter>) => {
    const next = { ...filter, ...patch };
    // Without a pipeline, the list is of one status.
    if (!next.pipelineId) next.status = next.status || 'open';
    if (patch.pipelineId !== undefined) next.stage = '';
    setFilter(next);
    pager.reset();
  };
  const pipelineOf = (id: string) => pipelines.data?.items.find((p) => p.id === id);
  const chosen = pipelineOf(filter.pipelineId);
  const list = deals.data;
  return html`<section class="board-screen" aria-labelledby="deals-title">
    <h1 id="deals-title">Deals</h1>
    <p><a href="#/pipelines">Pipeline board</a></p>
    <form class="card deal-filters" aria-label="Filter deals" onSubmit=${(e: Event) => e.preventDefault()}>
      <div class="field">
        <label for="filter-pipeline">Pipeline</label>
        <select id="filter-pipeline" value=${filter.pipelineId} onChange=${(e: Event) => change({ pipelineId: (e.target as HTMLSelectElement).value })}>
          <option value="">All pipelines</option>
          ${(pipelines.data?.items ?? []).map((p) => html`<option value=${p.id}>${p.name}</option>`)}
        </select>
      </div>
      ${
        chosen
          ? html`<div class="field">
              <label for="filter-stage">Stage</label>
              <select id="filter-stage" value=${filter.stage} onChange=${(e: Event) => change({ stage: (e.target as HTMLSelectElement).value })}>
                <option value="">All stages</option>
                ${chosen.stages.map((s) => html`<option value=${s.name}>${s.name}</option>`)}
              </select>
            </div>`
          : null
      }
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value=${filter.status} onChange=${(e: Event) => change({ status: (e.target as HTMLSelectElement).value })}>
          ${chosen ? html`<option value="">Any</option>` : null}
          ${STATUSES.map((s) => html`<option value=${s}>${s[0]?.toUpperCase()}${s.slice(1)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-owner">Owner</label>
        <select id="filter-owner" value=${filter.owner} onChange=${(e: Event) => change({ owner: (e.target as HTMLSelectElement).value })}>
          <option value="">Anyone</option>
          ${(users.data?.items ?? []).map((u) => html`<option value=${u.id}>${u.name}</option>`)}
        </select>
      </div>
    </form>
    <${ErrorBox} error=${pipelines.error} onRetry=${pipelines.reload} />
    ${
      deals.loading && !list
        ? html`<${Loading} what="Loading deals" />`
        : deals.error
          ? html`<${ErrorBox} error=${deals.error} onRetry=${deals.reload} />`
          : list && list.items.length === 0
            ? html`<${Empty}>No deals match${list.nextCursor ? ' on this page: try the next one' : ''}.</${Empty}>`
            : list
              ? html`<div class="deal-table-wrap"><table>
                  <caption class="sr-only">Deals</caption>
                  <thead><tr><th scope="col">Deal</th><th scope="col">Amount</th><th scope="col">Stage</th><th scope="col">Pipeline</th><th scope="col">Owner</th><th scope="col">Close</th><th scope="col">Contact</th></tr></thead>
                  <tbody>${list.items.map(
                    (d) => html`<tr>
                      <td><a href=${`#/deals/${d.id}`}>${d.title}</a></td>
                      <td>${money(d.amount, d.currency)}</td>
                      <td>${d.stage}${d.lostReason || d.wonReason ? html`<br /><span class="muted">${d.lostReason ?? d.wonReason}</span>` : null}</td>
                      <td>${pipelineOf(d.pipelineId)?.name ?? '—'}</td>
                      <td>${ownerName(users.data?.items, d.owner)}</td>
                      <td>${d.closeDate ? shortDate(d.closeDate) : '—'}</td>
                      <td><${ContactLink} deal=${d} contacts=${list.contacts} /></td>
                    </tr>`,
                  )}</tbody>
                </table></div>`
              : null
    }
    ${list ? html`<${Pager} page=${pager.page} nextCursor=${list.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />` : null}
    ${open ? html`<${OpenDeal} key=${open} id=${open} contacts=${list?.contacts ?? []} users=${users.data?.items} pipelines=${pipelines.data?.items} onChanged=${deals.reload} />` : null}
  </section>`;
}

/** The panel of the deal in the address (#/deals/<id>); closing it goes back to the list. */
function OpenDeal({
  id,
  contacts,
  pipelines,
  users,
  onChanged,
}: {
  id: string;
  users: User[] | undefined;
  contacts: DealList['contacts'];
  pipelines: Pipeline[] | undefined;
  onChanged: () => void;
}) {
  const deal = useLoad(() => api<Deal>('GET', `/v1/deals/${id}`), [id]);
  const pipeline = pipelines?.find((p) => p.id === deal.data?.pipelineId);
  if (deal.error) return html`<${ErrorBox} error=${deal.error} onRetry=${deal.reload} />`;
  if (!deal.data || !pipeline) return html`<${Loading} what="Loading the deal" />`;
  return html`<${DealPanel} deal=${deal.data} pipeline=${pipeline} contacts=${contacts} users=${users}
    onClose=${() => {
      if (window.location.hash !== '#/deals') window.location.hash = '#/deals';
    }}
    onChanged=${onChanged} />`;
}
