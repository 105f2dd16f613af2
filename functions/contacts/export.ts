/** CSV export of contacts: formula-injection-safe, a page of 5,000 at a time. (Imports are jobs: functions/imports.) */
import { ownValue } from '#platform/values.js';
import { toCsv } from './csv.js';
import { CONTACT_PROPERTIES, type Contact } from './model.js';
import type { ContactsDeps } from './store.js';

export const EXPORT_PAGE = 5000;

/** One page of contacts as CSV (newest first), with the cursor of the next page. */
export async function exportContacts(
  deps: ContactsDeps,
  query: { tag?: string | undefined; cursor?: string | undefined },
): Promise<{ csv: string; nextCursor?: string }> {
  const options = { limit: 100, cursor: query.cursor };
  const contacts: Contact[] = [];
  let nextCursor: string | undefined;
  do {
    const page = query.tag
      ? await deps.store.listContactsByTag(query.tag, options)
      : await deps.store.listContacts(options);
    contacts.push(...page.items);
    nextCursor = page.nextCursor;
    options.cursor = nextCursor;
  } while (nextCursor && contacts.length < EXPORT_PAGE);
  const fieldNames = [...new Set(contacts.flatMap((c) => Object.keys(c.fields)))].sort();
  const header = csvHeader(fieldNames);
  const rows = contacts.map((c) => csvRow(c, fieldNames));
  return { csv: toCsv([header, ...rows]), ...(nextCursor ? { nextCursor } : {}) };
}

/** The export's columns: the properties, then the custom fields named. */
export const csvHeader = (fieldNames: string[]) => [
  'id',
  'email',
  ...CONTACT_PROPERTIES,
  'tags',
  'createdAt',
  'unsubscribedAt',
  ...fieldNames,
];

/** One contact as export cells, in `csvHeader(fieldNames)` order. */
export const csvRow = (c: Contact, fieldNames: string[]) => [
  c.id,
  c.email,
  ...CONTACT_PROPERTIES.map((p) => c[p] ?? ''),
  c.tags.join(';'),
  c.createdAt,
  c.unsubscribedAt ?? '',
  ...fieldNames.map((f) => {
    const value = ownValue(c.fields, f);
    return value === undefined ? '' : String(value);
  }),
];
