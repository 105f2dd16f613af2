/** What the board, the deal panel and the deal list share: stage kinds, a deal's facts, its contact. */
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { ContactPicker, type SearchResult } from '../pickers.js';
import { html, money, useLoad } from '../ui.js';

export type Deal = components['schemas']['Deal'];
export type Pipeline = components['schemas']['Pipeline'];
export type Board = components['schemas']['Board'];
export type DealContact = components['schemas']['DealContact'];
export type DealList = components['schemas']['DealList'];
export type StageKind = 'open' | 'won' | 'lost';
export type User = components['schemas']['User'];

/** The users who may own deals (GET /v1/users). */
export const useUsers = () => useLoad(() => api<{ items: User[] }>('GET', '/v1/users'), []);

/** An owner's name (an owner saved before owners were users is shown as it was written). */
export const ownerName = (users: User[] | undefined, owner: string | undefined) =>
  owner ? (users?.find((u) => u.id === owner)?.name ?? owner) : '—';

/** Chooses a deal's owner among the users (or none). */
export function OwnerSelect({
  id,
  value,
  users,
  onChange,
}: {
  id: string;
  value: string;
  users: User[] | undefined;
  onChange: (owner: string) => void;
}) {
  const known = !value || users?.some((u) => u.id === value);
  return html`<div class="field">
    <label for=${id}>Owner</label>
    <select id=${id} value=${value} onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="">No owner</option>
      ${known ? null : html`<option value=${value}>${value}</option>`}
      ${(users ?? []).map((u) => html`<option value=${u.id}>${u.name}</option>`)}
    </select>
  </div>`;
}

/** As the API decides it: won at probability 1, lost at 0, open in between. */
export const kindOf = (probability: number): StageKind =>
  probability >= 1 ? 'won' : probability <= 0 ? 'lost' : 'open';

export const stageKindIn = (pipeline: Pipeline, stage: string): StageKind =>
  kindOf(pipeline.stages.find((s) => s.name === stage)?.probability ?? 0.5);

/** The first stage of a kind (where Won, Lost and Reopen put a deal). */
export const firstStageOf = (pipeline: Pipeline, kind: StageKind) =>
  pipeline.stages.find((s) => kindOf(s.probability) === kind)?.name;

const DAY_MS = 86_400_000;
export function daysInStage(deal: Deal, now = Date.now()) {
  if (!deal.stageEnteredAt) return undefined;
  return Math.max(0, Math.floor((now - Date.parse(deal.stageEnteredAt)) / DAY_MS));
}

export const shortDate = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });

export const contactLabel = (c: DealContact) => c.name || c.email;

/** A search result (a contact chosen in the picker) as a deal's contact. */
export const dealContactOf = (r: SearchResult): DealContact => ({
  id: r.id,
  email: r.email ?? '',
  ...(r.name ? { name: r.name } : {}),
});

/**
 * A deal's contact in a form: the chosen one (its name, a Remove button), or the contact picker
 * (search by name, company or email). The focus follows: to Remove once chosen, back to the search
 * once removed.
 */
export function ContactChoice({
  id,
  contact,
  hint,
  onChange,
}: {
  id: string;
  /** The chosen contact (undefined: none). */
  contact: DealContact | undefined;
  hint: string;
  onChange: (contact: DealContact | undefined) => void;
}) {
  const search = useRef<HTMLInputElement | null>(null);
  const remove = useRef<HTMLButtonElement>(null);
  const moved = useRef<'chosen' | 'removed' | undefined>(undefined);
  useEffect(() => {
    if (moved.current === 'chosen') remove.current?.focus();
    else if (moved.current === 'removed') search.current?.focus();
    moved.current = undefined;
  }, [contact?.id]);
  if (!contact)
    return html`<${ContactPicker} id=${id} label="Contact" hint=${hint} inputRef=${search}
      onChoose=${(r: SearchResult) => {
        moved.current = 'chosen';
        onChange(dealContactOf(r));
      }} />`;
  const label = contactLabel(contact);
  return html`<p>
    <strong>Contact:</strong> <a href=${`#/contacts/${contact.id}`}>${label}</a>${contact.name && contact.email ? html` <span class="muted">${contact.email}</span>` : null}${' '}
    <button type="button" class="link" ref=${remove} onClick=${() => {
      moved.current = 'removed';
      onChange(undefined);
    }}>Remove<span class="sr-only"> contact ${label}</span></button>
  </p>`;
}

/** A deal's contact as a link to its page (or nothing). */
export function ContactLink({ deal, contacts }: { deal: Deal; contacts: DealContact[] }) {
  if (!deal.contactId) return null;
  const c = contacts.find((x) => x.id === deal.contactId);
  return html`<a href=${`#/contacts/${deal.contactId}`}>${c ? contactLabel(c) : 'Contact'}</a>`;
}

/** Owner, close date, contact and days in stage, as a description list. */
export function DealFacts({
  deal,
  contacts,
  users,
}: {
  deal: Deal;
  contacts: DealContact[];
  users: User[] | undefined;
}) {
  const days = daysInStage(deal);
  return html`<dl class="deal-facts">
    <div><dt>Amount</dt><dd>${money(deal.amount, deal.currency)}</dd></div>
    <div><dt>Owner</dt><dd>${ownerName(users, deal.owner)}</dd></div>
    <div><dt>Close</dt><dd>${deal.closeDate ? shortDate(deal.closeDate) : '—'}</dd></div>
    ${deal.contactId ? html`<div><dt>Contact</dt><dd><${ContactLink} deal=${deal} contacts=${contacts} /></dd></div>` : null}
    ${days === undefined ? null : html`<div><dt>In stage</dt><dd>${days === 1 ? '1 day' : `${days} days`}</dd></div>`}
  </dl>`;
}

/** Totals per currency (never added across currencies). */
export const perCurrency = (totals: Array<{ currency: string; amount: number }>) =>
  totals.length ? totals.map((t) => money(t.amount, t.currency)).join(' · ') : '—';
