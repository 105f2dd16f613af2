/**
 * The builder panel's inputs: a labelled select over a loaded list (its loading and error with Retry),
 * a tag combobox (the tags in use as suggestions, any new tag allowed), a duration as a number and a
 * unit, and the problem line under a field that the API refused.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, html } from '../ui.js';
import { type DurationUnit, durationParts, durationWords, isoDuration } from './duration.js';
import type { Loaded } from './refs.js';

export interface Option {
  value: string;
  label: string;
}

/** Ids of a field's hint and problem, for aria-describedby. */
const described = (id: string, hint?: string, problem?: string) =>
  [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;

export const Problem = ({ id, text }: { id: string; text?: string | undefined }) =>
  text ? html`<small id=${`${id}-problem`} class="problem">${text}</small>` : null;

export function SelectField({
  id,
  label,
  value,
  options,
  onChange,
  placeholder,
  loaded,
  hint,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
  /** The option of no choice (its value ''). */
  placeholder?: string;
  loaded?: Loaded<unknown>;
  hint?: string;
  problem?: string | undefined;
}) {
  const loading = loaded !== undefined && loaded.items === undefined && !loaded.error;
  const known = value === '' || options.some((o) => o.value === value);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} value=${value} aria-busy=${loading ? 'true' : undefined}
      aria-invalid=${problem ? 'true' : undefined} aria-describedby=${described(id, hint, problem)}
      onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      ${placeholder !== undefined ? html`<option value="">${loading ? 'Loading…' : placeholder}</option>` : null}
      ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
      ${known ? null : html`<option value=${value}>${value} (not found)</option>`}
    </select>
    ${hint ? html`<small id=${`${id}-hint`} class="muted">${hint}</small>` : null}
    <${Problem} id=${id} text=${problem} />
    ${loaded?.error ? html`<${ErrorBox} error=${loaded.error} onRetry=${loaded.retry} />` : null}
  </div>`;
}

export function TextField({
  id,
  label,
  value,
  onInput,
  hint,
  problem,
  type = 'text',
}: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  problem?: string | undefined;
  type?: string;
}) {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input id=${id} type=${type} value=${value} aria-invalid=${problem ? 'true' : undefined}
      aria-describedby=${described(id, hint, problem)}
      onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)} />
    ${hint ? html`<small id=${`${id}-hint`} class="muted">${hint}</small>` : null}
    <${Problem} id=${id} text=${problem} />
  </div>`;
}

/** Tags are stored lower-case, trimmed, single-spaced (as the API normalizes them). */
export const normalTag = (raw: string) => raw.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * A tag: type to filter the tags in use (↓/↑ and Enter choose one, Escape closes the list), or type a
 * new one. The ARIA 1.2 combobox pattern, like the search pickers.
 */
export function TagField({
  id,
  label,
  value,
  tags,
  onChange,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  tags: string[];
  onChange: (tag: string) => void;
  problem?: string | undefined;
}) {
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  useEffect(() => setText(value), [value]);
  const typed = normalTag(text);
  const matches = tags.filter((t) => t.includes(typed) && t !== typed).slice(0, 8);
  const options = [...(tags.includes(typed) && typed ? [typed] : []), ...matches];
  const showList = open && options.length > 0;
  const listId = `${id}-list`;
  const choose = (tag: string) => {
    setText(tag);
    setOpen(false);
    setActive(-1);
    onChange(tag);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      if (options.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) =>
        a < 0 ? (step > 0 ? 0 : options.length - 1) : (a + step + options.length) % options.length,
      );
    } else if (e.key === 'Enter' && showList && active >= 0) {
      e.preventDefault();
      choose(options[active] as string);
    } else if (e.key === 'Escape' && showList) {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  };
  const hint = tags.length > 0 ? 'Type to choose a tag in use, or a new one.' : 'Type a tag.';
  return html`<div class="field combobox">
    <label for=${id}>${label}</label>
    <input id=${id} type="text" role="combobox" autocomplete="off" spellcheck=${false}
      aria-autocomplete="list" aria-expanded=${showList ? 'true' : 'false'} aria-controls=${listId}
      aria-activedescendant=${showList && active >= 0 ? `${id}-option-${active}` : undefined}
      aria-invalid=${problem ? 'true' : undefined} aria-describedby=${described(id, hint, problem)}
      value=${text}
      onInput=${(e: Event) => {
        const next = (e.target as HTMLInputElement).value;
        setText(next);
        setOpen(true);
        setActive(-1);
        onChange(normalTag(next));
      }}
      onFocus=${() => setOpen(true)}
      onBlur=${() => setTimeout(() => document.activeElement?.id !== id && setOpen(false), 150)}
      onKeyDown=${onKeyDown} />
    <small id=${`${id}-hint`} class="muted">${hint}</small>
    <ul id=${listId} role="listbox" aria-label=${`${label}: tags in use`} class="combobox-list" hidden=${!showList}>
      ${options.map(
        (
          t,
          i,
        ) => html`<li id=${`${id}-option-${i}`} role="option" aria-selected=${i === active ? 'true' : 'false'}
          class=${i === active ? 'active' : undefined}
          onMouseDown=${(e: Event) => e.preventDefault()} onClick=${() => choose(t)}>${t}</li>`,
      )}
    </ul>
    <${Problem} id=${id} text=${problem} />
  </div>`;
}

const UNITS: DurationUnit[] = ['minutes', 'hours', 'days', 'weeks'];

/** A duration as a whole number and a unit (ISO-8601 in the document: P2D, PT12H, P1W). */
export function DurationField({
  id,
  label,
  value,
  onChange,
  problem,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (iso: string) => void;
  problem?: string | undefined;
}) {
  const parts = durationParts(value);
  const [amount, setAmount] = useState(parts ? String(parts.amount) : '');
  const [unit, setUnit] = useState<DurationUnit>(parts?.unit ?? 'days');
  // The document changed elsewhere (undo, the JSON tab): show it.
  useEffect(() => {
    const now = durationParts(value);
    if (now && isoDuration(Number(amount), unit) !== value) {
      setAmount(String(now.amount));
      setUnit(now.unit);
    }
  }, [value]);
  const whole = /^\d+$/.test(amount.trim()) && Number(amount) > 0;
  const update = (nextAmount: string, nextUnit: DurationUnit) => {
    setAmount(nextAmount);
    setUnit(nextUnit);
    if (/^\d+$/.test(nextAmount.trim()) && Number(nextAmount) > 0)
      onChange(isoDuration(Number(nextAmount), nextUnit));
  };
  const own = !whole ? 'Enter a whole number above 0.' : undefined;
  const shown = problem ?? own;
  return html`<fieldset class="wfb-duration">
    <legend>${label}</legend>
    <div class="inline">
      <div class="field">
        <label for=${`${id}-amount`}>Number</label>
        <input id=${`${id}-amount`} type="number" min="1" step="1" inputmode="numeric" value=${amount}
          aria-invalid=${shown ? 'true' : undefined} aria-describedby=${described(id, 'x', shown)}
          onInput=${(e: Event) => update((e.target as HTMLInputElement).value, unit)} />
      </div>
      <div class="field">
        <label for=${`${id}-unit`}>Unit</label>
        <select id=${`${id}-unit`} value=${unit}
          onChange=${(e: Event) => update(amount, (e.target as HTMLSelectElement).value as DurationUnit)}>
          ${UNITS.map((u) => html`<option value=${u}>${u}</option>`)}
        </select>
      </div>
    </div>
    <small id=${`${id}-hint`} class="muted">${value ? `Now: ${durationWords(value)}` : 'Not set'}</small>
    <${Problem} id=${id} text=${shown} />
  </fieldset>`;
}

/** A group of related fields with a visible legend. */
export const Group = ({ legend, children }: { legend: string; children: ComponentChildren }) =>
  html`<fieldset class="wfb-group"><legend>${legend}</legend>${children}</fieldset>`;
