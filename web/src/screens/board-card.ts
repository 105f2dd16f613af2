/** A deal's card on the board: its facts, why it was won or lost, its forecast, the panel link and the stage select (the keyboard way to move it). */
import { html } from '../ui.js';
import { DealOutlook, type Forecast } from './board-forecast.js';
import { type Deal, type DealContact, DealFacts, type Pipeline, type User } from './deal-parts.js';
import { DealReason } from './deal-reason.js';

export function DealCard({
  deal,
  pipeline,
  contacts,
  users,
  forecast,
  busy,
  onOpen,
  onMove,
}: {
  deal: Deal;
  pipeline: Pipeline;
  contacts: DealContact[];
  users: User[] | undefined;
  forecast: Forecast | undefined;
  busy: boolean;
  onOpen: (deal: Deal) => void;
  onMove: (deal: Deal, stage: string) => void;
}) {
  return html`<li class="deal" data-id=${deal.id}><article aria-labelledby=${`deal-${deal.id}`}>
    <h3><button type="button" id=${`deal-${deal.id}`} class="link deal-open" onClick=${() => onOpen(deal)}>${deal.title}</button></h3>
    <${DealFacts} deal=${deal} contacts=${contacts} users=${users} />
    <${DealReason} deal=${deal} />
    ${forecast ? html`<${DealOutlook} deal=${forecast.deals.find((x) => x.dealId === deal.id)} />` : null}
    <label for=${`move-${deal.id}`}>Stage <span class="sr-only">of ${deal.title}</span></label>
    <select id=${`move-${deal.id}`} value=${deal.stage} aria-busy=${busy ? 'true' : undefined}
      onChange=${(e: Event) => onMove(deal, (e.target as HTMLSelectElement).value)}>
      ${pipeline.stages.map((x) => html`<option value=${x.name}>${x.name}</option>`)}
    </select>
  </article></li>`;
}
