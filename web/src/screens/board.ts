/**
 * Pipelines: create one, and its board (deals by stage, totals, forecast); move a deal with a select.
 * Beside the static forecast, the historical one (board-forecast.ts), loaded on its own.
 */
import { useState } from 'preact/hooks';
import { api, type Board, type Deal, type MoneyTotal, type Page, type Pipeline } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, money, useAction, useLoad } from '../ui.js';
import {
  DealOutlook,
  type Forecast,
  ForecastSummary,
  StageForecast,
  StageHistory,
} from './board-forecast.js';

const totals = (t: MoneyTotal[]) =>
  t.length
    ? t.map((x) => `${money(x.amount, x.currency)} (forecast ${money(x.weighted, x.currency)})`).join(' · ')
    : '—';

export function PipelinesScreen({ id }: { id?: string }) {
  // Loaded again on another pipeline's address: one created meanwhile (elsewhere) joins the tabs.
  const list = useLoad(() => api<Page<Pipeline>>('GET', '/v1/pipelines?limit=50'), [id]);
  const current = id ?? list.data?.items[0]?.id;
  return html`<section aria-labelledby="pipelines-title">
    <h1 id="pipelines-title">Pipeline board</h1>
    <${ErrorBox} error=${list.error} />
    ${
      list.data?.items.length
        ? html`<nav aria-label="Pipelines" class="tabs">
            ${list.data.items.map((p) => html`<a href=${`#/pipelines/${p.id}`} aria-current=${p.id === current ? 'page' : undefined}>${p.name}</a>`)}
          </nav>`
        : list.loading
          ? html`<${Loading} />`
          : html`<${Empty}>No pipelines yet.</${Empty}>`
    }
    ${current ? html`<${BoardView} key=${current} id=${current} />` : null}
    <${NewPipeline} onCreated=${list.reload} />
  </section>`;
}

function BoardView({ id }: { id: string }) {
  const board = useLoad(() => api<Board>('GET', `/v1/pipelines/${id}/board`), [id]);
  const forecast = useLoad(() => api<Forecast>('GET', `/v1/pipelines/${id}/forecast`), [id]);
  const action = useAction();
  const reload = () => {
    board.reload();
    forecast.reload();
  };
  const move = async (deal: Deal, stage: string) => {
    if (await action.run(() => api('PATCH', `/v1/deals/${deal.id}`, { version: deal.version, stage })))
      reload();
  };
  if (board.loading && !board.data) return html`<${Loading} what="Loading the board" />`;
  if (!board.data) return html`<${ErrorBox} error=${board.error} onRetry=${board.reload} />`;
  const b = board.data;
  const f = forecast.data;
  return html`<div>
    <p><strong>Total:</strong> ${totals(b.totals)}</p>
    <${ForecastSummary} forecast=${forecast} />
    <${ErrorBox} error=${action.error} />
    <div class="board">
      ${b.stages.map(
        (s) => html`<section class="column" aria-labelledby=${`stage-${s.name}`}>
          <h2 id=${`stage-${s.name}`}>${s.name} <span class="muted">${Math.round(s.probability * 100)}% static · ${s.count}</span></h2>
          ${f ? html`<${StageHistory} stage=${f.stages.find((x) => x.name === s.name)} minHistory=${f.minHistory} />` : null}
          <p class="muted">${totals(s.totals)}</p>
          ${f ? html`<${StageForecast} stage=${f.stages.find((x) => x.name === s.name)} />` : null}
          ${s.deals.length === 0 ? html`<${Empty}>No deals.</${Empty}>` : null}
          ${s.deals.map(
            (d) => html`<article class="deal">
              <h3>${d.title}</h3>
              <p>${money(d.amount, d.currency)}</p>
              ${f ? html`<${DealOutlook} deal=${f.deals.find((x) => x.dealId === d.id)} />` : null}
              <label for=${`move-${d.id}`}>Stage</label>
              <select id=${`move-${d.id}`} value=${d.stage} onChange=${(e: Event) => move(d, (e.target as HTMLSelectElement).value)}>
                ${b.stages.map((x) => html`<option value=${x.name}>${x.name}</option>`)}
              </select>
            </article>`,
          )}
        </section>`,
      )}
    </div>
    <${NewDeal} pipeline=${b.pipeline} onCreated=${reload} />
  </div>`;
}

function NewDeal({ pipeline, onCreated }: { pipeline: Pipeline; onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      title,
      amount: Number(amount),
      currency,
      pipelineId: pipeline.id,
      stage: pipeline.stages[0]?.name,
    };
    if (await action.run(() => api('POST', '/v1/deals', body))) {
      setTitle('');
      setAmount('');
      onCreated();
    }
  };
  return html`<form class="card inline" onSubmit=${submit} aria-label="New deal">
    <${Field} label="Deal" id="deal-title" required value=${title} onInput=${setTitle} />
    <${Field} label="Amount" id="deal-amount" type="number" required value=${amount} onInput=${setAmount} />
    <${Field} label="Currency" id="deal-currency" required value=${currency} onInput=${setCurrency} />
    <button type="submit" disabled=${action.busy}>Add deal</button>
    <${ErrorBox} error=${action.error} />
  </form>`;
}

function NewPipeline({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [stages, setStages] = useState('Qualified 20, Proposal 50, Won 100, Lost 0');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = stages.split(',').map((s) => {
      const m = /^(.*?)\s+(\d{1,3})%?$/.exec(s.trim());
      return { name: (m?.[1] ?? s).trim(), probability: m ? Number(m[2]) / 100 : 0 };
    });
    if (await action.run(() => api('POST', '/v1/pipelines', { name, stages: parsed }))) {
      setName('');
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-pipeline">
    <h2 id="new-pipeline">New pipeline</h2>
    <${Field} label="Name" id="pipeline-name" required value=${name} onInput=${setName} />
    <${Field} label="Stages" id="pipeline-stages" required value=${stages} onInput=${setStages} hint="Comma-separated, each with its win probability in %." />
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Create pipeline</button>
  </form>`;
}
