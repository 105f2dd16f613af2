/**
 * The contacts list's state (pure, no DOM but localStorage): what it is filtered by, its order and the
 * saved view open, read from and written to the hash's query (`#/contacts?tag=lead&sort=created&view=…`)
 * so a reload or a shared link keeps them; the columns it can show, and the ones this browser chose.
 */
import type { LifecycleStage } from '../api.js';
import type { components } from '../api-types.js';

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
    sort: query.get('sort') === 'created' && sortable(filter) ? 'created' : NEWEST,
    ...(viewId && /^[0-9A-Z]{26}$/.test(viewId) ? { viewId } : {}),
  };
}

/** The hash of a list (nothing chosen: `#/contacts`). */
export function listHash(state: ListState): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = state.filter[key];
    if (value) query.set(key, value);
  }
  if (state.sort !== NEWEST && sortable(state.filter)) query.set('sort', state.sort);
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

export interface ColumnDef {
  id: string;
  label: string;
  num?: boolean;
  /** A class of its cells (the stylesheet's). */
  cls?: string;
}

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
export const FIELD_PREFIX = 'field:';

/** Every column there is: the standard ones, then the workspace's custom fields by their labels. */
export const allColumns = (fields: FieldDefinition[]): ColumnDef[] => [
  ...STANDARD_COLUMNS,
  ...fields.map((f) => ({ id: `${FIELD_PREFIX}${f.name}`, label: f.label, num: f.type === 'number' })),
];

/** The chosen columns in the order they are shown (unknown ones of a field not defined yet kept last). */
export function inOrder(chosen: string[], all: ColumnDef[]): string[] {
  const known = all.map((c) => c.id).filter((id) => chosen.includes(id));
  return [...known, ...chosen.filter((id) => !known.includes(id) && id.startsWith(FIELD_PREFIX))];
}

const COLUMNS_KEY = 'tendril.contacts.columns';
const isColumn = (c: unknown): c is string =>
  typeof c === 'string' &&
  (STANDARD_COLUMNS.some((s) => s.id === c) || /^field:[A-Za-z][A-Za-z0-9_]{0,63}$/.test(c));

/** The columns this browser chose last (the default until it chose). */
export function storedColumns(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null');
    if (Array.isArray(value) && value.every(isColumn)) return [...new Set(value)];
  } catch {
    // Unreadable or not allowed: the default.
  }
  return DEFAULT_COLUMNS;
}

export function storeColumns(columns: string[]) {
  try {
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(columns));
  } catch {
    // Storage full or not allowed: the choice lasts for this page only.
  }
}

/** A view's columns this page can show (the API checks them too). */
export const viewColumns = (view: ContactView) => view.columns.filter(isColumn);
