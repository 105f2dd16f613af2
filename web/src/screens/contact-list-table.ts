/**
 * The contacts table: a box per row for bulk actions, the email (a link to the contact), then the
 * columns chosen, custom fields shown by their type. The Created header sorts (a button, its order in
 * `aria-sort`) where the list has an order to choose; the Name header too, for every contact.
 */
import type { Contact, LifecycleStage, StandingSummary } from '../api.js';
import type { components } from '../api-types.js';
import { fieldCell } from '../list-columns-control.js';
import { html, link, when } from '../ui.js';
import { ownerName, type User } from '../user-picker.js';
import { type ColumnDef, FIELD_PREFIX, type FieldDefinition, type Sort } from './contact-list-state.js';
import { likelihoodText } from './contact-prediction.js';

type ContactLikelihood = components['schemas']['ContactLikelihood'];
type Band = ContactLikelihood['band'];
const BAND_WORD: Record<Band, string> = { high: 'high', medium: 'medium', low: 'low' };

export interface RowData {
  standingOf: (id: string) => StandingSummary | undefined;
  standingsLoaded: boolean;
  likelihoodOf: (id: string) => ContactLikelihood | undefined;
  likelihoodsLoaded: boolean;
  stages: Record<LifecycleStage, string>;
  fields: FieldDefinition[];
  users: User[] | undefined;
}

/** "72% high", with when it was scored as a tooltip; "—" for a contact never scored, "…" while loading. */
function likelihoodCell(l: ContactLikelihood | undefined, loaded: boolean) {
  if (!l)
    return loaded
      ? html`<span title="Not scored yet: the daily training scores every contact">—</span>`
      : '…';
  return html`<span title=${`Scored ${when(l.scoredAt)}`}>${likelihoodText(l.likelihood)} <span class=${`band is-${l.band}`}>${BAND_WORD[l.band]}</span></span>`;
}

function cell(column: string, c: Contact, d: RowData) {
  switch (column) {
    case 'name':
      return [c.firstName, c.lastName].filter(Boolean).join(' ');
    case 'company':
      return c.company ?? '';
    case 'phone':
      return c.phone ?? '';
    case 'owner':
      return c.owner ? ownerName(d.users, c.owner) : '';
    case 'source':
      return c.source ?? '';
    case 'tags':
      return c.tags.map((t) => html`<span class="tag">${t}</span>`);
    case 'score':
      return d.standingOf(c.id)?.score ?? (d.standingsLoaded ? 0 : '…');
    case 'stage':
      return d.stages[d.standingOf(c.id)?.stage as LifecycleStage] ?? (d.standingsLoaded ? '—' : '…');
    case 'likelihood':
      return likelihoodCell(d.likelihoodOf(c.id), d.likelihoodsLoaded);
    case 'created':
      return when(c.createdAt);
    case 'updated':
      return when(c.updatedAt);
    default:
      // A custom field, as its type reads.
      return fieldCell(column, d.fields, c.fields);
  }
}

/** The sortable headers: the order chosen first, the other, which is ascending, and their words. */
const HEADER_ORDERS: Record<
  'created' | 'name',
  { first: Sort; other: Sort; ascending: Sort; offer: string }
> = {
  created: { first: '-created', other: 'created', ascending: 'created', offer: 'Show the newest first' },
  name: { first: 'name', other: '-name', ascending: 'name', offer: 'Sort by name, A to Z' },
};
const ORDER_WORDS: Partial<Record<Sort, string>> = {
  '-created': 'newest first',
  created: 'oldest first',
  name: 'A to Z',
  '-name': 'Z to A',
};
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A sortable header's state: its order in `aria-sort` when the list is in it (none otherwise), and the
 * order its button chooses (Created: newest first, then oldest; Name: A→Z, then Z→A).
 */
function headerOrder(column: string, sort: Sort, byName: boolean) {
  const o =
    column === 'created'
      ? HEADER_ORDERS.created
      : column === 'name' && byName
        ? HEADER_ORDERS.name
        : undefined;
  if (!o) return undefined;
  const on = sort === o.first || sort === o.other;
  const next = sort === o.first ? o.other : o.first;
  const up = sort === o.ascending;
  return {
    ariaSort: on ? (up ? 'ascending' : 'descending') : undefined,
    next,
    arrow: on ? (up ? ' ▲' : ' ▼') : '',
    title: on ? `${capital(ORDER_WORDS[sort] ?? '')}: show ${ORDER_WORDS[next] ?? ''}` : o.offer,
  };
}

export function ContactsTable({
  items,
  columns,
  defs,
  data,
  selected,
  onToggle,
  onTogglePage,
  sort,
  byName = false,
  onSort,
}: {
  items: Contact[];
  columns: string[];
  defs: ColumnDef[];
  data: RowData;
  selected: string[];
  onToggle: (id: string, on: boolean) => void;
  onTogglePage: (on: boolean) => void;
  /** The order chosen, when the list has one to choose. */
  sort?: Sort | undefined;
  /** Whether the list can also be sorted by name (every contact). */
  byName?: boolean;
  onSort: (sort: Sort) => void;
}) {
  const onPage = items.filter((c) => selected.includes(c.id)).length;
  const defOf = (id: string): ColumnDef =>
    defs.find((d) => d.id === id) ?? { id, label: id.slice(FIELD_PREFIX.length) };
  const header = (col: ColumnDef) => {
    const cls = [col.num ? 'num' : '', col.cls ?? ''].filter(Boolean).join(' ') || undefined;
    const order = sort ? headerOrder(col.id, sort, byName) : undefined;
    if (!order) return html`<th scope="col" class=${cls}>${col.label}</th>`;
    return html`<th scope="col" class=${cls} aria-sort=${order.ariaSort}>
      <button type="button" class="sort-button" onClick=${() => onSort(order.next)} title=${order.title}>
        ${col.label}<span class="sort-arrow" aria-hidden="true">${order.arrow}</span>
      </button></th>`;
  };
  return html`<div class="table-scroll"><table class="contacts-table">
    <caption class="sr-only">Contacts</caption>
    <thead><tr>
      <th scope="col" class="select">
        <input type="checkbox" id="select-page" aria-label="Select all contacts on this page"
          checked=${onPage > 0 && onPage === items.length}
          indeterminate=${onPage > 0 && onPage < items.length}
          onChange=${(e: Event) => onTogglePage((e.target as HTMLInputElement).checked)} />
      </th>
      <th scope="col">Email</th>
      ${columns.map((id) => header(defOf(id)))}
    </tr></thead>
    <tbody>
      ${items.map(
        (c) => html`<tr key=${c.id} class=${selected.includes(c.id) ? 'selected' : undefined}>
          <td class="select">
            <input type="checkbox" aria-label=${`Select ${c.email}`} checked=${selected.includes(c.id)}
              onChange=${(e: Event) => onToggle(c.id, (e.target as HTMLInputElement).checked)} />
          </td>
          <td class="email"><a href=${link(`/contacts/${c.id}`)}>${c.email}</a></td>
          ${columns.map((id) => {
            const col = defOf(id);
            const cls = [col.num ? 'num' : '', col.cls ?? ''].filter(Boolean).join(' ') || undefined;
            return html`<td class=${cls}>${cell(id, c, data)}</td>`;
          })}
        </tr>`,
      )}
    </tbody>
  </table></div>`;
}
