/**
 * The "Columns" control of a list (the contacts list, the companies list): a disclosure button
 * opening a group of checkboxes, one per column (by their labels), and a way back to the default.
 * Escape closes it and gives the focus back to its button. And a custom field's value in a cell, as
 * its type reads.
 */
import { useRef, useState } from 'preact/hooks';
import {
  type ColumnDef,
  FIELD_PREFIX,
  type FieldDefinition,
  type FieldValue,
  inOrder,
} from './list-columns.js';
import './styles/list-columns.css';
import { ErrorBox, html } from './ui.js';

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });
const none = html`<span class="muted">—<span class="sr-only"> not set</span></span>`;

/** A custom field's value as its type reads (as on a record's page); "—" when it has none. */
export function fieldValue(def: FieldDefinition | undefined, v: FieldValue | undefined) {
  if (v === undefined || v === '') return none;
  if (def?.type === 'boolean') return v === true || v === 'true' ? 'Yes' : 'No';
  if (def?.type === 'number' && typeof v === 'number') return number.format(v);
  if (def?.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))
    return new Date(`${v}T00:00:00`).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return String(v);
}

/** A record's custom field value in the column `column` (`field:<name>`). */
export function fieldCell(
  column: string,
  fields: FieldDefinition[],
  values: Record<string, FieldValue> = {},
) {
  const name = column.slice(FIELD_PREFIX.length);
  return fieldValue(
    fields.find((f) => f.name === name),
    Object.hasOwn(values, name) ? values[name] : undefined,
  );
}

/**
 * The "Columns" control. `note` says which column is always shown (counted with the chosen ones) and
 * where the choice is kept; `panelId` and `idPrefix` keep its ids apart from another list's.
 */
export function ColumnsControl({
  columns,
  all,
  defaults,
  note,
  panelId,
  idPrefix,
  fieldsError,
  onRetryFields,
  onChange,
}: {
  columns: string[];
  all: ColumnDef[];
  defaults: string[];
  note: string;
  panelId: string;
  idPrefix: string;
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
  const boxId = (id: string) => `${idPrefix}${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return html`<div class="columns-control"
      onKeyDown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          close();
        }
      }}>
    <button type="button" class="secondary" ref=${button} aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${panelId} onClick=${() => setOpen(!open)}>
      Columns <span class="muted-count">(${shown + 1})</span>
    </button>
    ${
      open
        ? html`<div id=${panelId} class="columns-panel card">
            <fieldset>
              <legend>Columns shown</legend>
              <p class="muted small">${note}</p>
              <ul class="column-choices">
                ${all.map(
                  (c) => html`<li key=${c.id}>
                    <input type="checkbox" id=${boxId(c.id)} checked=${columns.includes(c.id)}
                      onChange=${(e: Event) => toggle(c.id, (e.target as HTMLInputElement).checked)} />
                    <label for=${boxId(c.id)}>${c.label}</label>
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
              <button type="button" class="secondary" onClick=${() => onChange(defaults)}>Default columns</button>
              <button type="button" onClick=${close}>Done</button>
            </div>
          </div>`
        : null
    }
  </div>`;
}
