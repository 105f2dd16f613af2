/**
 * One lead scoring rule in the Settings form (scoring-settings.ts): its name, the signal it gives
 * points for, the signal's filter (a form, an email, a booking page picked from their lists; a tag, a
 * purchase source, a page pattern or an event name typed; "any" for none), its points and how many
 * times at most per contact.
 */
import type { ComponentChildren } from 'preact';
import { api, type Page, query, type ScoringRule, type ScoringSignal } from '../api.js';
import { html, useLoad } from '../ui.js';

/** What each signal is called, in the order they are offered. */
export const SIGNALS: Record<ScoringSignal, string> = {
  email_opened: 'Opens an email',
  email_clicked: 'Clicks a link in an email',
  form_submitted: 'Submits a form',
  tag_added: 'Gets a tag',
  appointment_booked: 'Books a meeting',
  purchase_made: 'Makes a purchase',
  deal_created: 'Gets a new deal',
  page_visited: 'Visits a page',
  event_tracked: 'Triggers a tracked event',
};
const SIGNAL_ORDER = Object.keys(SIGNALS) as ScoringSignal[];

/** The lists a filter is picked from (loaded once for the whole form); other filters are typed. */
const LISTED = ['templates', 'forms', 'pages'] as const;
type Listed = (typeof LISTED)[number];
type Filter = Listed | 'tag' | 'source' | 'page' | 'event';
const isListed = (kind: Filter): kind is Listed => (LISTED as readonly string[]).includes(kind);

/** The filter each signal takes (server: SIGNAL_FILTERS in functions/scoring/model.ts); none for a new deal. */
const FILTERS: Record<ScoringSignal, Filter | undefined> = {
  email_opened: 'templates',
  email_clicked: 'templates',
  form_submitted: 'forms',
  tag_added: 'tag',
  appointment_booked: 'pages',
  purchase_made: 'source',
  deal_created: undefined,
  page_visited: 'page',
  event_tracked: 'event',
};

/** The filter's label, its "any" choice, and (typed ones) a hint. */
const FILTER_TEXT: Record<Filter, { label: string; any: string; one?: string; hint?: string }> = {
  templates: { label: 'Which email', any: 'Any email', one: 'Email' },
  forms: { label: 'Which form', any: 'Any form', one: 'Form' },
  pages: { label: 'Which booking page', any: 'Any booking page', one: 'Booking page' },
  tag: { label: 'Which tag', any: 'Any tag', hint: 'Empty: any tag.' },
  source: { label: 'Which purchase source', any: 'Any source', hint: 'Such as shop; empty: any.' },
  page: { label: 'Which pages', any: 'Any page', hint: 'A path; * for anything: /pricing*.' },
  event: { label: 'Which event', any: 'Any event', hint: 'Its name, such as signed_up.' },
};

/** A rule being edited: `id` once saved (it never changes then), the numbers as typed. */
export interface Row {
  key: number;
  id?: string | undefined;
  name: string;
  on: ScoringSignal;
  filter: string;
  points: string;
  limit: string;
}

export const rowOf = (rule: ScoringRule, key: number): Row => ({
  key,
  id: rule.id,
  name: rule.name,
  on: rule.on,
  filter: rule.filter ?? '',
  points: String(rule.points),
  limit: rule.limit === undefined ? '' : String(rule.limit),
});

/** An id from a name, unique among `taken`: "Opened an email" → opened-an-email (then -2, -3…). */
export function uniqueId(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 36)
      .replace(/-+$/, '') || 'rule';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** A number as typed; empty is sent as null, for the API to say it is missing at its field. */
export const numberOf = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * The rule as the API takes it: a tag as contacts' tags are kept (lower case, single spaces), a
 * source in lower case, a page pattern or event name trimmed (an event's name keeps its case).
 */
export function ruleOf(row: Row, id: string) {
  const kind = FILTERS[row.on];
  const typed = row.filter.trim();
  const filter =
    kind === 'tag'
      ? typed.toLowerCase().replace(/\s+/g, ' ')
      : kind === 'source'
        ? typed.toLowerCase()
        : kind
          ? typed
          : '';
  return {
    id,
    name: row.name.trim(),
    on: row.on,
    ...(filter ? { filter } : {}),
    points: numberOf(row.points),
    ...(row.limit.trim() ? { limit: numberOf(row.limit) } : {}),
  };
}

type Named = { id: string; name: string };
export type Choices = Record<Listed, ReturnType<typeof useLoad<Named[]>>>;

/** Every page of a list (at most 1,000 items), for a picker. */
async function all(path: string): Promise<Named[]> {
  const items: Named[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<Named>>('GET', `${path}${query({ limit: 100, cursor })}`);
    items.push(...page.items.map(({ id, name }) => ({ id, name })));
    cursor = page.nextCursor;
  } while (cursor && items.length < 1000);
  return items;
}

export function useChoices(): Choices {
  return {
    templates: useLoad(() => all('/v1/templates'), []),
    forms: useLoad(() => all('/v1/forms'), []),
    pages: useLoad(() => all('/v1/meeting-types'), []),
  };
}

/** What the form says beside a rule's field: `aria` marks it, `beside` is its problem (if any). */
export interface FieldState {
  aria: (field: string, hint?: string) => Record<string, string | undefined>;
  beside: (field: string) => ComponentChildren;
}

const value = (e: Event) => (e.target as HTMLInputElement).value;

export function RuleFields({
  row,
  index,
  choices,
  state,
  onChange,
  onRemove,
}: {
  row: Row;
  index: number;
  choices: Choices;
  state: FieldState;
  onChange: (patch: Partial<Row>) => void;
  onRemove: () => void;
}) {
  const id = (field: string) => `ls-${row.key}-${field}`;
  const title = row.name.trim() ? `“${row.name.trim()}”` : String(index + 1);
  return html`<fieldset class="scoring-rule" id=${id('rule')}>
    <legend>Rule ${index + 1}</legend>
    <div class="ls-row">
      <div class="field ls-name"><label for=${id('name')}>Name</label>
        <input id=${id('name')} maxLength=${100} value=${row.name} autocomplete="off" ...${state.aria('name')}
          onInput=${(e: Event) => onChange({ name: value(e) })} />${state.beside('name')}</div>
      <div class="field ls-on"><label for=${id('on')}>When the contact</label>
        <select id=${id('on')} value=${row.on} ...${state.aria('on')}
          onChange=${(e: Event) => onChange({ on: value(e) as ScoringSignal, filter: '' })}>
          ${SIGNAL_ORDER.map((s) => html`<option key=${s} value=${s}>${SIGNALS[s]}</option>`)}
        </select>${state.beside('on')}</div>
      <${FilterField} row=${row} id=${id('filter')} choices=${choices} state=${state}
        onChange=${(filter: string) => onChange({ filter })} />
      <div class="field ls-points"><label for=${id('points')}>Points</label>
        <input id=${id('points')} type="number" inputmode="numeric" min="-100" max="100" step="1" value=${row.points}
          ...${state.aria('points', POINTS_HINT)} onInput=${(e: Event) => onChange({ points: value(e) })} />
        ${state.beside('points')}</div>
      <div class="field ls-limit"><label for=${id('limit')}>At most (times)</label>
        <input id=${id('limit')} type="number" inputmode="numeric" min="1" max="1000" step="1" value=${row.limit}
          placeholder="Every time" ...${state.aria('limit', LIMIT_HINT)}
          onInput=${(e: Event) => onChange({ limit: value(e) })} />
        ${state.beside('limit')}</div>
      <div class="ls-remove">
        <button type="button" class="secondary danger" id=${id('remove')} aria-label=${`Remove rule ${title}`}
          onClick=${onRemove}>Remove</button>
      </div>
    </div>
    ${state.beside('rule')}
  </fieldset>`;
}

/** The hints every rule's points and limit share (said once, above the rules). */
export const POINTS_HINT = 'ls-points-hint';
export const LIMIT_HINT = 'ls-limit-hint';
export const RuleHints = () =>
  html`<p class="muted ls-hints"><span id=${POINTS_HINT}>Points: −100 to 100, not 0; below 0 takes points away.</span>
    <span id=${LIMIT_HINT}>At most: how many times one contact gets them; empty: every time.</span></p>`;

function FilterField({
  row,
  id,
  choices,
  state,
  onChange,
}: {
  row: Row;
  id: string;
  choices: Choices;
  state: FieldState;
  onChange: (filter: string) => void;
}) {
  const kind = FILTERS[row.on];
  if (!kind)
    return html`<div class="field ls-filter"><span class="ls-label">Which deal</span>
      <span class="muted ls-none">Any new deal</span>${state.beside('filter')}</div>`;
  const text = FILTER_TEXT[kind];
  if (!isListed(kind))
    return html`<div class="field ls-filter"><label for=${id}>${text.label}</label>
      <input id=${id} maxLength=${200} value=${row.filter} placeholder=${text.any} autocomplete="off"
        spellcheck=${false} ...${state.aria('filter', `${id}-hint`)} onInput=${(e: Event) => onChange(value(e))} />
      <small id=${`${id}-hint`} class="muted">${text.hint}</small>${state.beside('filter')}</div>`;
  const list = choices[kind];
  const items = list.data ?? [];
  // A filter saved for something not listed (deleted, or still loading) stays chosen, named by its id.
  const missing = row.filter !== '' && !items.some((x) => x.id === row.filter);
  return html`<div class="field ls-filter"><label for=${id}>${text.label}</label>
    <select id=${id} value=${row.filter} ...${state.aria('filter', list.error ? `${id}-failed` : undefined)}
      onChange=${(e: Event) => onChange(value(e))}>
      <option value="">${text.any}</option>
      ${items.map((x) => html`<option key=${x.id} value=${x.id}>${x.name}</option>`)}
      ${
        missing
          ? html`<option value=${row.filter}>${
              list.data ? `${text.one} ${row.filter} (not found)` : `${text.one} ${row.filter}`
            }</option>`
          : null
      }
    </select>
    ${
      list.error
        ? html`<small id=${`${id}-failed`} class="problem">Could not load the list.
            <button type="button" class="link" onClick=${list.reload}>Retry</button></small>`
        : null
    }
    ${state.beside('filter')}</div>`;
}
