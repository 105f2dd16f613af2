/**
 * Sales and scheduled work as a user runs it locally (`npm start`, time 3,600x: an hour per second):
 * a follow-up email fires from the local scheduler, also after a restart; a cancelled one never does;
 * a task reminder lands on the timeline; deals move on the board and the dashboard counts it all;
 * contacts go in and out as CSV; a segment lists its contacts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox,
  startLocalServer,
} from '#test/support/local-server.js';

const SCALE = 3600;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-sales-'));
let server: LocalServer;
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const inHours = (h: number) => new Date(Date.now() + h * 3600 * 1000).toISOString();

before(async () => {
  server = await startLocalServer(dataDir, { TENDRIL_TIME_SCALE: String(SCALE) });
});
after(async () => {
  await server?.stop();
});

async function contactWithTemplate(email: string) {
  const contact = await api('POST', '/v1/contacts', { email, firstName: 'Ada', tags: ['lead'] });
  assert.equal(contact.status, 201, JSON.stringify(contact.json));
  const template = await api('POST', '/v1/templates', {
    name: 'Checking in',
    subject: 'Checking in, {{ contact.firstName }}',
    html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  assert.equal(template.status, 201);
  return { contactId: contact.json.id as string, templateId: template.json.id as string };
}

describe('scheduled follow-ups (local scheduler)', () => {
  it('sends a follow-up at its time, once, with one-click unsubscribe headers', async () => {
    const { contactId, templateId } = await contactWithTemplate('ada@example.com');
    const created = await api('POST', `/v1/contacts/${contactId}/follow-ups`, {
      templateId,
      sendAt: inHours(2),
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.status, 'scheduled');
    assert.equal((await outbox(server, 'ada@example.com')).length, 0, 'not before its time');

    const [email] = await eventually(async () => {
      const mails = await outbox(server, 'ada@example.com');
      return mails.length > 0 ? mails : undefined;
    });
    assert.equal(email?.subject, 'Checking in, Ada');
    assert.ok(email?.headers.some((h) => h.name === 'List-Unsubscribe-Post'));
    const listed = await eventually(async () => {
      const res = await api('GET', `/v1/contacts/${contactId}/follow-ups`);
      return res.json.items[0].status === 'sent' ? res.json.items : undefined;
    });
    assert.ok(listed[0].messageId);
    const timeline = await api('GET', `/v1/contacts/${contactId}/activities`);
    assert.ok(timeline.json.items.some((a: { type: string }) => a.type === 'email'));
    // Fired once: once everything has settled there is still one email.
    await idle(server);
    assert.equal((await outbox(server, 'ada@example.com')).length, 1);
  });

  it('refuses a sendAt in the past, and never sends a cancelled follow-up', async () => {
    const { contactId, templateId } = await contactWithTemplate('bob@example.com');
    const past = await api('POST', `/v1/contacts/${contactId}/follow-ups`, {
      templateId,
      sendAt: new Date(Date.now() - 60_000).toISOString(),
    });
    assert.equal(past.status, 400);
    assert.equal(past.json.error.code, 'send_at_in_past');
    const created = await api('POST', `/v1/contacts/${contactId}/follow-ups`, {
      templateId,
      sendAt: inHours(1),
    });
    assert.equal((await api('DELETE', `/v1/follow-ups/${created.json.id}`)).status, 204);
    assert.equal((await api('DELETE', `/v1/follow-ups/${created.json.id}`)).status, 409);
    // Its schedule would have fired within a second (an hour at this scale): wait past that.
    await idle(server, 2000);
    assert.equal((await outbox(server, 'bob@example.com')).length, 0);
  });

  it('keeps schedules across a restart of npm start', async () => {
    const { contactId, templateId } = await contactWithTemplate('cy@example.com');
    const created = await api('POST', `/v1/contacts/${contactId}/follow-ups`, {
      templateId,
      sendAt: inHours(8),
    });
    assert.equal(created.status, 201);
    await server.stop();
    server = await startLocalServer(dataDir, { TENDRIL_TIME_SCALE: String(SCALE) });
    await eventually(
      async () => ((await outbox(server, 'cy@example.com')).length === 1 ? true : undefined),
      30_000,
    );
    const listed = await eventually(async () => {
      const res = await api('GET', `/v1/contacts/${contactId}/follow-ups`);
      return res.json.items[0].status === 'sent' ? res.json.items : undefined;
    });
    assert.equal(listed.length, 1);
  });
});

describe('tasks, deals and the dashboard', () => {
  it('fires a task reminder onto the timeline; completing a task ends it', async () => {
    const contact = await api('POST', '/v1/contacts', { email: 'dee@example.com' });
    const task = await api('POST', '/v1/tasks', {
      title: 'Call Dee back',
      dueAt: inHours(1),
      contactId: contact.json.id,
      owner: 'local-admin',
    });
    assert.equal(task.status, 201, JSON.stringify(task.json));
    const mine = await api('GET', '/v1/tasks?owner=local-admin&status=open');
    assert.deepEqual(
      mine.json.items.map((t: { id: string }) => t.id),
      [task.json.id],
    );
    const reminded = await eventually(async () => {
      const res = await api('GET', `/v1/tasks/${task.json.id}`);
      return res.json.remindedAt ? res.json : undefined;
    });
    const timeline = await api('GET', `/v1/contacts/${contact.json.id}/activities`);
    assert.ok(
      timeline.json.items.some(
        (a: { type: string; body: string }) => a.type === 'task_due' && a.body.includes('Call Dee back'),
      ),
    );
    const done = await api('PATCH', `/v1/tasks/${task.json.id}`, {
      version: reminded.version,
      status: 'done',
    });
    assert.equal(done.json.status, 'done');
    assert.equal((await api('GET', '/v1/tasks?owner=local-admin&status=open')).json.items.length, 0);
  });

  it('moves a deal across the board, records it on the timeline and counts it on the dashboard', async () => {
    const contact = await api('POST', '/v1/contacts', { email: 'eve@example.com', source: 'webinar' });
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.2 },
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
      ],
    });
    const deal = await api('POST', '/v1/deals', {
      title: 'Eve Corp',
      amount: 1000,
      currency: 'EUR',
      pipelineId: pipeline.json.id,
      stage: 'Qualified',
      contactId: contact.json.id,
    });
    assert.equal(deal.status, 201, JSON.stringify(deal.json));
    const moved = await api('PATCH', `/v1/deals/${deal.json.id}`, { version: 1, stage: 'Proposal' });
    assert.equal(moved.json.stage, 'Proposal');
    const board = await api('GET', `/v1/pipelines/${pipeline.json.id}/board`);
    const proposal = board.json.stages.find((s: { name: string }) => s.name === 'Proposal');
    assert.equal(proposal.count, 1);
    assert.deepEqual(proposal.totals, [{ currency: 'EUR', amount: 1000, weighted: 500 }]);
    const timeline = await api('GET', `/v1/contacts/${contact.json.id}/activities`);
    assert.ok(timeline.json.items.some((a: { type: string }) => a.type === 'deal_stage_changed'));

    const dashboard = await eventually(async () => {
      const res = await api('GET', '/v1/reports/dashboard');
      const p = res.json.pipelines.find((x: { pipelineId: string }) => x.pipelineId === pipeline.json.id);
      const stage = p?.stages.find((s: { stage: string }) => s.stage === 'Proposal');
      return stage?.count === 1 && res.json.leads.bySource.webinar === 1 ? res.json : undefined;
    });
    assert.ok(dashboard.contacts.total >= 1);
    assert.ok(dashboard.tags.some((t: { tag: string }) => t.tag === 'lead'));
    assert.ok(dashboard.email.byTemplate.some((t: { sent: number }) => t.sent >= 1));
  });
});

describe('CSV and segments', () => {
  it('imports a CSV with per-row errors, exports formula-safe CSV, and lists a segment', async () => {
    const csv = [
      'email,firstName,tags,plan',
      'gus@example.com,Gus,vip;beta,pro',
      'not-an-email,Bad,,',
      'GUS@example.com,,newsletter,',
      'hal@example.com,=HYPERLINK("http://evil"),beta,free',
    ].join('\n');
    const res = await fetch(`${server.url}/v1/contacts/import?consentBasis=consent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const job = (await res.json()) as { id: string };
    assert.equal(res.status, 202, JSON.stringify(job));
    // The import is a job: its outcome is on /v1/imports/{id} once completed.
    const done = await eventually(async () => {
      const view = await api('GET', `/v1/imports/${job.id}`);
      return view.json.import.status === 'completed' ? view.json.import : undefined;
    }, 60_000);
    assert.deepEqual(
      {
        rows: done.rows,
        created: done.counts.created,
        updated: done.counts.updated,
        failed: done.counts.failed,
      },
      { rows: 4, created: 2, updated: 1, failed: 1 },
    );
    const errors = await fetch(`${server.url}/v1/imports/${job.id}/errors`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    assert.match(await errors.text(), /\r\n3,/);

    const exported = await fetch(`${server.url}/v1/contacts/export?tag=beta`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    assert.match(exported.headers.get('content-type') ?? '', /text\/csv/);
    const text = await exported.text();
    assert.match(text, /gus@example\.com,Gus,.*beta;newsletter;vip/);
    assert.match(text, /"'=HYPERLINK\(""http:\/\/evil""\)"/);

    const segment = await api('POST', '/v1/segments', {
      name: 'Beta pros',
      filter: { tags: { all: ['beta'] }, fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
    });
    assert.equal(segment.status, 201, JSON.stringify(segment.json));
    const members = await api('GET', `/v1/segments/${segment.json.id}/contacts`);
    assert.deepEqual(
      members.json.items.map((c: { email: string }) => c.email),
      ['gus@example.com'],
    );
  });
});
