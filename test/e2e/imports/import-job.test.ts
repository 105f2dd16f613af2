/**
 * An import as a user runs it against `npm start`: upload to the presigned URL (s3rver), preview,
 * start, watch; kill -9 of the whole process group mid-import, restart, and the job finishes with
 * every row exactly once. Bad input is refused with a 4xx and writes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  startLocalServer,
} from '#test/support/local-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tendril-import-'));
let server: LocalServer;
after(() => server?.stop());
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

const ROWS = 3000;
const BAD_LINES = [101, 2002]; // an invalid email, a seat count that is not a number
function listCsv(): string {
  const lines = ['E-mail,First Name,Phone Number,Seats,Tags'];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    if (line === BAD_LINES[0]) lines.push('not-an-email,Bad,1,1,');
    else if (line === BAD_LINES[1]) lines.push(`row${i}@example.com,Bad,1,many,`);
    else lines.push(`row${i}@example.com,Row ${i},+1 555 ${i},${i % 40},customer;2026`);
  }
  return `${lines.join('\n')}\n`;
}

async function view(id: string) {
  const res = await api('GET', `/v1/imports/${id}`);
  assert.equal(res.status, 200);
  return res.json as {
    import: { status: string; counts: Record<string, number>; chunksDone: number; rows?: number };
  };
}

describe('an import job on the local CRM', () => {
  it('survives kill -9 mid-import: after a restart every row is written exactly once', {
    timeout: 600_000,
  }, async () => {
    server = await startLocalServer(dataDir);
    assert.equal(
      (await api('POST', '/v1/fields', { name: 'Seats', label: 'Seats', type: 'number' })).status,
      201,
    );
    const csv = listCsv();
    const size = Buffer.byteLength(csv);
    const created = await api('POST', '/v1/imports', { fileName: 'list.csv', size });
    assert.equal(created.status, 201);
    const id = created.json.import.id as string;
    const upload = await fetch(created.json.upload.url, {
      method: 'PUT',
      headers: created.json.upload.headers,
      body: csv,
    });
    assert.equal(upload.status, 200, await upload.text());

    const preview = await api('GET', `/v1/imports/${id}/preview`);
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.json.guessed, [
      { kind: 'email' },
      { kind: 'property', name: 'firstName' },
      { kind: 'property', name: 'phone' },
      { kind: 'field', name: 'Seats' },
      { kind: 'tags' },
    ]);
    const started = await api('POST', `/v1/imports/${id}/start`, {
      options: { consentBasis: 'consent', tags: ['spring-list'], triggerAutomations: false },
    });
    assert.equal(started.status, 202);

    // Some chunks written, most not: then the crash.
    await eventually(async () => ((await view(id)).import.chunksDone >= 3 ? true : undefined), 120_000);
    await server.kill9();
    server = await startLocalServer(dataDir);
    const done = await eventually(async () => {
      const v = await view(id);
      return v.import.status === 'completed' ? v : undefined;
    }, 480_000);
    assert.deepEqual(done.import.counts, {
      processed: ROWS,
      created: ROWS - 2,
      updated: 0,
      unchanged: 0,
      failed: 2,
    });

    // Exactly once: one contact per good row, one ContactCreated each, one ImportCompleted (once
    // the outbox is published: the events follow the rows).
    await eventually(
      () =>
        idle(server).then(
          () => true,
          () => undefined,
        ),
      300_000,
    );
    // The bus archive (events.jsonl) holds what was published before the crash too. Delivery is at
    // least once (a publisher killed mid-batch publishes again): the same event id, never a new one.
    const archive = readFileSync(join(dataDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { 'detail-type': string; detail: Record<string, unknown> });
    const createdEvents = new Map<string, Set<unknown>>();
    for (const e of archive) {
      if (e['detail-type'] !== 'ContactCreated' || e.detail.fromImport !== id) continue;
      const ids = createdEvents.get(String(e.detail.contactId)) ?? new Set();
      ids.add(e.detail.eventId);
      createdEvents.set(String(e.detail.contactId), ids);
    }
    assert.equal(createdEvents.size, ROWS - 2);
    assert.ok(
      [...createdEvents.values()].every((ids) => ids.size === 1),
      'one ContactCreated per contact',
    );
    const completedIds = new Set(
      archive.filter((e) => e['detail-type'] === 'ImportCompleted').map((e) => e.detail.eventId),
    );
    assert.equal(completedIds.size, 1);
    let listed = 0;
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await api(
        'GET',
        `/v1/contacts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      listed += page.json.items.length;
      cursor = page.json.nextCursor;
    }
    assert.equal(listed, ROWS - 2);
    const sample = await api('GET', '/v1/contacts?email=row7@example.com');
    assert.deepEqual(
      [sample.json.items[0].firstName, sample.json.items[0].fields.Seats, sample.json.items[0].tags],
      ['Row 7', 7, ['2026', 'customer', 'spring-list']],
    );

    const report = await fetch(`${server.url}/v1/imports/${id}/errors`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    assert.equal(report.status, 200);
    const lines = (await report.text()).trim().split(/\r?\n/);
    assert.deepEqual(
      lines.slice(1).map((l) => Number(l.split(',')[0])),
      BAD_LINES,
    );
    const dashboard = await api('GET', '/v1/reports/dashboard');
    assert.equal(dashboard.json.contacts.imported, ROWS - 2);
    assert.equal(dashboard.json.leads.total, 0, 'imported contacts are not leads');
    assert.deepEqual((await api('GET', '/_local/dead-letters')).json.items, []);

    // The imported list, exported as a job: a CSV from s3rver through the presigned link.
    const exported = await api('POST', '/v1/bulk-actions', {
      action: { kind: 'export' },
      audience: { kind: 'tag', tag: 'spring-list' },
    });
    assert.equal(exported.status, 202);
    const exportView = await eventually(async () => {
      const v = await api('GET', `/v1/bulk-actions/${exported.json.id}`);
      return v.json.job.status === 'completed' ? v.json : undefined;
    }, 120_000);
    const file = await fetch(exportView.downloadUrl);
    assert.equal(file.status, 200);
    assert.match(String(file.headers.get('content-disposition')), /attachment/);
    const exportedLines = (await file.text()).trim().split(/\r\n/);
    assert.equal(exportedLines.length, ROWS - 2 + 1, 'a header and one line per imported contact');

    // A bulk action on a selection, and one person's data.
    const ids = (await api('GET', '/v1/contacts?tag=spring-list&limit=3')).json.items.map(
      (c: { id: string }) => c.id,
    );
    const tagged = await api('POST', '/v1/bulk-actions', {
      action: { kind: 'addTag', tag: 'vip' },
      audience: { kind: 'selection', contactIds: ids },
    });
    const tagView = await eventually(async () => {
      const v = await api('GET', `/v1/bulk-actions/${tagged.json.id}`);
      return v.json.job.status === 'completed' ? v.json : undefined;
    }, 60_000);
    assert.deepEqual(tagView.job.counts, { processed: 3, changed: 3, unchanged: 0, failed: 0 });
    assert.equal((await api('GET', '/v1/contacts?tag=vip&limit=10')).json.items.length, 3);
    const person = await api('POST', `/v1/contacts/${ids[0]}/data-export`);
    assert.equal(person.status, 202);
    const personView = await eventually(async () => {
      const v = await api('GET', `/v1/bulk-actions/${person.json.id}`);
      return v.json.job.status === 'completed' ? v.json : undefined;
    }, 60_000);
    const data = (await (await fetch(personView.downloadUrl)).json()) as {
      contact: { id: string; tags: string[] };
      records: Array<{ type: string }>;
    };
    assert.equal(data.contact.id, ids[0]);
    assert.ok(data.contact.tags.includes('vip'));
    assert.ok(data.records.some((r) => r.type === 'ContactTag'));
  });

  it('imports a CSV sent as the request body as a job, and refuses bad input with a 4xx, writing nothing', async () => {
    server ??= await startLocalServer(dataDir);
    const body = 'email,firstName\nbody1@example.com,B1\nbody2@example.com,B2\n';
    const res = await fetch(
      `${server.url}/v1/contacts/import?consentBasis=legitimate_interest&tags=from-api`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
        body,
      },
    );
    assert.equal(res.status, 202);
    const job = (await res.json()) as { id: string };
    const done = await eventually(async () => {
      const v = await view(job.id);
      return v.import.status === 'completed' ? v : undefined;
    }, 60_000);
    assert.equal(done.import.counts.created, 2);

    const imports = (await api('GET', '/v1/imports?limit=100')).json.items.length;
    const refusals: Array<[string, string, unknown, number, string]> = [
      ['POST', '/v1/imports', { fileName: 'x.csv', size: 600 * 1024 * 1024 }, 400, 'validation_error'],
      ['POST', '/v1/imports', { fileName: '', size: 10 }, 400, 'validation_error'],
      ['GET', '/v1/imports/01JF0000000000000000000000', undefined, 404, 'not_found'],
      ['GET', '/v1/imports/01JF0000000000000000000000/errors', undefined, 404, 'not_found'],
      [
        'POST',
        '/v1/imports/01JF0000000000000000000000/start',
        { options: { consentBasis: 'consent' } },
        404,
        'not_found',
      ],
    ];
    for (const [method, path, payload, status, code] of refusals) {
      const r = await api(method, path, payload);
      assert.equal(r.status, status, `${method} ${path}`);
      assert.equal(r.json.error.code, code, `${method} ${path}`);
    }
    // Uploaded, but no column is an email: refused at start with the reason, the import stays a draft.
    const csv = 'name,city\nAda,London\n';
    const draft = await api('POST', '/v1/imports', { fileName: 'n.csv', size: Buffer.byteLength(csv) });
    assert.equal(
      (await api('GET', `/v1/imports/${draft.json.import.id}/preview`)).status,
      409,
      'not uploaded yet',
    );
    await fetch(draft.json.upload.url, { method: 'PUT', headers: draft.json.upload.headers, body: csv });
    const refused = await api('POST', `/v1/imports/${draft.json.import.id}/start`, {
      options: { consentBasis: 'consent' },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.code, 'invalid_mapping');
    assert.match(JSON.stringify(refused.json.error.details), /one column must be mapped to email/);
    assert.equal((await view(draft.json.import.id)).import.status, 'draft');
    const noBasis = await fetch(`${server.url}/v1/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
      body,
    });
    assert.equal(noBasis.status, 400, 'the consent basis of a list is required');
    assert.equal((await api('GET', '/v1/imports?limit=100')).json.items.length, imports + 1);
  });

  it('takes a file over 10 MB in parts, refusing a completion with a part missing or a wrong ETag', {
    timeout: 300_000,
  }, async () => {
    const notes = 'n'.repeat(10_000);
    const lines = ['email,notes'];
    for (let i = 0; i < 1100; i++) lines.push(`part${i}@example.com,${notes}`);
    const file = Buffer.from(`${lines.join('\n')}\n`);
    const created = await api('POST', '/v1/imports', { fileName: 'wide.csv', size: file.length });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const { upload } = created.json as {
      upload: { method: string; partSize: number; parts: Array<{ number: number; url: string }> };
    };
    assert.equal(upload.method, 'multipart');
    assert.equal(upload.parts.length, Math.ceil(file.length / upload.partSize));
    assert.ok(upload.parts.length >= 2);
    const id = created.json.import.id as string;
    const put = async (part: { number: number; url: string }, size?: number) => {
      const from = (part.number - 1) * upload.partSize;
      const body = file.subarray(from, size === undefined ? from + upload.partSize : from + size);
      const res = await fetch(part.url, { method: 'PUT', body });
      return { status: res.status, etag: res.headers.get('etag') ?? '' };
    };
    // A part cut short is refused by its signed length.
    const first = upload.parts[0] as { number: number; url: string };
    assert.equal((await put(first, 1000)).status, 403);
    const sent = [];
    for (const part of upload.parts) {
      const res = await put(part);
      assert.equal(res.status, 200);
      sent.push({ number: part.number, etag: res.etag });
    }
    const complete = (parts: unknown) => api('POST', `/v1/imports/${id}/upload/complete`, { parts });
    const missing = await complete(sent.slice(1));
    assert.deepEqual([missing.status, missing.json.error.code], [400, 'parts_missing']);
    const wrong = await complete(sent.map((p, i) => (i === 0 ? { ...p, etag: '"0000"' } : p)));
    assert.deepEqual([wrong.status, wrong.json.error.code], [400, 'parts_refused']);
    assert.equal((await api('GET', `/v1/imports/${id}/preview`)).status, 409, 'not assembled yet');
    assert.equal((await complete(sent)).status, 200);
    assert.equal((await complete(sent)).status, 200, 'completing again is answered the same');
    const preview = await api('GET', `/v1/imports/${id}/preview`);
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.json.header, ['email', 'notes']);
    const started = await api('POST', `/v1/imports/${id}/start`, {
      mapping: [{ kind: 'email' }, { kind: 'ignore' }],
      options: { consentBasis: 'consent', triggerAutomations: false },
    });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const done = await eventually(async () => {
      const v = await view(id);
      return v.import.status === 'completed' ? v : undefined;
    }, 240_000);
    assert.deepEqual([done.import.counts.created, done.import.counts.failed], [1100, 0]);
    // A single-PUT import has nothing to complete.
    const small = await api('POST', '/v1/imports', { fileName: 's.csv', size: 100 });
    const nothing = await api('POST', `/v1/imports/${small.json.import.id}/upload/complete`, {
      parts: [{ number: 1, etag: '"x"' }],
    });
    assert.deepEqual([nothing.status, nothing.json.error.code], [409, 'not_multipart']);
  });
});
