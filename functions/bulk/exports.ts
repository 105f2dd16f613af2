/**
 * Exports, as bulk actions: an audience (a tag, a segment, a selection) as a formula-safe CSV, or
 * everything keyed to one person as JSON (a GDPR access request). The planner writes the file to the
 * files bucket as a stream (a multipart upload: never whole in memory), page by page from the
 * audience's index, recording progress; a rerun writes the whole file again (same key). The job
 * then offers a presigned download.
 */

import { toCsv } from '#contacts/csv.js';
import { csvHeader, csvRow } from '#contacts/export.js';
import type { FileStore } from '#platform/files.js';
import type { BulkJob } from './model.js';
import type { BulkDeps } from './store.js';

export const exportFileKey = (jobId: string, extension: 'csv' | 'json') => `exports/${jobId}.${extension}`;
/** How long a download link stays valid. */
export const DOWNLOAD_URL_SECONDS = 3600;

type Page = (cursor: string | undefined) => Promise<{ ids: string[]; cursor?: string }>;

/** Streams the audience as CSV; `progress` is told the contacts written so far (false: stop). */
export async function writeAudienceCsv(
  deps: BulkDeps,
  files: FileStore,
  job: BulkJob,
  page: Page,
  progress: (written: number) => Promise<boolean>,
): Promise<number | undefined> {
  // Columns: the defined custom fields, and any other field found on the first page; fields found
  // only later go into `otherFields` as JSON, so nothing is dropped.
  const first = await page(undefined);
  const firstContacts = await deps.store.getContacts(first.ids);
  const defined = (await deps.store.listFieldDefinitions()).map((d) => d.name);
  const seen = [...firstContacts.values()].flatMap((c) => Object.keys(c.fields));
  const fieldNames = [...new Set([...defined, ...seen])].sort();
  const known = new Set(fieldNames);
  let written = 0;
  let stopped = false;
  async function* lines(): AsyncGenerator<string> {
    yield toCsv([[...csvHeader(fieldNames), 'otherFields']]);
    let current: { ids: string[]; cursor?: string } = first;
    let contacts = firstContacts;
    for (;;) {
      const rows = current.ids.flatMap((id) => {
        const c = contacts.get(id);
        if (!c) return []; // deleted meanwhile
        const other = Object.fromEntries(Object.entries(c.fields).filter(([name]) => !known.has(name)));
        return [[...csvRow(c, fieldNames), Object.keys(other).length > 0 ? JSON.stringify(other) : '']];
      });
      if (rows.length > 0) yield toCsv(rows);
      written += rows.length;
      if (!(await progress(written))) {
        stopped = true;
        return;
      }
      if (!current.cursor) return;
      current = await page(current.cursor);
      contacts = await deps.store.getContacts(current.ids);
    }
  }
  await files.write(exportFileKey(job.id, 'csv'), lines(), 'text/csv; charset=utf-8');
  return stopped ? undefined : written;
}

/** Everything keyed to one person, as JSON: profile, tags, timeline, enrollments, sends, follow-ups, suppression. */
export async function writePersonJson(deps: BulkDeps, files: FileStore, job: BulkJob, contactId: string) {
  const contact = await deps.store.getContact(contactId);
  if (!contact) return 0;
  const [records, suppression, followUps] = await Promise.all([
    deps.store.contactRecords(contactId),
    deps.store.getSuppression(contact.email),
    collect((cursor) => deps.store.listFollowUps(contactId, { limit: 100, cursor })),
  ]);
  async function* json(): AsyncGenerator<string> {
    yield JSON.stringify(
      {
        exportedAt: deps.clock.now().toISOString(),
        contact,
        records,
        followUps,
        ...(suppression ? { suppression } : {}),
      },
      null,
      2,
    );
  }
  await files.write(exportFileKey(job.id, 'json'), json(), 'application/json');
  return 1;
}

async function collect<T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>) {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
