/**
 * The writes of one imported row: a new contact, or a known one filled (blanks only) or overwritten,
 * marked with the row that wrote it so a retried chunk recognizes its own rows and writes nothing
 * twice. Its events name the import and, when it asked for it, are silent (no workflow enrolls).
 * The list's email basis goes on the contacts it creates; a known contact keeps its own standing.
 */
import { ownValue, uniqueSorted } from '#platform/values.js';
import {
  CONTACT_PROPERTIES,
  type Contact,
  type ContactProperty,
  type EmailBasis,
  type Suppression,
} from './model.js';
import { blanksOf, type ImportOrigin, type NewContact, newContactWrites, tagWrites } from './rules.js';
import type { ContactsDeps, ContactsWrite } from './store.js';

export interface ImportedRow {
  line: number;
  input: NewContact;
}

export interface ImportSettings extends ImportOrigin {
  mode: 'fill_blanks' | 'overwrite';
  emailBasis: EmailBasis;
}

export type RowResult = 'created' | 'updated' | 'unchanged';

export function importedContactWrites(
  deps: ContactsDeps,
  row: ImportedRow,
  existing: Contact | undefined,
  suppression: Suppression | undefined,
  settings: ImportSettings,
  now: Date,
): { result: RowResult; writes: ContactsWrite[]; tagsAdded: string[] } {
  const mark = existing?.lastImport;
  if (existing && mark && mark.importId === settings.importId && mark.line === row.line) {
    // Written by an earlier attempt. (The tags an earlier update added are not known any more.)
    const tagsAdded = mark.result === 'created' ? uniqueSorted(row.input.tags ?? []) : [];
    return { result: mark.result, writes: [], tagsAdded };
  }
  if (!existing) {
    const created = newContactWrites(deps, row.input, now, suppression, settings);
    created.contact.emailBasis = settings.emailBasis;
    created.contact.lastImport = { importId: settings.importId, line: row.line, result: 'created' };
    return { result: 'created', writes: created.writes, tagsAdded: created.contact.tags };
  }
  const addTags = uniqueSorted(row.input.tags ?? []).filter((t) => !existing.tags.includes(t));
  const values = { ...pick(row.input), fields: row.input.fields ?? {} };
  let change: Pick<Extract<ContactsWrite, { kind: 'mergeContact' }>, 'fillBlanks' | 'overwrite'>;
  if (settings.mode === 'overwrite') {
    const { fields, ...properties } = values;
    const changed = Object.fromEntries(
      Object.entries(properties).filter(
        ([name, value]) => existing[name as keyof typeof properties] !== value,
      ),
    );
    const changedFields = Object.fromEntries(
      Object.entries(fields).filter(([name, value]) => ownValue(existing.fields, name) !== value),
    );
    change = {
      fillBlanks: {},
      overwrite: { ...changed, ...(Object.keys(changedFields).length > 0 ? { fields: changedFields } : {}) },
    };
  } else change = { fillBlanks: blanksOf(existing, values) };
  const changes =
    addTags.length > 0 ||
    Object.keys(change.fillBlanks).length > 0 ||
    Object.keys(change.overwrite ?? {}).length > 0;
  if (!changes) return { result: 'unchanged', writes: [], tagsAdded: [] };
  return {
    result: 'updated',
    tagsAdded: addTags,
    writes: [
      {
        kind: 'mergeContact',
        contactId: existing.id,
        ...change,
        addTags,
        lastImport: { importId: settings.importId, line: row.line, result: 'updated' },
        updatedAt: now.toISOString(),
      },
      ...tagWrites(deps, existing.id, addTags, now, settings),
    ],
  };
}

function pick(input: NewContact) {
  const out: Partial<Record<ContactProperty, string>> = {};
  for (const key of CONTACT_PROPERTIES) {
    const value = input[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
