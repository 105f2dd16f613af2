/**
 * Import jobs on DynamoDB Local: the same use cases the handlers run (create, start, plan, chunk
 * workers), with the bucket and queue in memory. Rows are kept or refused by line, duplicates merge,
 * a chunk delivered twice or retried after a crash writes every row and event exactly once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enrollFromEvent } from '#automation/enrollment.js';
import * as workflows from '#automation/workflows.js';
import { exportContacts } from '#contacts/export.js';
import * as contacts from '#contacts/rules.js';
import { processChunk } from '#imports/chunk.js';
import { cancelImport, createImport, previewImport, startImport, viewOf } from '#imports/imports.js';
import type { ChunkMessage } from '#imports/model.js';
import { planImport } from '#imports/planner.js';
import type { ImportsDeps } from '#imports/store.js';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { DEFAULT_OPTIONS, drain, memoryFiles, memoryQueue, runImport } from '#test/support/imports.js';
import { RecordingEngine } from '#test/support/workflows.js';

const rowsOf = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `user${from + i}@example.com,User${from + i},pro`).join('\n');

async function contactCount(t: TestTable) {
  return (await t.items()).filter((i) => i._type === 'Contact').length;
}

describe('import jobs', () => {
  it('keeps valid rows, refuses bad ones by line, merges duplicates without overwriting, and re-imports its export', async () => {
    const t = await createTestTable();
    await contacts.createContact(t.deps, { email: 'known@example.com', firstName: 'Kept' });
    const job = await runImport(
      t.deps,
      [
        'E-mail,First Name,Company,Tags,tier',
        'new@example.com,Nia,Acme,a;b,gold',
        'known@example.com,Replaced?,Globex,c,',
        'bad-email,X,,,',
        '"NEW@example.com",,"Two',
        'lines",d,',
        'new2@example.com,too,many,cells,here,extra',
        ',,,,',
        'x@example.com,,,bad tag!,',
      ].join('\r\n'),
    );
    assert.equal(job.status, 'completed');
    assert.deepEqual(job.counts, { processed: 6, created: 1, updated: 2, unchanged: 0, failed: 3 });
    assert.equal(job.rows, 6);
    const errors = await t.deps.store.listRowErrors(job.id, { limit: 10 });
    assert.deepEqual(
      errors.items.map((e) => e.line),
      [4, 7, 9],
    );
    const known = await t.deps.store.getContact(
      String(await t.deps.store.findContactIdByEmail('known@example.com')),
    );
    assert.equal(known?.firstName, 'Kept');
    assert.equal(known?.company, 'Globex');
    assert.deepEqual(known?.tags, ['c']);
    const fresh = await t.deps.store.getContact(
      String(await t.deps.store.findContactIdByEmail('new@example.com')),
    );
    assert.deepEqual(fresh?.tags, ['a', 'b', 'd']);
    assert.equal(fresh?.company, 'Acme', 'the second row only filled blanks');
    assert.equal(fresh?.fields.tier, 'gold');
    assert.equal(fresh?.emailBasis, 'consent');

    // An export imports back unchanged: nothing created, nothing updated.
    const { csv } = await exportContacts(t.deps, {});
    const again = await runImport(t.deps, csv);
    assert.deepEqual(again.counts, { processed: 2, created: 0, updated: 0, unchanged: 2, failed: 0 });
  });

  it('overwrites in overwrite mode, adds the list tags, marks its events, and counts imported contacts apart from leads', async () => {
    const t = await createTestTable();
    await contacts.createContact(t.deps, {
      email: 'a@example.com',
      firstName: 'Old',
      fields: { plan: 'free' },
    });
    const job = await runImport(
      t.deps,
      'email,firstName,plan\na@example.com,New,pro\nb@example.com,Bea,pro\n',
      { mode: 'overwrite', tags: ['webinar'], triggerAutomations: false, consentBasis: 'none' },
    );
    assert.deepEqual(job.counts, { processed: 2, created: 1, updated: 1, unchanged: 0, failed: 0 });
    const a = await t.deps.store.getContact(String(await t.deps.store.findContactIdByEmail('a@example.com')));
    assert.deepEqual(
      [a?.firstName, a?.fields.plan, a?.tags, a?.emailBasis],
      ['New', 'pro', ['webinar'], undefined],
    );
    const b = await t.deps.store.getContact(String(await t.deps.store.findContactIdByEmail('b@example.com')));
    assert.equal(b?.emailBasis, 'none', 'a list without a basis is never mailed');

    const events = (await outboxEvents(t)).filter((e) => e.detail.fromImport === job.id);
    assert.deepEqual(events.map((e) => e.detailType).sort(), [
      'ContactCreated',
      'ContactTagged',
      'ContactTagged',
    ]);
    assert.ok(
      events.every((e) => e.detail.silent === true),
      'no automation is triggered',
    );
    const completed = (await outboxEvents(t)).filter((e) => e.detailType === 'ImportCompleted');
    assert.equal(completed.length, 1);
    assert.deepEqual(completed[0]?.detail.tagsAdded, { webinar: 2 });

    // The dashboard rule leaves the import's contact events out and counts ImportCompleted.
    for (const e of await outboxEvents(t)) {
      if (e.detail.fromImport) continue;
      await projectEvent(t.deps, parseEvent(e.detailType, e.detail));
    }
    const report = await dashboard(t.deps, {});
    assert.deepEqual(
      [report.contacts.total, report.contacts.imported, report.leads.total],
      [2, 1, 1],
      'the contact created by hand is a lead; the imported one is not',
    );
    assert.equal(report.tags.find((x) => x.tag === 'webinar')?.count, 2);
  });

  it('imports a time zone column in its canonical spelling, refuses a row whose zone is none, and re-imports its export', async () => {
    const t = await createTestTable();
    const job = await runImport(
      t.deps,
      [
        'Email,Time zone',
        'paris@example.com,europe/paris',
        'mars@example.com,Mars/Base',
        'none@example.com,',
      ].join('\n'),
    );
    assert.deepEqual(job.counts, { processed: 3, created: 2, updated: 0, unchanged: 0, failed: 1 });
    const errors = await t.deps.store.listRowErrors(job.id, { limit: 10 });
    assert.deepEqual(errors.items, [
      {
        line: 3,
        email: 'mars@example.com',
        reasons: ['timeZone: "Mars/Base" must be an IANA time zone such as Europe/Paris'],
      },
    ]);
    const zoneOf = async (email: string) =>
      (await t.deps.store.getContact(String(await t.deps.store.findContactIdByEmail(email))))?.timeZone;
    assert.equal(await zoneOf('paris@example.com'), 'Europe/Paris');
    assert.equal(await zoneOf('none@example.com'), undefined);
    assert.equal(await t.deps.store.findContactIdByEmail('mars@example.com'), undefined);

    const moved = await runImport(t.deps, 'email,tz\nparis@example.com,asia/tokyo\n', { mode: 'overwrite' });
    assert.deepEqual(moved.counts, { processed: 1, created: 0, updated: 1, unchanged: 0, failed: 0 });
    assert.equal(await zoneOf('paris@example.com'), 'Asia/Tokyo');

    const { csv } = await exportContacts(t.deps, {});
    assert.match(csv.split(/\r?\n/)[0] ?? '', /,timeZone,/);
    const again = await runImport(t.deps, csv);
    assert.deepEqual(again.counts, { processed: 2, created: 0, updated: 0, unchanged: 2, failed: 0 });
  });

  it('writes every row and event once when chunks are delivered twice, concurrently or after a crash mid-chunk', async () => {
    const t = await createTestTable();
    const files = memoryFiles();
    const queue = memoryQueue();
    const csv = `email,firstName,plan\n${rowsOf(250)}\n${rowsOf(30)}\n`; // 30 duplicates of earlier rows
    const bytes = new TextEncoder().encode(csv);
    const { import: created } = await createImport(t.deps, files, { fileName: 'x.csv', size: bytes.length });
    await files.put(`imports/${created.id}.csv`, bytes, 'text/csv');
    await startImport(t.deps, files, created.id, { options: { ...DEFAULT_OPTIONS, tags: ['list'] } });
    await planImport(t.deps, files, queue, created.id);
    const chunks = [...queue.messages];
    assert.equal(chunks.length, 3);

    // A worker that dies after writing some of the chunk's transactions (before counting it).
    let commits = 0;
    const crashing: ImportsDeps = {
      ...t.deps,
      store: {
        ...t.deps.store,
        async commit(writes) {
          if (++commits === 3) throw new Error('killed');
          return t.deps.store.commit(writes);
        },
      },
    };
    await assert.rejects(processChunk(crashing, chunks[0] as ChunkMessage), /killed/);
    // Redelivery of everything, the first chunk twice at once.
    queue.messages.push(chunks[0] as ChunkMessage);
    await drain(t.deps, queue, 4);

    const job = await t.deps.store.getImport(created.id);
    assert.equal(job?.status, 'completed');
    assert.deepEqual(job?.counts, { processed: 280, created: 250, updated: 0, unchanged: 30, failed: 0 });
    assert.equal(await contactCount(t), 250);
    const events = await outboxEvents(t);
    assert.equal(events.filter((e) => e.detailType === 'ContactCreated').length, 250);
    assert.equal(events.filter((e) => e.detailType === 'ContactTagged').length, 250);
    assert.equal(events.filter((e) => e.detailType === 'ImportCompleted').length, 1);
  });

  it('stays race-safe against form submissions of the same emails', async () => {
    const t = await createTestTable();
    const racing = Array.from({ length: 40 }, (_, i) =>
      contacts.createContact(t.deps, { email: `user${i}@example.com`, firstName: 'Form' }).catch((err) => {
        if (!(err instanceof DomainError)) throw err;
      }),
    );
    const [job] = await Promise.all([runImport(t.deps, `email,firstName,plan\n${rowsOf(80)}\n`), ...racing]);
    assert.equal(job.counts.processed, 80);
    assert.equal(job.counts.failed, 0);
    assert.equal(await contactCount(t), 80, 'one contact per email');
  });

  it('resumes a planner that died: chunks it queued are not queued again, none is missing', async () => {
    const t = await createTestTable();
    const files = memoryFiles();
    const csv = `email\n${Array.from({ length: 2500 }, (_, i) => `p${i}@example.com`).join('\n')}\n`;
    const bytes = new TextEncoder().encode(csv);
    const { import: created } = await createImport(t.deps, files, { fileName: 'x.csv', size: bytes.length });
    await files.put(`imports/${created.id}.csv`, bytes, 'text/csv');
    await startImport(t.deps, files, created.id, { options: DEFAULT_OPTIONS });
    const sent: ChunkMessage[] = [];
    let calls = 0;
    const dying = {
      async send(batch: ChunkMessage[]) {
        if (++calls === 3) throw new Error('killed');
        sent.push(...batch);
      },
    };
    await assert.rejects(planImport(t.deps, files, dying, created.id), /killed/);
    const afterCrash = sent.length;
    await planImport(t.deps, files, { send: async (b) => void sent.push(...b) }, created.id);
    const ids = sent.map((m) => m.chunk);
    assert.deepEqual(
      [...new Set(ids)].sort((a, b) => a - b),
      Array.from({ length: 25 }, (_, i) => i),
    );
    assert.ok(ids.length - 25 <= afterCrash, 'at most what was queued since the last record is queued again');
    // Every row is in exactly one queued chunk (writing them is the chunk tests' business).
    const lines = new Set(sent.flatMap((m) => m.lines));
    assert.equal(lines.size, 2500);
    const job = await t.deps.store.getImport(created.id);
    assert.deepEqual([job?.status, job?.rows, job?.chunksTotal], ['processing', 2500, 25]);
  });

  it('cancels: chunks not yet written are dropped, the import says so and never completes', async () => {
    const t = await createTestTable();
    const files = memoryFiles();
    const queue = memoryQueue();
    const csv = `email,firstName,plan\n${rowsOf(300)}\n`;
    const bytes = new TextEncoder().encode(csv);
    const { import: created } = await createImport(t.deps, files, { fileName: 'x.csv', size: bytes.length });
    await files.put(`imports/${created.id}.csv`, bytes, 'text/csv');
    await startImport(t.deps, files, created.id, { options: DEFAULT_OPTIONS });
    await planImport(t.deps, files, queue, created.id);
    await processChunk(t.deps, queue.messages.shift() as ChunkMessage);
    await cancelImport(t.deps, created.id);
    await drain(t.deps, queue);
    const job = await t.deps.store.getImport(created.id);
    assert.deepEqual([job?.status, job?.counts.processed], ['cancelled', 100]);
    assert.equal(await contactCount(t), 100);
    await assert.rejects(
      cancelImport(t.deps, created.id),
      (e) => e instanceof DomainError && e.kind === 'conflict',
    );
  });

  it('refuses what cannot be imported: no upload yet, no email column, a file larger than declared', async () => {
    const t = await createTestTable();
    const files = memoryFiles();
    const { import: a } = await createImport(t.deps, files, { fileName: 'a.csv', size: 10 });
    await assert.rejects(
      previewImport(t.deps, files, a.id),
      (e) => e instanceof DomainError && e.code === 'not_uploaded',
    );
    await files.put(`imports/${a.id}.csv`, 'name,city\nAda,London\n', 'text/csv');
    const preview = await previewImport(t.deps, files, a.id);
    assert.deepEqual(preview.header, ['name', 'city']);
    await assert.rejects(
      startImport(t.deps, files, a.id, { options: DEFAULT_OPTIONS }),
      (e) => e instanceof DomainError && e.code === 'invalid_mapping',
    );
    assert.equal((await t.deps.store.getImport(a.id))?.status, 'draft', 'nothing changed');
    await assert.rejects(
      createImport(t.deps, files, { fileName: 'huge.csv', size: 600 * 1024 * 1024 }),
      (e) => e instanceof DomainError && e.code === 'file_too_large',
    );
  });

  it('imports the rows before an unclosed quote at the end and refuses that line', async () => {
    const t = await createTestTable();
    const job = await runImport(
      t.deps,
      'email,firstName\nq@example.com,5" screen\na@example.com,A\nb@example.com,"B\nc@example.com,C\n',
    );
    assert.equal(job.status, 'completed');
    assert.deepEqual([job.counts.created, job.counts.failed], [2, 1]);
    const q = await t.deps.store.getContact(String(await t.deps.store.findContactIdByEmail('q@example.com')));
    assert.equal(q?.firstName, '5" screen', 'a quote inside a cell is kept as written');
    const [refused] = (await t.deps.store.listRowErrors(job.id, { limit: 5 })).items;
    assert.equal(refused?.line, 4);
    const [error] = (await t.deps.store.listRowErrors(job.id, { limit: 5 })).items;
    assert.match(error?.reasons[0] ?? '', /not CSV: Quote Not Closed/);
  });

  it('imports a semicolon-separated file (Excel where the comma is the decimal mark) as its preview shows it', async () => {
    const t = await createTestTable();
    const job = await runImport(t.deps, 'E-mail;First name;Company\nsemi@example.com;Zoë;"Müller; Söhne"\n');
    assert.equal(job.status, 'completed');
    assert.deepEqual([job.counts.created, job.counts.failed], [1, 0]);
    const c = await t.deps.store.getContact(
      String(await t.deps.store.findContactIdByEmail('semi@example.com')),
    );
    assert.equal(c?.firstName, 'Zoë');
  });

  it('never enrolls contacts imported without a consent basis into a workflow that emails', async () => {
    const t = await createTestTable();
    const engine = new RecordingEngine();
    const template = await createTemplate(t.deps, { name: 'Hi', subject: 'Hi', html: '<p>Hi</p>' });
    const wf = await workflows.createWorkflow(t.deps, {
      name: 'Welcome',
      trigger: { type: 'tagAdded', tag: 'fair' },
      steps: [{ id: 'hello', type: 'sendEmail', templateId: template.id }],
    } as never);
    await workflows.publishWorkflow(t.deps, engine, wf.id);
    await runImport(t.deps, 'email\nnobasis@example.com\n', { tags: ['fair'], consentBasis: 'none' });
    await runImport(t.deps, 'email\nbasis@example.com\n', { tags: ['fair'], consentBasis: 'consent' });
    const enrolledFor = async (email: string) => {
      const contactId = String(await t.deps.store.findContactIdByEmail(email));
      const tagged = (await outboxEvents(t)).find(
        (e) => e.detailType === 'ContactTagged' && e.detail.contactId === contactId,
      );
      return enrollFromEvent(t.deps, engine, {
        eventId: String(tagged?.detail.eventId),
        contactId,
        triggerKey: 'tag:fair',
      });
    };
    assert.equal((await enrolledFor('nobasis@example.com')).length, 0);
    assert.equal((await enrolledFor('basis@example.com')).length, 1);
  });

  it('shows a rate and, once the total is known, the time left', () => {
    const view = viewOf(
      {
        id: 'x',
        status: 'processing',
        fileName: 'f.csv',
        size: 1,
        counts: { processed: 500, created: 500, updated: 0, unchanged: 0, failed: 0 },
        rows: 1500,
        chunksQueued: 15,
        chunksTotal: 15,
        chunksDone: 5,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:10.000Z',
        startedAt: '2026-01-01T00:00:00.000Z',
      },
      new Date('2026-01-01T00:00:10.000Z'),
    );
    assert.deepEqual([view.rowsPerSecond, view.etaSeconds], [50, 20]);
  });
});
