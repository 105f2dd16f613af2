/**
 * Custom field definitions: a field's type (text, number, date, boolean, select with options).
 * Values are converted by it on every write path — the API, form submissions and CSV imports — so a
 * number imported as "25" is stored as 25 and compares as a number; a value that does not fit its
 * type is a 400 at its field (a failed row, for an import). Fields without a definition keep the
 * value as given.
 */
import { conflict, type ErrorDetail, notFound, validationError } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import type { CustomFields, FieldDefinition, FieldType, FieldValue } from './model.js';
import type { ContactsDeps } from './store.js';

export interface NewFieldDefinition {
  name: string;
  label: string;
  type: FieldType;
  options?: string[] | undefined;
}

/**
 * Where a kind of record keeps its field definitions (contacts' and companies' alike): the rules
 * below define and redefine fields over it.
 */
export interface DefinitionList {
  /** How messages name one: `field`, `company field`. */
  noun: string;
  list(): Promise<FieldDefinition[]>;
  /** Puts a definition: a new one (no `expectedUpdatedAt`), or over the one last updated then. */
  put(definition: FieldDefinition, expectedUpdatedAt?: string): Promise<void>;
}

const contactDefinitions = (deps: ContactsDeps): DefinitionList => ({
  noun: 'field',
  list: () => deps.store.listFieldDefinitions(),
  put: (definition, expectedUpdatedAt) =>
    deps.store.commit([
      { kind: 'putFieldDefinition', definition, ...(expectedUpdatedAt ? { expectedUpdatedAt } : {}) },
    ]),
});

/** A new field definition (a 409 `field_exists` when the name is taken). */
export async function defineField(
  fields: DefinitionList,
  now: Date,
  input: NewFieldDefinition,
): Promise<FieldDefinition> {
  checkOptions(input.type, input.options);
  const at = now.toISOString();
  const definition: FieldDefinition = {
    name: input.name,
    label: input.label,
    type: input.type,
    ...(input.type === 'select' && input.options ? { options: input.options } : {}),
    createdAt: at,
    updatedAt: at,
  };
  try {
    await fields.put(definition);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('field_exists', `a ${fields.noun} named ${input.name} is already defined`);
    throw err;
  }
  return definition;
}

/** Relabels a field or changes a select's options (its type stays: values are stored by it). */
export async function redefineField(
  fields: DefinitionList,
  now: Date,
  name: string,
  patch: { label?: string | undefined; options?: string[] | undefined },
): Promise<FieldDefinition> {
  const current = (await fields.list()).find((d) => d.name === name);
  if (!current) throw notFound(fields.noun, name);
  if (patch.options !== undefined) checkOptions(current.type, patch.options);
  const next: FieldDefinition = {
    ...current,
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(patch.options !== undefined ? { options: patch.options } : {}),
    updatedAt: now.toISOString(),
  };
  try {
    await fields.put(next, current.updatedAt);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('field_changed', `${fields.noun} ${name} changed meanwhile; reload and retry`);
    throw err;
  }
  return next;
}

export const createFieldDefinition = (deps: ContactsDeps, input: NewFieldDefinition) =>
  defineField(contactDefinitions(deps), deps.clock.now(), input);

export const updateFieldDefinition = (
  deps: ContactsDeps,
  name: string,
  patch: { label?: string | undefined; options?: string[] | undefined },
) => redefineField(contactDefinitions(deps), deps.clock.now(), name, patch);

function checkOptions(type: FieldType, options: string[] | undefined) {
  if (type === 'select' && (!options || options.length === 0)) {
    throw validationError('a select field needs options', [
      { path: 'options', message: 'list at least one option' },
    ]);
  }
  if (type !== 'select' && options !== undefined) {
    throw validationError('only select fields have options', [
      { path: 'options', message: 'only for type select' },
    ]);
  }
}

const TRUE = new Set(['true', 'yes', '1', 'on', 'y']);
const FALSE = new Set(['false', 'no', '0', 'off', 'n', '']);

/** One value converted to its field's type, or the reason it cannot be. */
export function coerceValue(
  def: FieldDefinition,
  value: FieldValue,
): { value: FieldValue } | { problem: string } {
  switch (def.type) {
    case 'text':
      return { value: String(value) };
    case 'number': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value.trim())
            : Number.NaN;
      return Number.isFinite(n) ? { value: n } : { problem: 'must be a number' };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const text = String(value).trim().toLowerCase();
      if (TRUE.has(text)) return { value: true };
      if (FALSE.has(text)) return { value: false };
      return { problem: 'must be true or false' };
    }
    case 'date': {
      const text = String(value).trim();
      const m = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
      const day = m?.[1];
      // A real calendar day (no 30 February: Date would roll it over), and a time that parses.
      const parsed = day === undefined ? Number.NaN : Date.parse(`${day}T00:00:00Z`);
      const real = !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(String(day));
      if (!day || !real || (m?.[2] !== undefined && Number.isNaN(Date.parse(text))))
        return { problem: 'must be a date (YYYY-MM-DD)' };
      return { value: day };
    }
    case 'select': {
      const text = String(value).trim();
      const option = def.options?.find((o) => o.toLowerCase() === text.toLowerCase());
      return option !== undefined
        ? { value: option }
        : { problem: `must be one of ${(def.options ?? []).join(', ')}` };
    }
  }
}

/**
 * Converts custom-field values by their definitions; throws a 400 listing every value that does
 * not fit (at `<prefix>.<name>`). `null` (clear) passes through.
 */
export function coerceFields<T extends FieldValue | null>(
  definitions: FieldDefinition[],
  fields: Record<string, T>,
  prefix = 'fields',
): Record<string, T | FieldValue> {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const out: Record<string, T | FieldValue> = {};
  const problems: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const def = byName.get(name);
    if (!def || value === null) {
      out[name] = value;
      continue;
    }
    const coerced = coerceValue(def, value as FieldValue);
    if ('problem' in coerced) {
      problems.push({
        path: prefix ? `${prefix}.${name}` : name,
        code: 'invalid_value',
        message: coerced.problem,
      });
    } else out[name] = coerced.value;
  }
  if (problems.length > 0) throw validationError('custom fields do not match their definitions', problems);
  return out;
}

/** Converts the custom fields of a write, reading the definitions only when there are fields. */
export async function typedFields(
  deps: ContactsDeps,
  fields: CustomFields | undefined,
  prefix = 'fields',
): Promise<CustomFields | undefined> {
  if (!fields || Object.keys(fields).length === 0) return fields;
  return coerceFields(await deps.store.listFieldDefinitions(), fields, prefix) as CustomFields;
}
