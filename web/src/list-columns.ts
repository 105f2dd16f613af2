/**
 * Columns a list lets people choose (the contacts list, the companies list), pure (no DOM but
 * localStorage): the column definitions, custom fields as columns (`field:<name>`), their order, the
 * choice kept in this browser. The control and the cells are in list-columns-control.ts.
 */
import type { components } from './api-types.js';

export type FieldDefinition = components['schemas']['FieldDefinition'];
export type FieldValue = string | number | boolean;

export interface ColumnDef {
  id: string;
  label: string;
  num?: boolean;
  /** A class of its cells (the stylesheet's). */
  cls?: string;
}

export const FIELD_PREFIX = 'field:';

/** Custom fields as columns, by their labels. */
export const fieldColumns = (fields: FieldDefinition[]): ColumnDef[] =>
  fields.map((f) => ({ id: `${FIELD_PREFIX}${f.name}`, label: f.label, num: f.type === 'number' }));

/** A custom field's column id (a field's name as the API allows it). */
export const isFieldColumn = (c: string) => /^field:[A-Za-z][A-Za-z0-9_]{0,63}$/.test(c);

/** The chosen columns in the order they are shown (unknown ones of a field not defined yet kept last). */
export function inOrder(chosen: string[], all: ColumnDef[]): string[] {
  const known = all.map((c) => c.id).filter((id) => chosen.includes(id));
  return [...known, ...chosen.filter((id) => !known.includes(id) && id.startsWith(FIELD_PREFIX))];
}

/** The columns this browser chose last under `key` (`defaults` until it chose). */
export function readColumns(
  key: string,
  isColumn: (c: unknown) => c is string,
  defaults: string[],
): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (Array.isArray(value) && value.every(isColumn)) return [...new Set(value)];
  } catch {
    // Unreadable or not allowed: the default.
  }
  return defaults;
}

export function writeColumns(key: string, columns: string[]) {
  try {
    localStorage.setItem(key, JSON.stringify(columns));
  } catch {
    // Storage full or not allowed: the choice lasts for this page only.
  }
}
