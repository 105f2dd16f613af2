/**
 * Bulk actions on DynamoDB Local: an audience paged from its index into chunks, each contact changed
 * once with its events, each chunk counted once (also when delivered twice), a planner that died
 * resumed from its cursor, cancel.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createWorkflow } from '#automation/workflows.js';
import { cancelBulkAction, exportPerson, startBulkAction, viewBulkJob } from '#bulk/actions.js';
import { enrollApplier, planBulk, processBulkChunk } from '#bulk/engine.js';
import type { BulkChunkMessage } from '#bulk/model.js';
import { createSegment } from '#insights/segments.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { memoryFiles, runImport } from '#test/support/imports.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

const list = (n: number) => `email\n${Array.from({ length: n }, (_, i) => `b${i}@example.com`).join('\n')}\n`;

function queue() {
  const messages: BulkChunkMessage[] = [];
  return { messages, send: async (batch: BulkChunkMessage[]) => void messages.push(...batch) };
}

async function drain(t: TestTable, q: { messages: BulkChunkMessage[] }, engine = new RecordingEngine()) {
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let m = q.messages.shift(); m; m = q.messages.shift())
        await processBulkChunk(t.deps, { enroll: enrollApplier(t.deps, engine) }, m);
    }),
  );
}

const contacts = async (t: TestTable) => (await t.items()).filter((i) => i._type === 'Contact');

describe('bulk actions', () => {
  it('tags every contact of a tag audience once, counting a chunk delivered twice once, writing it once', async () => {
    const t = await createTestTable();
    await runImport(t.deps, list(250), { tags: ['old'] });
    const job = await startBulkAction(t.deps, {
      action: { kind: 'addTag', tag: 'vip' },
      audience: { kind: 'tag', tag: 'old' },
    });
    const q = queue();
    await planBulk(t.deps, q, memoryFiles(), job.id);
    assert.equal(q.messages.length, 3);
    q.messages.push(q.messages[0] as BulkChunkMessage); // delivered twice
    await drain(t, q);
    const done = await t.deps.store.getBulkJob(job.id);
    assert.equal(done?.status, 'completed');
    // Two deliveries of one chunk at the same moment both run; whichever counts first is counted, so
    // a contact the other one tagged may show as unchanged — but nothing is written twice.
    assert.equal(done?.counts.processed, 250);
    assert.equal((done?.counts.changed ?? 0) + (done?.counts.unchanged ?? 0), 250);
    assert.equal(done?.total, 250);
    const tagged = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'ContactTagged' && e.detail.tag === 'vip',
    );
    assert.equal(tagged.length, 250, 'one event per contact');
    assert.equal((await outboxEvents(t)).filter((e) => e.detailType === 'BulkActionCompleted').length, 1);
  });

  it('removes a tag from a selection and deletes a segment, leaving what is already so unchanged', async () => {
    const t = await createTestTable();
    await runImport(t.deps, list(30), { tags: ['trial'] });
    const ids = (await contacts(t)).map((c) => String(c.id));
    const untag = await startBulkAction(t.deps, {
      action: { kind: 'removeTag', tag: 'trial' },
      audience: { kind: 'selection', contactIds: [...ids.slice(0, 5), ...ids.slice(0, 2)] },
    });
    const q = queue();
    await planBulk(t.deps, q, memoryFiles(), untag.id);
    await drain(t, q);
    assert.deepEqual((await t.deps.store.getBulkJob(untag.id))?.counts, {
      processed: 5,
      changed: 5,
      unchanged: 0,
      failed: 0,
    });

    const segment = await createSegment(t.deps, { name: 'Trials', filter: { tags: { all: ['trial'] } } });
    const del = await startBulkAction(t.deps, {
      action: { kind: 'delete' },
      audience: { kind: 'segment', segmentId: segment.id },
    });
    await planBulk(t.deps, q, memoryFiles(), del.id);
    await drain(t, q);
    const done = await t.deps.store.getBulkJob(del.id);
    assert.deepEqual([done?.status, done?.counts.changed], ['completed', 25]);
    assert.equal((await contacts(t)).length, 5, 'the five untagged contacts stay');
    await assert.rejects(
      startBulkAction(t.deps, {
        action: { kind: 'delete' },
        audience: { kind: 'segment', segmentId: '01JF0000000000000000000000' },
      }),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('enrolls a tag audience into a published workflow once each, leaving contacts without an email basis and those enrolled already', async () => {
    const t = await createTestTable();
    const engine = new RecordingEngine();
    const { publishedWorkflow } = workflowKit(t, engine);
    const wf = await publishedWorkflow({
      name: 'Welcome',
      trigger: { type: 'tagAdded', tag: 'welcome' },
      steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
    });
    const mailer = await publishedWorkflow({
      name: 'Mailer',
      trigger: { type: 'tagAdded', tag: 'mail' },
      steps: [
        {
          id: 'mail',
          type: 'sendEmail',
          templateId: (
            await createTemplate(t.deps, {
              name: 'Hi',
              subject: 'Hi',
              html: '<a href="{{ unsubscribeUrl }}">u</a>',
            })
          ).id,
        },
      ],
    });
    await runImport(t.deps, list(120), { tags: ['webinar'] });
    await runImport(t.deps, 'email\nnobasis@example.com\n', { tags: ['webinar'], consentBasis: 'none' });
    const start = (workflowId: string) =>
      startBulkAction(t.deps, {
        action: { kind: 'enroll', workflowId },
        audience: { kind: 'tag', tag: 'webinar' },
      });
    const job = await start(wf.id);
    const q = queue();
    await planBulk(t.deps, q, memoryFiles(), job.id);
    q.messages.push(q.messages[0] as BulkChunkMessage); // delivered twice
    await drain(t, q, engine);
    const done = await t.deps.store.getBulkJob(job.id);
    assert.equal(done?.status, 'completed');
    assert.equal(done?.counts.processed, 121);
    const enrolled = (await outboxEvents(t)).filter((e) => e.detailType === 'ContactEnrolled');
    assert.equal(enrolled.length, 121, 'every contact once (a workflow without email needs no basis)');
    assert.equal(new Set(engine.started.map((s) => s.name)).size, 121, 'one execution each');

    // Again: nobody is enrolled twice (the workflow does not re-enroll); the mailer leaves the one without a basis.
    const again = await start(wf.id);
    await planBulk(t.deps, q, memoryFiles(), again.id);
    await drain(t, q, engine);
    assert.deepEqual((await t.deps.store.getBulkJob(again.id))?.counts, {
      processed: 121,
      changed: 0,
      unchanged: 121,
      failed: 0,
    });
    const mail = await start(mailer.id);
    await planBulk(t.deps, q, memoryFiles(), mail.id);
    await drain(t, q, engine);
    assert.deepEqual(
      [
        (await t.deps.store.getBulkJob(mail.id))?.counts.changed,
        (await t.deps.store.getBulkJob(mail.id))?.counts.unchanged,
      ],
      [120, 1],
    );

    // A draft (or paused) workflow is refused when the action starts.
    const draft = await createWorkflow(t.deps, {
      name: 'Draft',
      trigger: { type: 'tagAdded', tag: 'draft' },
      steps: [{ id: 'w', type: 'wait', duration: 'P1D' }],
    } as never);
    await assert.rejects(start(draft.id), (e) => e instanceof DomainError && e.code === 'not_active');
    await assert.rejects(
      start('01JF0000000000000000000000'),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('exports a tag audience as formula-safe CSV, and everything keyed to one person as JSON', async () => {
    const t = await createTestTable();
    await runImport(
      t.deps,
      `email,firstName,company\n${Array.from({ length: 130 }, (_, i) => `e${i}@example.com,E${i},"=HYPERLINK(""x"")"`).join('\n')}\n`,
      {
        tags: ['expo'],
      },
    );
    const files = memoryFiles();
    const job = await startBulkAction(t.deps, {
      action: { kind: 'export' },
      audience: { kind: 'tag', tag: 'expo' },
    });
    await planBulk(t.deps, queue(), files, job.id);
    const done = await t.deps.store.getBulkJob(job.id);
    assert.deepEqual(
      [done?.status, done?.total, done?.file?.key],
      ['completed', 130, `exports/${job.id}.csv`],
    );
    const csv = parse(new TextDecoder().decode(files.objects.get(`exports/${job.id}.csv`))) as string[][];
    assert.equal(csv.length, 131);
    assert.deepEqual(csv[0]?.slice(0, 3), ['id', 'email', 'firstName']);
    assert.ok(csv.slice(1).every((row) => row[csv[0]?.indexOf('company') ?? -1] === `'=HYPERLINK("x")`));
    const view = await viewBulkJob(t.deps, files, job.id);
    assert.match(String(view.downloadUrl), /exports\//);

    const contactId = String(await t.deps.store.findContactIdByEmail('e7@example.com'));
    const person = await exportPerson(t.deps, contactId);
    await planBulk(t.deps, queue(), files, person.id);
    const data = JSON.parse(new TextDecoder().decode(files.objects.get(`exports/${person.id}.json`))) as {
      contact: { email: string };
      records: Array<{ type: string }>;
    };
    assert.equal(data.contact.email, 'e7@example.com');
    assert.deepEqual([...new Set(data.records.map((r) => r.type))].sort(), ['Contact', 'ContactTag']);
    await assert.rejects(
      exportPerson(t.deps, '01JF0000000000000000000000'),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('counts a segment exactly, page by page, changing nobody and queueing no chunk', async () => {
    const t = await createTestTable();
    await runImport(
      t.deps,
      `email,plan\n${Array.from({ length: 1230 }, (_, i) => `n${i}@example.com,${i % 3 === 0 ? 'pro' : 'free'}`).join('\n')}\n`,
    );
    const pro = await createSegment(t.deps, {
      name: 'Pro',
      filter: { fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
    });
    const q = queue();
    const job = await startBulkAction(t.deps, {
      action: { kind: 'count' },
      audience: { kind: 'segment', segmentId: pro.id },
    });
    const before = (await outboxEvents(t)).length;
    await planBulk(t.deps, q, memoryFiles(), job.id);
    const done = await t.deps.store.getBulkJob(job.id);
    assert.deepEqual(
      [done?.status, done?.total, done?.counts.changed, done?.counts.unchanged, q.messages.length],
      ['completed', 410, 0, 410, 0],
    );
    const events = (await outboxEvents(t)).slice(before).map((e) => e.detailType);
    assert.deepEqual(events, ['BulkActionCompleted'], 'nothing but the job changed');
    // A selection counts the contacts that exist (an id picked before it was deleted is not one).
    const first = String(await t.deps.store.findContactIdByEmail('n0@example.com'));
    const picked = await startBulkAction(t.deps, {
      action: { kind: 'count' },
      audience: {
        kind: 'selection',
        contactIds: [first, first, '01JF0000000000000000000000'],
      },
    });
    await planBulk(t.deps, queue(), memoryFiles(), picked.id);
    assert.equal((await t.deps.store.getBulkJob(picked.id))?.total, 1);
  });

  it('resumes a planner that died from its cursor, and stops a cancelled action', async () => {
    const t = await createTestTable();
    await runImport(t.deps, list(350), { tags: ['many'] });
    const job = await startBulkAction(t.deps, {
      action: { kind: 'addTag', tag: 'x' },
      audience: { kind: 'tag', tag: 'many' },
    });
    const sent: BulkChunkMessage[] = [];
    let calls = 0;
    await assert.rejects(
      planBulk(
        t.deps,
        {
          async send(batch) {
            if (++calls === 3) throw new Error('killed');
            sent.push(...batch);
          },
        },
        memoryFiles(),
        job.id,
      ),
      /killed/,
    );
    await planBulk(t.deps, { send: async (b) => void sent.push(...b) }, memoryFiles(), job.id);
    assert.deepEqual(
      sent.map((m) => m.chunk),
      [0, 1, 2, 3],
    );
    const q = { messages: sent };
    await processBulkChunk(t.deps, {}, q.messages.shift() as BulkChunkMessage);
    await cancelBulkAction(t.deps, job.id);
    await drain(t, q);
    const done = await t.deps.store.getBulkJob(job.id);
    assert.deepEqual([done?.status, done?.counts.processed], ['cancelled', 100]);
  });

  it('hands a chunk back to the queue only once no contact of it is still being applied', async () => {
    const t = await createTestTable();
    await runImport(t.deps, list(40), { tags: ['slow'] });
    const job = await startBulkAction(t.deps, {
      action: { kind: 'addTag', tag: 'y' },
      audience: { kind: 'tag', tag: 'slow' },
    });
    const q = queue();
    await planBulk(t.deps, q, memoryFiles(), job.id);
    const started = new Set<string>();
    const finished = new Set<string>();
    const slow = async () => async (contactId: string) => {
      started.add(contactId);
      if (started.size === 3) throw new Error('the mail provider is down');
      await new Promise((r) => setTimeout(r, 150));
      finished.add(contactId);
      return 'changed' as const;
    };
    await assert.rejects(
      processBulkChunk(t.deps, { addTag: slow }, q.messages[0] as BulkChunkMessage),
      /down/,
    );
    assert.ok(started.size >= 3 && started.size < 40, 'stopped taking contacts');
    assert.equal(finished.size, started.size - 1, 'every other contact it started was finished first');
    assert.equal((await t.deps.store.getBulkJob(job.id))?.chunksDone, 0, 'the chunk is not counted');
  });
});
