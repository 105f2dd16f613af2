/**
 * Typed custom fields on companies: their own definitions (`/v1/company-fields`: text, number, date,
 * boolean, select with options; the same types and conversions as contacts' fields, contacts'
 * `coerceValue`), kept in the companies context. A company's `fields` hold values of defined fields
 * only: a value is converted by its field's type on every write, an undefined field or a value that
 * does not fit is a 400 at `fields.<name>`; `null` in a change clears a value.
 */
import { coerceFields } from '#contacts/field-definitions.js';
import type { CustomFields, FieldDefinition, FieldType, FieldValue } from '#contacts/model.js';
import { conflict, type ErrorDetail, notFound, validationError } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import type { CompaniesDeps } from './store.js';

export interface NewCompanyField {
  name: string;
  label: string;
  type: FieldType;
  options?: string[] | undefined;
}

function checkOptions(type: FieldType, options: string[] | undefined) {
  if (type === 'select' && (!options || options.length === 0))
    throw validationError('a select field needs options', [
      { path: 'options', message: 'list at least one option' },
    ]);
  if (type !== 'select' && options !== undefined)
    throw validationError('only select fields have options', [
      { path: 'options', message: 'only for type select' },
    ]);
}

export async function createCompanyField(
  deps: CompaniesDeps,
  input: NewCompanyField,
): Promise<FieldDefinition> {
  checkOptions(input.type, input.options);
  const at = deps.clock.now().toISOString();
  const definition: FieldDefinition = {
    name: input.name,
    label: input.label,
    type: input.type,
    ...(input.type === 'select' && input.options ? { options: input.options } : {}),
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.store.commit([{ kind: 'putCompanyField', definition }]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('field_exists', `a company field named ${input.name} is already defined`);
    throw err;
  }
  return definition;
}

/** Relabels a company field or changes a select's options (its type stays: values are stored by it). */
export async function updateCompanyField(
  deps: CompaniesDeps,
  name: string,
  patch: { label?: string | undefined; options?: string[] | undefined },
): Promise<FieldDefinition> {
  const current = (await deps.store.listCompanyFields()).find((d) => d.name === name);
  if (!current) throw notFound('company field', name);
  if (patch.options !== undefined) checkOptions(current.type, patch.options);
  const next: FieldDefinition = {
    ...current,
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(patch.options !== undefined ? { options: patch.options } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.commit([
      { kind: 'putCompanyField', definition: next, expectedUpdatedAt: current.updatedAt },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('field_changed', `company field ${name} changed meanwhile; reload and retry`);
    throw err;
  }
  return next;
}

/**
 * A company's fields after a change: `current` with `changes` applied (null clears), each value
 * converted by its definition; a 400 listing every undefined field and every value that does not fit.
 */
export async function companyFields(
  deps: CompaniesDeps,
  current: CustomFields | undefined,
  changes: Record<string, FieldValue | null> | undefined,
): Promise<CustomFields | undefined> {
  if (!changes || Object.keys(changes).length === 0) return current;
  const definitions = await deps.store.listCompanyFields();
  const known = new Set(definitions.map((d) => d.name));
  const unknown: ErrorDetail[] = Object.keys(changes)
    .filter((name) => !known.has(name))
    .map((name) => ({ path: `fields.${name}`, code: 'unknown_field', message: 'is no company field' }));
  if (unknown.length > 0) throw validationError('these company fields are not defined', unknown);
  const typed = coerceFields(definitions, changes);
  const next: CustomFields = { ...(current ?? {}) };
  for (const [name, value] of Object.entries(typed)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return Object.keys(next).length > 0 ? next : undefined;
}

/** The names of the fields whose value differs (as `fields.<name>`). */
export function changedFields(before: CustomFields | undefined, after: CustomFields | undefined): string[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...names].filter((n) => before?.[n] !== after?.[n]).map((n) => `fields.${n}`);
}
