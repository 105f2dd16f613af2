/**
 * The companies list's columns: the name always (a link to the company), then those chosen among the
 * standard ones and the company fields (`/v1/company-fields`) by their labels, their values shown as
 * their type reads; the choice kept in this browser (list-columns.ts, as the contacts list does).
 */
import type { components } from '../api-types.js';
import {
  type ColumnDef,
  FIELD_PREFIX,
  type FieldDefinition,
  fieldColumns,
  isFieldColumn,
  readColumns,
  writeColumns,
} from '../list-columns.js';
import { fieldCell } from '../list-columns-control.js';
import { html, link, when } from '../ui.js';

type Company = components['schemas']['Company'];

/** The standard columns in the order they are shown (the name always comes first). */
export const COMPANY_COLUMNS: ColumnDef[] = [
  { id: 'domain', label: 'Domain' },
  { id: 'industry', label: 'Industry' },
  { id: 'size', label: 'Size' },
  { id: 'phone', label: 'Phone' },
  { id: 'website', label: 'Website' },
  { id: 'created', label: 'Created' },
  { id: 'updated', label: 'Updated' },
];
export const DEFAULT_COMPANY_COLUMNS = ['domain', 'industry', 'size'];

/** Every column there is: the standard ones, then the company fields by their labels. */
export const allCompanyColumns = (fields: FieldDefinition[]): ColumnDef[] => [
  ...COMPANY_COLUMNS,
  ...fieldColumns(fields),
];

const COLUMNS_KEY = 'tendril.companies.columns';
const isColumn = (c: unknown): c is string =>
  typeof c === 'string' && (COMPANY_COLUMNS.some((s) => s.id === c) || isFieldColumn(c));

/** The columns this browser chose last (the default until it chose). */
export const storedCompanyColumns = (): string[] =>
  readColumns(COLUMNS_KEY, isColumn, DEFAULT_COMPANY_COLUMNS);
export const storeCompanyColumns = (columns: string[]) => writeColumns(COLUMNS_KEY, columns);

function cell(column: string, c: Company, fields: FieldDefinition[]) {
  switch (column) {
    case 'domain':
    case 'industry':
    case 'size':
    case 'phone':
    case 'website':
      return c[column] ?? '';
    case 'created':
      return when(c.createdAt);
    case 'updated':
      return when(c.updatedAt);
    default:
      return fieldCell(column, fields, c.fields);
  }
}

export function CompaniesTable({
  items,
  columns,
  defs,
  fields,
  caption,
}: {
  items: Company[];
  columns: string[];
  defs: ColumnDef[];
  fields: FieldDefinition[];
  caption: string;
}) {
  const defOf = (id: string): ColumnDef =>
    defs.find((d) => d.id === id) ?? { id, label: id.slice(FIELD_PREFIX.length) };
  const cls = (col: ColumnDef) => (col.num ? 'num' : undefined);
  return html`<div class="table-scroll" role="region" aria-labelledby="companies-table-caption" tabindex="0">
    <table>
      <caption id="companies-table-caption" class="sr-only">${caption}</caption>
      <thead><tr>
        <th scope="col">Name</th>
        ${columns.map((id) => html`<th scope="col" class=${cls(defOf(id))}>${defOf(id).label}</th>`)}
      </tr></thead>
      <tbody>${items.map(
        (c) => html`<tr key=${c.id}>
          <td><a href=${link(`/companies/${c.id}`)}>${c.name}</a></td>
          ${columns.map((id) => html`<td class=${cls(defOf(id))}>${cell(id, c, fields)}</td>`)}
        </tr>`,
      )}</tbody>
    </table>
  </div>`;
}
