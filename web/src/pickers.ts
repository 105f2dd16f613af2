/**
 * Search comboboxes backed by `GET /v1/search` (the ARIA 1.2 combobox pattern: an input with a
 * listbox popup). Typing searches (after a short pause); ↓/↑ move through the results, Enter chooses
 * the active one, Escape closes the list (and, closed, clears the text), Tab leaves. The list's
 * loading, empty and error (Retry) states are announced in a live region beside it.
 * `SearchCombobox` is the piece; `ContactPicker` and `CompanyPicker` choose one record of a kind.
 */
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Page, query } from './api.js';
import type { components } from './api-types.js';
import { html } from './ui.js';

export type SearchResult = components['schemas']['SearchResult'];
export type SearchKind = SearchResult['kind'];

/** Whether the API can search this text: a word of 2 letters or digits (a shorter one is a 400). */
export const searchable = (q: string) => /[\p{L}\p{N}]{2}/u.test(q);

/** Where a result's page is. */
export const resultHref = (r: Pick<SearchResult, 'kind' | 'id'>) =>
  r.kind === 'company' ? `#/companies/${r.id}` : `#/contacts/${r.id}`;

/** What to show under a result's name: a contact's email and company, a company's domain. */
export const resultDetail = (r: SearchResult) =>
  r.kind === 'company' ? (r.domain ?? '') : [r.email, r.company].filter(Boolean).join(' · ');

/**
 * Up to `limit` results. With a kind, a page of the index may hold none of it though more follow:
 * up to 3 pages are read then.
 */
export async function searchResults(q: string, kind?: SearchKind, limit = 8): Promise<SearchResult[]> {
  const out: SearchResult[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 3; i++) {
    const page = await api<Page<SearchResult>>('GET', `/v1/search${query({ q, limit, cursor, kind })}`);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor || out.length > 0 || !kind) break;
  }
  return out;
}

/** The results of `q` as it settles (200 ms after the last keystroke); only the latest request counts. */
function useSearch(q: string, kind: SearchKind | undefined, limit: number) {
  const [state, setState] = useState<{
    results: SearchResult[];
    loading: boolean;
    error?: unknown;
    for: string;
  }>({ results: [], loading: false, for: '' });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const text = q.trim();
    if (!searchable(text)) {
      latest.current++;
      setState({ results: [], loading: false, for: '' });
      return;
    }
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    const timer = setTimeout(() => {
      searchResults(text, kind, limit).then(
        (results) => request === latest.current && setState({ results, loading: false, for: text }),
        (error: unknown) =>
          request === latest.current && setState({ results: [], loading: false, error, for: text }),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [q, kind, limit, round]);
  return { ...state, retry: () => setRound((r) => r + 1) };
}

/** An option after the results (the header's "All results for …"). */
export interface ExtraOption {
  label: string;
  choose: () => void;
}

export interface SearchComboboxProps {
  id: string;
  label: string;
  /** The label is for screen readers only (the header's box). */
  labelHidden?: boolean;
  placeholder?: string;
  hint?: string;
  kind?: SearchKind;
  limit?: number;
  onChoose: (result: SearchResult) => void;
  /** Enter with no option active (the header: the results screen). */
  onSubmit?: (q: string) => void;
  extra?: (q: string) => ExtraOption | undefined;
  /** After a choice the text is cleared (the header) rather than set to the chosen name. */
  clearOnChoose?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  class?: string;
}

export function SearchCombobox(props: SearchComboboxProps) {
  const { id, label, kind, limit = 8 } = props;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const found = useSearch(text, kind, limit);
  const own = useRef<HTMLInputElement | null>(null);
  const setRef = (el: HTMLInputElement | null) => {
    own.current = el;
    const outer = props.inputRef;
    if (typeof outer === 'function') outer(el);
    else if (outer) outer.current = el;
  };
  /** Retry: the search again, the focus back in the box with its list open. */
  const retry = () => {
    found.retry();
    setOpen(true);
    own.current?.focus();
  };
  const extra = searchable(text.trim()) ? props.extra?.(text.trim()) : undefined;
  const count = found.results.length + (extra ? 1 : 0);
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const settled = found.for === text.trim() && !found.loading;
  const showList = open && searchable(text.trim());
  useEffect(() => setActive(-1), [found.results]);

  const choose = (i: number) => {
    const result = found.results[i];
    setOpen(false);
    setActive(-1);
    if (result) {
      setText(props.clearOnChoose ? '' : result.name);
      props.onChoose(result);
    } else if (extra && i === found.results.length) {
      if (props.clearOnChoose) setText('');
      extra.choose();
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      if (count === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a < 0 ? (step > 0 ? 0 : count - 1) : (a + step + count) % count));
    } else if (e.key === 'Enter') {
      if (open && active >= 0 && active < count) {
        e.preventDefault();
        choose(active);
      } else if (props.onSubmit && searchable(text.trim())) {
        e.preventDefault();
        setOpen(false);
        props.onSubmit(text.trim());
        if (props.clearOnChoose) setText('');
      }
    } else if (e.key === 'Escape') {
      if (open && text) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (text) {
        e.preventDefault();
        setText('');
      }
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  const status = !showList
    ? ''
    : found.error
      ? ''
      : !settled
        ? 'Searching…'
        : found.results.length === 0
          ? `Nothing matches “${text.trim()}”.`
          : `${found.results.length} result${found.results.length === 1 ? '' : 's'}; use the up and down arrows to choose.`;
  const errorMessage =
    found.error instanceof ApiError ? found.error.message : found.error ? String(found.error) : '';
  return html`<div class=${`combobox ${props.class ?? ''}`}>
    <label for=${id} class=${props.labelHidden ? 'sr-only' : undefined}>${label}</label>
    <input
      id=${id}
      ref=${setRef}
      type="text"
      role="combobox"
      autocomplete="off"
      spellcheck=${false}
      aria-autocomplete="list"
      aria-expanded=${showList && count > 0 ? 'true' : 'false'}
      aria-controls=${listId}
      aria-activedescendant=${showList && active >= 0 ? optionId(active) : undefined}
      aria-describedby=${props.hint ? `${id}-hint` : undefined}
      placeholder=${props.placeholder}
      value=${text}
      onInput=${(e: Event) => {
        setText((e.target as HTMLInputElement).value);
        setOpen(true);
      }}
      onFocus=${() => setOpen(true)}
      onBlur=${() =>
        // Later, so a click on an option lands first; not if the focus came back meanwhile.
        setTimeout(() => document.activeElement !== own.current && setOpen(false), 150)}
      onKeyDown=${onKeyDown}
    />
    ${props.hint ? html`<small id=${`${id}-hint`} class="muted">${props.hint}</small>` : null}
    <ul id=${listId} role="listbox" aria-label=${`${label}: results`} class="combobox-list"
      hidden=${!(showList && count > 0)}>
      ${found.results.map(
        (r, i) => html`<li id=${optionId(i)} role="option" aria-selected=${i === active ? 'true' : 'false'}
          class=${i === active ? 'active' : undefined}
          onMouseDown=${(e: Event) => e.preventDefault()} onClick=${() => choose(i)}>
          <span class="combobox-name">${r.name}</span>
          <span class="combobox-kind">${r.kind === 'company' ? 'Company' : 'Contact'}</span>
          <span class="combobox-detail">${resultDetail(r)}</span>
        </li>`,
      )}
      ${
        extra
          ? html`<li id=${optionId(found.results.length)} role="option" class=${`combobox-extra${active === found.results.length ? ' active' : ''}`}
              aria-selected=${active === found.results.length ? 'true' : 'false'}
              onMouseDown=${(e: Event) => e.preventDefault()} onClick=${() => choose(found.results.length)}>${extra.label}</li>`
          : null
      }
    </ul>
    <div class="sr-only" role="status" aria-live="polite">${status}</div>
    ${
      found.error && searchable(text.trim())
        ? html`<div class="combobox-note error" role="alert">
            <span>Search failed: ${errorMessage}</span>
            <button type="button" onMouseDown=${(e: Event) => e.preventDefault()} onClick=${retry}>Retry</button>
          </div>`
        : showList && settled && found.results.length === 0 && !extra
          ? html`<div class="combobox-note muted">Nothing matches “${text.trim()}”.</div>`
          : showList && !settled && count === 0
            ? html`<div class="combobox-note muted">Searching…</div>`
            : null
    }
  </div>`;
}

type PickerProps = Omit<SearchComboboxProps, 'kind' | 'onSubmit' | 'extra'>;

/** Chooses a contact by name, company, part of the email or phone. */
export const ContactPicker = (props: PickerProps) => html`<${SearchCombobox} ...${props} kind="contact" />`;

/** Chooses a company by name or domain. */
export const CompanyPicker = (props: PickerProps) => html`<${SearchCombobox} ...${props} kind="company" />`;
