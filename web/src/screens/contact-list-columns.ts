/**
 * The contacts list's "Columns" control (list-columns-control.ts): the standard columns and the
 * workspace's custom fields by their labels, and a way back to the default. The email is always shown.
 */
import { ColumnsControl as ListColumnsControl } from '../list-columns-control.js';
import { html } from '../ui.js';
import { type ColumnDef, DEFAULT_COLUMNS } from './contact-list-state.js';

export function ColumnsControl(props: {
  columns: string[];
  all: ColumnDef[];
  fieldsError?: unknown;
  onRetryFields: () => void;
  onChange: (columns: string[]) => void;
}) {
  return html`<${ListColumnsControl} ...${props} defaults=${DEFAULT_COLUMNS} panelId="columns-panel" idPrefix="col-"
    note="Email is always shown. This browser keeps your choice for the list; a saved view keeps its own (save changes to it)." />`;
}
