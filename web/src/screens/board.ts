/**
 * Pipelines: the board of one (deals by stage, totals per currency, the static and historical
 * forecasts), deals moved by drag and drop (SortableJS) or by their stage select (the keyboard way),
 * each move shown at once and put back with a message if the API refuses it; a move to a won or lost
 * stage first asks why (the reason dialog; Cancel puts the deal back, saved with the move in one
 * request); a card opens the deal panel; new deals; the stage editor; new pipelines.
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import Sortable from 'sortablejs';
import { ApiError, api, type Page } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, money, useAction, useLoad } from '../ui.js';
import { DealCard } from './board-card.js';
import { type Forecast, ForecastSummary, StageForecast, StageHistory } from './board-forecast.js';
import { StageEditor } from './board-stages.js';
import { NewDeal } from './deal-new.js';
import { DealPanel } from './deal-panel.js';
import { type Board, type Deal, type Pipeline, stageKindIn, useUsers } from './deal-parts.js';
import { type ClosedKind, ReasonDialog } from './deal-reason.js';

const totals = (t: Board['totals']) =>
  t.length
    ? t.map((x) => `${money(x.amount, x.currency)} (forecast ${money(x.weighted, x.currency)})`).join(' · ')
    : '—';

export function PipelinesScreen({ id }: { id?: string }) {
  // Loaded again on another pipeline's address: one created meanwhile (elsewhere) joins the tabs.
  const list = useLoad(() => api<Page<Pipeline>>('GET', '/v1/pipelines?limit=50'), [id]);
  const current = id ?? list.data?.items[0]?.id;
  return html`<section class="board-screen" aria-labelledby="pipelines-title">
    <h1 id="pipelines-title">Pipeline board</h1>
    <${ErrorBox} error=${list.error} onRetry=${list.reload} />
    ${
      list.data?.items.length
        ? html`<nav aria-label="Pipelines" class="tabs">
            ${list.data.items.map((p) => html`<a href=${`#/pipelines/${p.id}`} aria-current=${p.id === current ? 'page' : undefined}>${p.name}</a>`)}
          </nav>`
        : list.loading
          ? html`<${Loading} />`
          : list.data
            ? html`<${Empty}>No pipelines yet: create one below.</${Empty}>`
            : null
    }
    ${current ? html`<${BoardView} key=${current} id=${current} onPipelineSaved=${list.reload} />` : null}
    <${NewPipeline} onCreated=${list.reload} />
  </section>`;
}

/**
 * The board with `deal` in its stage, as shown before the API answers: at its place in the column's
 * order (the API's: by id, i.e. creation), so the board read again after a move does not reorder the
 * column — moving the card's element in the DOM would take the focus off its stage select.
 */
function withDeal(board: Board, deal: Deal): Board {
  return {
    ...board,
    stages: board.stages.map((s) => {
      const deals = s.deals.filter((d) => d.id !== deal.id);
      if (s.name === deal.stage) {
        const at = deals.findIndex((d) => d.id > deal.id);
        deals.splice(at === -1 ? deals.length : at, 0, deal);
      }
      return { ...s, deals, count: deals.length };
    }),
  };
}

const findDeal = (board: Board | undefined, id: string) =>
  board?.stages.flatMap((s) => s.deals).find((d) => d.id === id);

function BoardView({ id, onPipelineSaved }: { id: string; onPipelineSaved: () => void }) {
  const board = useLoad(() => api<Board>('GET', `/v1/pipelines/${id}/board`), [id]);
  const users = useUsers();
  const forecast = useLoad(() => api<Forecast>('GET', `/v1/pipelines/${id}/forecast`), [id]);
  const [view, setView] = useState<Board>();
  const viewRef = useRef(view);
  viewRef.current = view;
  useEffect(() => {
    if (board.data) setView(board.data);
  }, [board.data]);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const [openId, setOpenId] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState<string>();
  /** A move to a won or lost stage waiting for its reason (the board as it was before it). */
  const [asking, setAsking] = useState<{ deal: Deal; stage: string; kind: ClosedKind; before: Board }>();
  // After a move, the focus goes to the moved deal's stage select, in its new column.
  const focusAfter = useRef<string>();
  useEffect(() => {
    if (!focusAfter.current) return;
    const select = document.getElementById(`move-${focusAfter.current}`);
    if (select) {
      select.focus();
      focusAfter.current = undefined;
    }
  });
  const reload = () => {
    board.reload();
    forecast.reload();
  };

  const move = async (dealId: string, stage: string) => {
    const before = viewRef.current;
    const deal = findDeal(before, dealId);
    if (!before || !deal || deal.stage === stage || moving) return;
    setMoving(dealId);
    setView((v) => v && withDeal(v, { ...deal, stage }));
    const kind = stageKindIn(before.pipeline, stage);
    // Won or lost: shown there while the dialog asks why; saved (or put back) once it is answered.
    // (The focus moves once the dialog is closed: the board behind it is inert.)
    if (kind !== 'open') setAsking({ deal, stage, kind, before });
    else {
      focusAfter.current = dealId;
      await save(deal, stage, {});
    }
  };
  const answered = (reason: string | undefined) => {
    if (!asking) return;
    focusAfter.current = asking.deal.id;
    setAsking(undefined);
    void save(asking.deal, asking.stage, reason ? { [`${asking.kind}Reason`]: reason } : {});
  };
  const cancelled = () => {
    if (!asking) return;
    const { deal, before } = asking;
    setAsking(undefined);
    setMoving(undefined);
    focusAfter.current = deal.id;
    setView(before);
    setMessage({ error: false, text: `Not moved: “${deal.title}” stays in ${deal.stage}.` });
  };
  /** The move (with its reason), in one request; refused, the deal goes back where it was. */
  const save = async (deal: Deal, stage: string, reason: Record<string, string>) => {
    const dealId = deal.id;
    try {
      const saved = await api<Deal>('PATCH', `/v1/deals/${dealId}`, {
        version: deal.version,
        stage,
        ...reason,
      });
      setMessage({ error: false, text: `Moved “${deal.title}” to ${stage}.` });
      setView((v) => v && withDeal(v, saved));
      reload();
    } catch (err) {
      focusAfter.current = dealId;
      setView((v) => v && withDeal(v, deal));
      const why =
        err instanceof ApiError && err.status === 409
          ? 'someone changed it meanwhile (the board is reloaded: try again)'
          : err instanceof Error
            ? err.message
            : String(err);
      setMessage({
        error: true,
        text: `Could not move “${deal.title}” to ${stage}: ${why}. It is back in ${deal.stage}.`,
      });
      if (err instanceof ApiError && err.status === 409) reload();
    } finally {
      setMoving(undefined);
    }
  };
  const moveRef = useRef(move);
  moveRef.current = move;

  // Each column a SortableJS list; a drop is put back in the DOM at once (Preact draws the move).
  const columns = useRef<HTMLDivElement>(null);
  const stageKey = view?.stages.map((s) => s.name).join('\u0000');
  useEffect(() => {
    const root = columns.current;
    if (!root) return;
    const sortables = [...root.querySelectorAll<HTMLElement>('ul.deal-drop')].map((list) =>
      Sortable.create(list, {
        group: 'deals',
        draggable: '.deal',
        filter: 'select, button, a, input, label',
        preventOnFilter: false,
        forceFallback: true,
        fallbackTolerance: 4,
        animation: 120,
        ghostClass: 'deal-ghost',
        chosenClass: 'deal-chosen',
        onEnd: (evt) => {
          const { item, from, to, oldIndex } = evt;
          to.removeChild(item);
          from.insertBefore(item, from.children[oldIndex ?? 0] ?? null);
          const dealId = item.dataset.id;
          const stage = to.dataset.stage;
          if (dealId && stage && from !== to) void moveRef.current(dealId, stage);
        },
      }),
    );
    return () => {
      for (const s of sortables) s.destroy();
    };
  }, [stageKey]);

  if (!view) {
    if (board.loading || board.data) return html`<${Loading} what="Loading the board" />`;
    return html`<${ErrorBox} error=${board.error} onRetry=${board.reload} />`;
  }
  const b = view;
  const f = forecast.data;
  const open = openId ? findDeal(b, openId) : undefined;
  return html`<div>
    <div class="board-toolbar">
      <button type="button" class="secondary" aria-expanded=${editing} onClick=${() => setEditing(!editing)}>${editing ? 'Close the stage editor' : 'Edit stages'}</button>
      <a href="#/deals">Deal list</a>
    </div>
    ${
      editing
        ? html`<${StageEditor} pipeline=${b.pipeline} board=${b} onSaved=${() => {
            setEditing(false);
            setMessage({ error: false, text: 'Stages saved.' });
            reload();
            onPipelineSaved();
          }} />`
        : null
    }
    <p><strong>Total:</strong> ${totals(b.totals)}</p>
    <${ForecastSummary} forecast=${forecast} />
    <${ErrorBox} error=${board.error} onRetry=${reload} />
    <div role=${message?.error ? 'alert' : 'status'} aria-live=${message?.error ? 'assertive' : 'polite'} class=${message?.error ? 'error' : 'muted'}>${message?.text ?? ''}</div>
    <p class="muted" id="board-help">Drag a card to another stage, or choose its stage in its Stage list.</p>
    <div class="board" ref=${columns} role="region" aria-label="Stages" aria-describedby="board-help" tabindex="0">
      ${b.stages.map(
        (s, i) => html`<section class="column" aria-labelledby=${`stage-${i}`}>
          <h2 id=${`stage-${i}`}>${s.name} <span class="muted">${Math.round(s.probability * 100)}% · ${s.deals.length}</span></h2>
          ${f ? html`<${StageHistory} stage=${f.stages.find((x) => x.name === s.name)} minHistory=${f.minHistory} />` : null}
          <p class="muted">${totals(s.totals)}</p>
          ${f ? html`<${StageForecast} stage=${f.stages.find((x) => x.name === s.name)} />` : null}
          ${s.deals.length === 0 ? html`<p class="empty">No deals.</p>` : null}
          <ul class="deal-drop" data-stage=${s.name} aria-label=${`Deals in ${s.name}`}>${s.deals.map(
            (d) =>
              html`<${DealCard} key=${d.id} deal=${d} pipeline=${b.pipeline} contacts=${b.contacts} users=${users.data?.items} forecast=${f}
                busy=${moving === d.id} onOpen=${(x: Deal) => setOpenId(x.id)} onMove=${(x: Deal, to: string) => move(x.id, to)} />`,
          )}</ul>
        </section>`,
      )}
    </div>
    ${
      asking
        ? html`<${ReasonDialog} key=${asking.deal.id} title=${asking.deal.title} stage=${asking.stage} kind=${asking.kind}
            onConfirm=${answered} onCancel=${cancelled} />`
        : null
    }
    ${
      open
        ? html`<${DealPanel} key=${open.id} deal=${open} pipeline=${b.pipeline} contacts=${b.contacts} users=${users.data?.items}
            onClose=${() => setOpenId(undefined)}
            onChanged=${(saved: Deal | undefined) => {
              if (!saved) setMessage({ error: false, text: `Deleted “${open.title}”.` });
              reload();
            }} />`
        : null
    }
    <${NewDeal} pipeline=${b.pipeline} users=${users.data?.items} onCreated=${reload} />
  </div>`;
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
