/**
 * CSV import and export of contacts. Import: a header row names the columns (email required; the
 * standard properties, `tags` separated by `;`, any other column a custom field). Each row is
 * validated on its own: bad rows are reported with their line number and reasons, good rows are
 * kept; a row whose email already exists (or appeared earlier in the file) merges into that
 * contact, filling only blanks and adding tags. Export: formula-injection-safe CSV.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { DomainError, type ErrorDetail } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { emailSchema, fieldKeySchema, ownValue, shortText, tagSchema } from '#platform/values.js';
import { CsvError, parseCsv, toCsv } from './csv.js';
import { coerceFields } from './field-definitions.js';
import { CONTACT_PROPERTIES, type Contact, type CustomFields, type ImportReport } from './model.js';
import { upsertContactWrites } from './rules.js';
import type { ContactsDeps } from './store.js';

export const MAX_IMPORT_ROWS = 5000;
export const EXPORT_PAGE = 5000;
const IMPORT_CONCURRENCY = 8;
const STANDARD = ['email', ...CONTACT_PROPERTIES, 'tags'] as const;
/** Columns Tendril sets itself: written by export, ignored by import. */
const RESERVED_EXPORT = ['id', 'createdAt', 'updatedAt', 'unsubscribedAt'];

const rowSchema = z.strictObject({
  email: emailSchema,
  firstName: z.optional(shortText(200)),
  lastName: z.optional(shortText(200)),
  phone: z.optional(shortText(32)),
  company: z.optional(shortText(200)),
  source: z.optional(shortText(200)),
  tags: z.optional(z.array(tagSchema).check(z.maxLength(25))),
  fields: z.optional(z.record(fieldKeySchema, z.string().check(z.maxLength(2000)))),
});

function badFile(message: string, details: ErrorDetail[] = []) {
  return new DomainError('invalid', 'invalid_csv', message, details);
}

export async function importContacts(deps: ContactsDeps, csv: string): Promise<ImportReport> {
  let rows: string[][];
  try {
    rows = parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvError)
      throw badFile(`line ${err.line}: ${err.message}`, [{ path: `line.${err.line}`, message: err.message }]);
    throw err;
  }
  const [header, ...body] = rows;
  if (!header) throw badFile('the file is empty; it needs a header row');
  const columns = header.map((h) => h.trim());
  const problems: ErrorDetail[] = [];
  columns.forEach((name, i) => {
    const known = (STANDARD as readonly string[]).includes(name) || RESERVED_EXPORT.includes(name);
    if (!known && !fieldKeySchema.safeParse(name).success)
      problems.push({
        path: `header.${i}`,
        message: `${JSON.stringify(name)} is not a property or a valid field name`,
      });
    if (columns.indexOf(name) !== i) problems.push({ path: `header.${i}`, message: `${name} appears twice` });
  });
  if (!columns.includes('email')) problems.push({ path: 'header', message: 'an email column is required' });
  if (problems.length > 0) throw badFile('the header row is not valid', problems);
  const dataRows = body
    .map((cells, i) => ({ cells, line: i + 2 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  if (dataRows.length > MAX_IMPORT_ROWS)
    throw badFile(`at most ${MAX_IMPORT_ROWS} rows per import; split the file`);

  const report: ImportReport = { rows: dataRows.length, created: 0, merged: 0, failed: 0, errors: [] };
  const definitions = await deps.store.listFieldDefinitions();
  // Rows of one email run one after another (so duplicates merge), different emails in parallel.
  const byEmail = new Map<string, Array<{ line: number; input: z.infer<typeof rowSchema> }>>();
  for (const { cells, line } of dataRows) {
    const raw: Record<string, unknown> = {};
    const fields: Record<string, string> = {};
    if (cells.length !== columns.length) {
      report.failed++;
      report.errors.push({
        line,
        details: [{ path: 'row', message: `has ${cells.length} cells; the header has ${columns.length}` }],
      });
      continue;
    }
    columns.forEach((name, i) => {
      const value = (cells[i] ?? '').trim();
      // Columns Tendril sets itself (present in an export) are ignored, so an export re-imports.
      if (value === '' || RESERVED_EXPORT.includes(name)) return;
      if (name === 'tags')
        raw.tags = value
          .split(';')
          .map((t) => t.trim())
          .filter(Boolean);
      else if ((STANDARD as readonly string[]).includes(name)) raw[name] = value;
      else fields[name] = value;
    });
    if (Object.keys(fields).length > 0) raw.fields = fields;
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      report.failed++;
      report.errors.push({
        line,
        ...(typeof raw.email === 'string' ? { email: raw.email } : {}),
        details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
      continue;
    }
    // Typed custom fields: "25" in a number column is 25; a value that does not fit fails its row.
    let typed: typeof parsed.data.fields;
    try {
      typed = parsed.data.fields
        ? (coerceFields(definitions, parsed.data.fields) as typeof parsed.data.fields)
        : undefined;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      report.failed++;
      report.errors.push({ line, email: parsed.data.email, details: err.details as ErrorDetail[] });
      continue;
    }
    const group = byEmail.get(parsed.data.email) ?? [];
    group.push({ line, input: { ...parsed.data, ...(typed ? { fields: typed } : {}) } });
    byEmail.set(parsed.data.email, group);
  }

  const groups = [...byEmail.values()];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++] ?? [];
      for (const { line, input } of group) {
        try {
          const created = await upsertRow(deps, input);
          if (created) report.created++;
          else report.merged++;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          report.failed++;
          report.errors.push({ line, email: input.email, details: [{ path: 'row', message: err.message }] });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: IMPORT_CONCURRENCY }, worker));
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

async function upsertRow(deps: ContactsDeps, input: z.infer<typeof rowSchema>): Promise<boolean> {
  return withOptimisticRetry(
    async () => {
      const [existingId, suppression] = await Promise.all([
        deps.store.findContactIdByEmail(input.email),
        deps.store.getSuppression(input.email),
      ]);
      const existing = existingId ? await deps.store.getContact(existingId) : undefined;
      const { created, writes } = upsertContactWrites(
        deps,
        existing,
        { ...input, fields: input.fields as CustomFields | undefined },
        deps.clock.now(),
        undefined,
        suppression,
      );
      await deps.store.commit(writes);
      return created;
    },
    () => true,
  );
}

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
  const header = ['id', 'email', ...CONTACT_PROPERTIES, 'tags', 'createdAt', 'unsubscribedAt', ...fieldNames];
  const rows = contacts.map((c) => [
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
  ]);
  return { csv: toCsv([header, ...rows]), ...(nextCursor ? { nextCursor } : {}) };
}
