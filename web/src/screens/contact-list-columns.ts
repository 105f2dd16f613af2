/**
 * The contacts list's "Columns" control: a disclosure button opening a group of checkboxes, one per
 * column (the standard ones and the workspace's custom fields, by their labels), and a way back to
 * the default. Escape closes it and gives the focus back to its button.
 */
import { useRef, useState } from 'preact/hooks';
import { ErrorBox, html } from '../ui.js';
import { type ColumnDef, DEFAULT_COLUMNS, inOrder } from './contact-list-state.js';

export function ColumnsControl({
  columns,
  all,
  fieldsError,
  onRetryFields,
  onChange,
}: {
  columns: string[];
  all: ColumnDef[];
  fieldsError?: unknown;
  onRetryFields: () => void;
  onChange: (columns: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const toggle = (id: string, on: boolean) =>
    onChange(inOrder(on ? [...columns, id] : columns.filter((c) => c !== id), all));
  const shown = columns.filter((c) => all.some((a) => a.id === c)).length;
  return html`<div class="columns-control"
      onKeyDown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          close();
        }
      }}>
    <button type="button" class="secondary" ref=${button} aria-expanded=${open ? 'true' : 'false'}
      aria-controls="columns-panel" onClick=${() => setOpen(!open)}>
      Columns <span class="muted-count">(${shown + 1})</span>
    </button>
    ${
      open
        ? html`<div id="columns-panel" class="columns-panel card">
            <fieldset>
              <legend>Columns shown</legend>
              <p class="muted small">Email is always shown. This browser keeps your choice for the list; a saved view keeps its own (save changes to it).</p>
              <ul class="column-choices">
                ${all.map(
                  (c) => html`<li key=${c.id}>
                    <input type="checkbox" id=${`col-${c.id.replace(/[^A-Za-z0-9_-]/g, '-')}`} checked=${columns.includes(c.id)}
                      onChange=${(e: Event) => toggle(c.id, (e.target as HTMLInputElement).checked)} />
                    <label for=${`col-${c.id.replace(/[^A-Za-z0-9_-]/g, '-')}`}>${c.label}</label>
                  </li>`,
                )}
              </ul>
            </fieldset>
            ${
              fieldsError
                ? html`<p class="muted">Custom fields could not be loaded:</p>
                    <${ErrorBox} error=${fieldsError} onRetry=${onRetryFields} />`
                : null
            }
            <div class="actions">
              <button type="button" class="secondary" onClick=${() => onChange(DEFAULT_COLUMNS)}>Default columns</button>
              <button type="button" onClick=${close}>Done</button>
            </div>
          </div>`
        : null
    }
  </div>`;
}
