/**
 * Saved views above the contacts list: a select of "All contacts" and the workspace's views (opening
 * one applies its filter, order and columns), saving what is shown as a new view, saving changes to
 * the view open, renaming it and deleting it after a confirm step. A save over someone else's change
 * is refused (409) and offers to load the views again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { ErrorBox, Field, html, retryOnConflict, useAction } from '../ui.js';
import { type ContactView, type ListState, sortFits } from './contact-list-state.js';

type Mode = 'none' | 'save' | 'rename' | 'delete';

interface Props {
  /** The views' load (its state and Retry). */
  views: { error?: unknown; loading: boolean; reload: () => void };
  /** The views, by name. */
  items: ContactView[];
  /** The view open, if it is one of the views loaded. */
  current: ContactView | undefined;
  /** What is shown differs from the view open. */
  changed: boolean;
  state: ListState;
  columns: string[];
  onOpen: (view: ContactView | undefined) => void;
  onSaved: (view: ContactView) => void;
  onDeleted: (id: string) => void;
}

/** What a view saves of the list shown: its filter, its order (where it has one) and its columns. */
const shownAsView = (state: ListState, columns: string[]) => ({
  filter: state.filter,
  ...(sortFits(state.filter, state.sort) ? { sort: state.sort } : {}),
  columns,
});

export function ViewsBar({
  views,
  items,
  current,
  changed,
  state,
  columns,
  onOpen,
  onSaved,
  onDeleted,
}: Props) {
  const [mode, setMode] = useState<Mode>('none');
  const [name, setName] = useState('');
  const [said, setSaid] = useState('');
  const action = useAction();
  const panel = useRef<HTMLDivElement>(null);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (mode === 'delete') panel.current?.focus();
    else if (mode !== 'none') panel.current?.querySelector('input')?.focus();
  }, [mode]);
  const start = (next: Mode) => {
    action.clear();
    setSaid('');
    setName(next === 'rename' ? (current?.name ?? '') : '');
    setMode(next);
  };
  const done = (text: string) => {
    setMode('none');
    setSaid(text);
    select.current?.focus();
  };
  const run = async (work: () => Promise<void>) => {
    await action.run(work);
  };
  const saveNew = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const view = await api<ContactView>('POST', '/v1/contact-views', {
        name,
        ...shownAsView(state, columns),
      });
      onSaved(view);
      done(`View “${view.name}” saved.`);
    });
  };
  const rename = (e: Event) => {
    e.preventDefault();
    if (!current) return;
    void run(async () => {
      const view = await api<ContactView>('PATCH', `/v1/contact-views/${current.id}`, {
        version: current.version,
        name,
      });
      onSaved(view);
      done(`View renamed “${view.name}”.`);
    });
  };
  const saveChanges = () => {
    if (!current) return;
    void run(async () => {
      const view = await api<ContactView>('PATCH', `/v1/contact-views/${current.id}`, {
        version: current.version,
        ...shownAsView(state, columns),
      });
      onSaved(view);
      done(`Changes saved to “${view.name}”.`);
    });
  };
  const remove = () => {
    if (!current) return;
    void run(async () => {
      await api('DELETE', `/v1/contact-views/${current.id}${query({ version: current.version })}`);
      onDeleted(current.id);
      done(`View “${current.name}” deleted.`);
    });
  };
  return html`<section class="views-bar" aria-labelledby="views-title">
    <h2 id="views-title" class="sr-only">Saved views</h2>
    <div class="views-row">
      <div class="field">
        <label for="view-select">View</label>
        <select id="view-select" ref=${select} value=${current?.id ?? ''} aria-busy=${views.loading ? 'true' : 'false'}
          aria-describedby="view-state"
          onChange=${(e: Event) => {
            const id = (e.target as HTMLSelectElement).value;
            setMode('none');
            setSaid('');
            onOpen(items.find((v) => v.id === id));
          }}>
          <option value="">All contacts</option>
          ${items.map((v) => html`<option key=${v.id} value=${v.id}>${v.name}</option>`)}
        </select>
      </div>
      <p id="view-state" class="muted view-state">${current && changed ? 'Changed since it was saved.' : ''}</p>
      <div class="view-actions" role="group" aria-label="View actions">
        ${current && changed ? html`<button type="button" disabled=${action.busy} onClick=${saveChanges}>Save changes</button>` : null}
        <button type="button" class="secondary" aria-expanded=${mode === 'save' ? 'true' : 'false'} onClick=${() => start('save')}>Save as new view…</button>
        ${
          current
            ? html`<button type="button" class="secondary" aria-expanded=${mode === 'rename' ? 'true' : 'false'} onClick=${() => start('rename')}>Rename…</button>
                <button type="button" class="secondary danger" aria-expanded=${mode === 'delete' ? 'true' : 'false'} onClick=${() => start('delete')}>Delete view…</button>`
            : null
        }
      </div>
    </div>
    ${views.error ? html`<p class="muted">Saved views could not be loaded:</p><${ErrorBox} error=${views.error} onRetry=${views.reload} />` : null}
    <p class="view-said" role="status">${said}</p>
    ${
      mode === 'save' || mode === 'rename'
        ? html`<form class="view-form inline" ref=${panel} onSubmit=${mode === 'save' ? saveNew : rename}
              aria-label=${mode === 'save' ? 'Save as new view' : 'Rename the view'}>
            <${Field} label=${mode === 'save' ? 'Name of the new view' : 'New name'} id="view-name" required value=${name} onInput=${setName}
              hint=${mode === 'save' ? 'It keeps the filter, order and columns shown now, for everyone in the workspace.' : undefined} />
            <div class="field actions">
              <button type="submit" disabled=${action.busy}>${mode === 'save' ? 'Save view' : 'Rename view'}</button>
              <button type="button" class="secondary" onClick=${() => done('')}>Cancel</button>
            </div>
          </form>`
        : null
    }
    ${
      mode === 'delete' && current
        ? html`<div class="bulk-confirm" role="group" aria-labelledby="view-delete-question" tabindex="-1" ref=${panel}>
            <p id="view-delete-question">Delete the view “${current.name}”? Its contacts stay; only the view goes.</p>
            <div class="actions">
              <button type="button" class="danger" disabled=${action.busy} onClick=${remove}>Delete view</button>
              <button type="button" class="secondary" onClick=${() => done('')}>Keep it</button>
            </div>
          </div>`
        : null
    }
    <${ErrorBox} error=${action.error} onRetry=${retryOnConflict(action.error, () => {
      action.clear();
      setMode('none');
      views.reload();
    })} where=${(path: string) => (path === 'name' ? 'Name' : undefined)} />
  </section>`;
}
