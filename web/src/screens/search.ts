/**
 * Search: the header's box (every screen; `/` focuses it; its list's results open a contact's or a
 * company's page, its last option the results screen) and the results screen `#/search?q=`, paged.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page, query } from '../api.js';
import { resultDetail, resultHref, SearchCombobox, type SearchResult, searchable } from '../pickers.js';
import { Empty, ErrorBox, html, Loading, Pager, useLoad, usePager } from '../ui.js';

/** The results screen's address for a query. */
export const searchHash = (q: string) => `#/search${query({ q })}`;

/** The query of a `#/search?q=` address. */
export const searchQueryOf = (hash: string) => new URLSearchParams(hash.split('?')[1] ?? '').get('q') ?? '';

/** Is a key press the `/` shortcut (not typed into a field)? */
function isShortcut(e: KeyboardEvent): boolean {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return false;
  const target = e.target as HTMLElement | null;
  const tag = target?.tagName ?? '';
  return !(target?.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT');
}

export function HeaderSearch() {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcut(e)) return;
      e.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const go = (hash: string) => {
    window.location.hash = hash;
  };
  return html`<div class="header-search" role="search" aria-label="Site">
    <${SearchCombobox}
      id="global-search"
      label="Search contacts and companies"
      labelHidden=${true}
      placeholder="Search ( / )"
      inputRef=${input}
      clearOnChoose=${true}
      onChoose=${(r: SearchResult) => go(resultHref(r))}
      onSubmit=${(q: string) => go(searchHash(q))}
      extra=${(q: string) => ({ label: `All results for “${q}”`, choose: () => go(searchHash(q)) })}
    />
  </div>`;
}

export function SearchScreen({ hash }: { hash: string }) {
  const q = searchQueryOf(hash);
  const [text, setText] = useState(q);
  const pager = usePager();
  useEffect(() => {
    setText(q);
    pager.reset();
  }, [q]);
  const ok = searchable(q.trim());
  const results = useLoad(
    () =>
      ok
        ? api<Page<SearchResult>>(
            'GET',
            `/v1/search${query({ q: q.trim(), limit: 25, cursor: pager.cursor })}`,
          )
        : Promise.resolve({ items: [] } as Page<SearchResult>),
    [q, pager.cursor],
  );
  const submit = (e: Event) => {
    e.preventDefault();
    window.location.hash = searchHash(text.trim());
  };
  const items = results.data?.items ?? [];
  return html`<section aria-labelledby="search-title">
    <h1 id="search-title">${ok ? `Search: “${q.trim()}”` : 'Search'}</h1>
    <form class="inline" role="search" onSubmit=${submit}>
      <div class="field">
        <label for="search-page-q">Name, company, email or phone</label>
        <input id="search-page-q" type="search" value=${text} aria-describedby="search-page-hint"
          onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
        <small id="search-page-hint" class="muted">Every word must match: “ada love” finds Ada Lovelace.</small>
      </div>
      <div class="field"><button type="submit">Find</button></div>
    </form>
    ${
      !ok
        ? html`<${Empty}>Type at least two letters or digits of a name, a company, an email or a phone number.</${Empty}>`
        : results.error
          ? html`<${ErrorBox} error=${results.error} onRetry=${results.reload} />`
          : results.loading
            ? html`<${Loading} what="Searching" />`
            : items.length === 0
              ? html`<${Empty}>No contact or company matches “${q.trim()}”.</${Empty}>`
              : html`<ul class="search-results">
                  ${items.map(
                    (r) => html`<li key=${`${r.kind}:${r.id}`}>
                      <a href=${resultHref(r)}>${r.name}</a>
                      <span class="combobox-kind">${r.kind === 'company' ? 'Company' : 'Contact'}</span>
                      <span class="muted">${resultDetail(r)}</span>
                    </li>`,
                  )}
                </ul>`
    }
    ${ok && !results.error ? html`<${Pager} page=${pager.page} nextCursor=${results.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />` : null}
  </section>`;
}
