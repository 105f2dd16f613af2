/**
 * The contacts list's state (pure, no DOM but localStorage): what it is filtered by, its order (by
 * creation; every contact also by name) and the saved view open, read from and written to the hash's
 * query (`#/contacts?tag=lead&sort=created&view=…`, `#/contacts?sort=-name`)
 * so a reload or a shared link keeps them; the columns it can show, and the ones this browser chose.
 */
import type { LifecycleStage } from '../api.js';
import type { components } from '../api-types.js';
import {
  type ColumnDef,
  FIELD_PREFIX,
  fieldColumns,
  inOrder,
  isFieldColumn,
  readColumns,
  writeColumns,
} from '../list-columns.js';

export { type ColumnDef, FIELD_PREFIX, inOrder };

export type ContactView = components['schemas']['ContactView'];
export type Band = NonNullable<ContactView['filter']['band']>;
export type Sort = NonNullable<ContactView['sort']>;
export type FieldDefinition = components['schemas']['FieldDefinition'];

export type ListFilter = { q?: string; email?: string; tag?: string; stage?: LifecycleStage; band?: Band };
export interface ListState {
  filter: ListFilter;
  sort: Sort;
  /** The saved view open, if any (its filter, sort and columns may have been changed since). */
  viewId?: string;
}

export const NEWEST: Sort = '-created';
const FILTER_KEYS = ['q', 'email', 'tag', 'stage', 'band'] as const;
const STAGE_KEYS = [
  'subscriber',
  'lead',
  'marketing_qualified_lead',
  'sales_qualified_lead',
  'opportunity',
  'customer',
  'evangelist',
];
const BAND_KEYS = ['high', 'medium', 'low'];

/** Every contact and a tag's contacts have an order to choose; a search, a stage and a band their own. */
export const sortable = (f: ListFilter) => !f.q && !f.email && !f.stage && !f.band;
/** The orders by name (every contact only: a tag's contacts have no name index). */
export const isNameSort = (sort: Sort) => sort === 'name' || sort === '-name';
export const nameSortable = (f: ListFilter) => sortable(f) && !f.tag;
/** Whether a list can be shown in this order. */
export const sortFits = (f: ListFilter, sort: Sort) => sortable(f) && (!isNameSort(sort) || nameSortable(f));
const CHOSEN_SORTS: readonly string[] = ['created', 'name', '-name'];

/** The list a hash asks for; what is unknown or invalid is left out. */
export function parseListHash(hash: string): ListState {
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const filter: ListFilter = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key)?.trim();
    if (!value) continue;
    if (key === 'stage') {
      if (STAGE_KEYS.includes(value)) filter.stage = value as LifecycleStage;
    } else if (key === 'band') {
      if (BAND_KEYS.includes(value)) filter.band = value as Band;
    } else filter[key] = value;
  }
  const viewId = query.get('view') ?? undefined;
  return {
    filter,
    sort: chosenSort(query.get('sort'), filter),
    ...(viewId && /^[0-9A-Z]{26}$/.test(viewId) ? { viewId } : {}),
  };
}

function chosenSort(value: string | null, filter: ListFilter): Sort {
  const sort = value !== null && CHOSEN_SORTS.includes(value) ? (value as Sort) : NEWEST;
  return sortFits(filter, sort) ? sort : NEWEST;
}

/** The hash of a list (nothing chosen: `#/contacts`). */
export function listHash(state: ListState): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = state.filter[key];
    if (value) query.set(key, value);
  }
  if (state.sort !== NEWEST && sortFits(state.filter, state.sort)) query.set('sort', state.sort);
  if (state.viewId) query.set('view', state.viewId);
  const text = query.toString();
  return `#/contacts${text ? `?${text}` : ''}`;
}

/** A saved view's list. */
export const viewState = (view: ContactView): ListState => ({
  filter: view.filter as ListFilter,
  sort: view.sort ?? NEWEST,
  viewId: view.id,
});

export const sameFilter = (a: ListFilter, b: ListFilter) =>
  FILTER_KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''));

/** Whether what is shown differs from the view saved. */
export function changedFrom(view: ContactView, state: ListState, columns: string[]): boolean {
  return (
    !sameFilter(view.filter as ListFilter, state.filter) ||
    (sortable(state.filter) && (view.sort ?? NEWEST) !== state.sort) ||
    view.columns.join() !== columns.join()
  );
}

// ---------- columns ----------

/** The standard columns in the order they are shown (the email always comes first). */
export const STANDARD_COLUMNS: ColumnDef[] = [
  { id: 'name', label: 'Name' },
  { id: 'company', label: 'Company' },
  { id: 'phone', label: 'Phone' },
  { id: 'owner', label: 'Owner' },
  { id: 'source', label: 'Source' },
  { id: 'tags', label: 'Tags' },
  { id: 'score', label: 'Score', num: true },
  { id: 'stage', label: 'Stage' },
  { id: 'likelihood', label: 'Likelihood', num: true, cls: 'likelihood' },
  { id: 'created', label: 'Created', cls: 'created' },
  { id: 'updated', label: 'Updated' },
];
export const DEFAULT_COLUMNS = ['name', 'tags', 'score', 'stage', 'likelihood', 'created'];

/** Every column there is: the standard ones, then the workspace's custom fields by their labels. */
export const allColumns = (fields: FieldDefinition[]): ColumnDef[] => [
  ...STANDARD_COLUMNS,
  ...fieldColumns(fields),
];

const COLUMNS_KEY = 'tendril.contacts.columns';
const isColumn = (c: unknown): c is string =>
  typeof c === 'string' && (STANDARD_COLUMNS.some((s) => s.id === c) || isFieldColumn(c));

/** The columns this browser chose last (the default until it chose). */
export const storedColumns = (): string[] => readColumns(COLUMNS_KEY, isColumn, DEFAULT_COLUMNS);

export const storeColumns = (columns: string[]) => writeColumns(COLUMNS_KEY, columns);

/** A view's columns this page can show (the API checks them too). */
export const viewColumns = (view: ContactView) => view.columns.filter(isColumn);
