/**
 * A company page's Deals card: the deals linked to it by hand and its people's deals (each once), by
 * name with stage and amount, the totals per currency (never added together); Unlink for a linked
 * one; **Link a deal**, a picker over the deal list (`GET /v1/deals`, by pipeline and status, a page
 * at a time, narrowed by words of the title).
 */
import { useState } from 'preact/hooks';
import { api, type Page } from '../api.js';
import type { components } from '../api-types.js';
import { Empty, ErrorBox, html, Loading, money, useAction, useLoad } from '../ui.js';
import { focusLater, personName } from './company-people.js';

type Company = components['schemas']['Company'];
type CompanyView = components['schemas']['CompanyView'];
type Deal = components['schemas']['Deal'];
type Pipeline = components['schemas']['Pipeline'];
type DealList = components['schemas']['DealList'];

const STATUSES = ['open', 'won', 'lost'] as const;

export function CompanyDeals({
  company,
  view,
  onChange,
}: {
  company: Company;
  view: CompanyView;
  onChange: (message: string) => void;
}) {
  const unlink = useAction();
  const [picking, setPicking] = useState(false);
  const { deals, dealTotals, people } = view;
  return html`<div class="card">
    <h2 id="company-deals-title" tabindex="-1">Deals</h2>
    ${
      deals.length === 0
        ? html`<${Empty}>No deals yet: link one below, or add a person who has deals.</${Empty}>`
        : html`<ul class="plain" aria-labelledby="company-deals-title">${deals.map((d) => {
            const who = people.find((p) => p.contactId === d.contactId);
            return html`<li key=${d.id}>
              <a href=${`#/deals/${d.id}`}>${d.title}</a> · ${d.stage} · <strong>${money(d.amount, d.currency)}</strong>
              <br /><small class="muted">${d.linked ? 'linked to the company' : 'through a person'}${who ? ` · with ${personName(who)}` : ''}</small>
              ${
                d.linked
                  ? html` <button type="button" class="link" disabled=${unlink.busy}
                      aria-label=${`Unlink ${d.title} from ${company.name}`}
                      onClick=${async () => {
                        if (
                          await unlink.run(() => api('DELETE', `/v1/companies/${company.id}/deals/${d.id}`))
                        )
                          onChange(`${d.title} unlinked from ${company.name}.`);
                        focusLater('company-deals-title');
                      }}>Unlink</button>`
                  : null
              }
            </li>`;
          })}</ul>`
    }
    ${
      dealTotals.length > 0
        ? html`<p aria-label="Deal totals by currency">${dealTotals.map(
            (t, i) =>
              html`${i > 0 ? ' · ' : ''}<span class="tag">${money(t.amount, t.currency)} in ${t.count} deal${t.count === 1 ? '' : 's'}</span>`,
          )}</p>`
        : null
    }
    <${ErrorBox} error=${unlink.error} />
    ${
      picking
        ? html`<${LinkDeal} company=${company} linked=${new Set(deals.filter((d) => d.linked).map((d) => d.id))}
            onLinked=${(message: string) => {
              setPicking(false);
              onChange(message);
              focusLater('company-link-deal');
            }}
            onCancel=${() => {
              setPicking(false);
              focusLater('company-link-deal');
            }} />`
        : html`<button type="button" id="company-link-deal" onClick=${() => {
            setPicking(true);
            focusLater('link-deal-title');
          }}>Link a deal</button>`
    }
  </div>`;
}

/** Chooses a deal from the deal list: a pipeline and status, a page at a time, words of the title. */
function LinkDeal({
  company,
  linked,
  onLinked,
  onCancel,
}: {
  company: Company;
  linked: Set<string>;
  onLinked: (message: string) => void;
  onCancel: () => void;
}) {
  const pipelines = useLoad(() => api<Page<Pipeline>>('GET', '/v1/pipelines?limit=50'), []);
  const [filter, setFilter] = useState({ pipelineId: '', status: 'open' });
  const [words, setWords] = useState('');
  const [pages, setPages] = useState<Array<string | undefined>>([undefined]);
  const cursor = pages[pages.length - 1];
  const list = useLoad(async () => {
    const q = new URLSearchParams({ limit: '25', status: filter.status });
    if (filter.pipelineId) q.set('pipelineId', filter.pipelineId);
    if (cursor) q.set('cursor', cursor);
    return api<DealList>('GET', `/v1/deals?${q}`);
  }, [filter.pipelineId, filter.status, cursor]);
  const link = useAction();
  const change = (patch: Partial<typeof filter>) => {
    setFilter({ ...filter, ...patch });
    setPages([undefined]);
  };
  const terms = words.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = (list.data?.items ?? []).filter((d: Deal) =>
    terms.every((t) => d.title.toLowerCase().includes(t)),
  );
  const choose = async (d: Deal) => {
    if (await link.run(() => api('PUT', `/v1/companies/${company.id}/deals/${d.id}`)))
      onLinked(`${d.title} linked to ${company.name}.`);
  };
  return html`<div role="group" aria-labelledby="link-deal-title" class="link-deal">
    <h3 id="link-deal-title" tabindex="-1">Link a deal</h3>
    <div class="field">
      <label for="link-deal-pipeline">Pipeline</label>
      <select id="link-deal-pipeline" value=${filter.pipelineId}
        onChange=${(e: Event) => change({ pipelineId: (e.target as HTMLSelectElement).value })}>
        <option value="">All pipelines</option>
        ${(pipelines.data?.items ?? []).map((p) => html`<option value=${p.id}>${p.name}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="link-deal-status">Status</label>
      <select id="link-deal-status" value=${filter.status}
        onChange=${(e: Event) => change({ status: (e.target as HTMLSelectElement).value })}>
        ${STATUSES.map((s) => html`<option value=${s}>${s[0]?.toUpperCase()}${s.slice(1)}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="link-deal-words">Title contains</label>
      <input id="link-deal-words" type="search" value=${words}
        onInput=${(e: Event) => setWords((e.target as HTMLInputElement).value)} />
    </div>
    <${ErrorBox} error=${pipelines.error} onRetry=${pipelines.reload} />
    ${
      list.loading && !list.data
        ? html`<${Loading} what="Loading deals" />`
        : list.error
          ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
          : shown.length === 0
            ? html`<${Empty}>No deal matches on this page${list.data?.nextCursor ? ': try More deals' : ''}.</${Empty}>`
            : html`<ul class="plain" aria-label="Deals to link">${shown.map(
                (d) =>
                  html`<li key=${d.id}>${
                    linked.has(d.id)
                      ? html`${d.title} · ${money(d.amount, d.currency)} <span class="tag">Linked</span>`
                      : html`<button type="button" class="link" disabled=${link.busy} onClick=${() => choose(d)}>
                        Link ${d.title}</button> · ${d.stage} · ${money(d.amount, d.currency)}`
                  }</li>`,
              )}</ul>`
    }
    <${ErrorBox} error=${link.error} />
    <div style="display:flex;gap:0.5rem;flex-wrap:wrap">
      ${pages.length > 1 ? html`<button type="button" class="secondary" onClick=${() => setPages(pages.slice(0, -1))}>Previous deals</button>` : null}
      ${list.data?.nextCursor ? html`<button type="button" class="secondary" onClick=${() => list.data?.nextCursor && setPages([...pages, list.data.nextCursor])}>More deals</button>` : null}
      <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
    </div>
  </div>`;
}
