/**
 * Typed custom fields on companies: their own definitions (`/v1/company-fields`: text, number, date,
 * boolean, select with options; the same types and conversions as contacts' fields, contacts'
 * `coerceValue`), kept in the companies context. A company's `fields` hold values of defined fields
 * only: a value is converted by its field's type on every write, an undefined field or a value that
 * does not fit is a 400 at `fields.<name>`; `null` in a change clears a value.
 */
import {
  coerceFields,
  type DefinitionList,
  defineField,
  type NewFieldDefinition,
  redefineField,
} from '#contacts/field-definitions.js';
import type { CustomFields, FieldDefinition, FieldValue } from '#contacts/model.js';
import { type ErrorDetail, validationError } from '#platform/errors.js';
import type { CompaniesDeps } from './store.js';

export type NewCompanyField = NewFieldDefinition;

/** The companies' own definitions (`COMPANY_FIELDS`), under the same rules as contacts' fields. */
const companyDefinitions = (deps: CompaniesDeps): DefinitionList => ({
  noun: 'company field',
  list: () => deps.store.listCompanyFields(),
  put: (definition, expectedUpdatedAt) =>
    deps.store.commit([
      { kind: 'putCompanyField', definition, ...(expectedUpdatedAt ? { expectedUpdatedAt } : {}) },
    ]),
});

export const createCompanyField = (deps: CompaniesDeps, input: NewCompanyField): Promise<FieldDefinition> =>
  defineField(companyDefinitions(deps), deps.clock.now(), input);

/** Relabels a company field or changes a select's options (its type stays: values are stored by it). */
export const updateCompanyField = (
  deps: CompaniesDeps,
  name: string,
  patch: { label?: string | undefined; options?: string[] | undefined },
): Promise<FieldDefinition> => redefineField(companyDefinitions(deps), deps.clock.now(), name, patch);

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
