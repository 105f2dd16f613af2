/**
 * A nurture sequence as a marketer runs it locally: templates, a tag-triggered workflow, a lead from
 * a plain HTML form, emails arriving over (scaled) days in the SES outbox, and an unsubscribe that
 * stops the rest; a workflow triggered by a contact entering a segment; a restart of `npm start` in
 * the middle of a wait, after which the sequence goes on.
 * Time runs 43,200x: a day passes in 2 seconds.
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
  outbox as readOutbox,
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-nurture-'));
const env = { TENDRIL_TIME_SCALE: '43200' };

before(async () => {
  server = await startLocalServer(dataDir, env);
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const outbox = (to: string) => readOutbox(server, to);

describe('nurture workflow end to end', () => {
  it('sends the sequence, and nothing more after an unsubscribe', async () => {
    const ids: string[] = [];
    for (const [name, subject] of [
      ['Welcome', 'Welcome, {{ contact.firstName | default: "friend" }}'],
      ['Guide', 'Your guide'],
      ['Offer', 'A special offer'],
    ]) {
      const res = await api('POST', '/v1/templates', {
        name,
        subject,
        html: `<p>${subject}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>`,
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      ids.push(res.json.id);
    }
    const wf = await api('POST', '/v1/workflows', {
      name: 'Three emails',
      trigger: { type: 'tagAdded', tag: 'lead' },
      goal: { type: 'tagAdded', tag: 'customer' },
      steps: [
        { id: 'welcome', type: 'sendEmail', templateId: ids[0] },
        { id: 'wait-1', type: 'wait', duration: 'P2D' },
        { id: 'guide', type: 'sendEmail', templateId: ids[1] },
        { id: 'wait-2', type: 'wait', duration: 'P2D' },
        { id: 'offer', type: 'sendEmail', templateId: ids[2] },
      ],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    const published = await api('POST', `/v1/workflows/${wf.json.id}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.json));
    assert.equal(published.json.workflow.status, 'active');

    const form = await api('POST', '/v1/forms', {
      name: 'Newsletter',
      fields: ['email', 'firstName'],
      tags: ['lead'],
      spam: { requireToken: false },
    });
    const submit = (body: string) =>
      fetch(`${server.url}/f/${form.json.id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    assert.equal((await submit('email=stays%40example.com&firstName=Sam')).status, 200);
    assert.equal((await submit('email=leaves%40example.com&firstName=Lee')).status, 200);

    // The first email arrives for both; the one who leaves unsubscribes with one click (RFC 8058).
    const [first] = await eventually(async () => {
      const mails = await outbox('leaves@example.com');
      return mails.length > 0 ? mails : undefined;
    });
    assert.equal(first?.subject, 'Welcome, Lee');
    const link = /^<(.+)>$/.exec(
      String(first?.headers.find((h) => h.name === 'List-Unsubscribe')?.value),
    )?.[1];
    assert.ok(link?.startsWith(`${server.url}/u/`), link);
    assert.equal(
      first?.headers.find((h) => h.name === 'List-Unsubscribe-Post')?.value,
      'List-Unsubscribe=One-Click',
    );
    const forged = await fetch(`${link?.slice(0, -3)}xxx`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(forged.status, 403);
    const oneClick = await fetch(String(link), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(oneClick.status, 200);

    // The one who stays gets all three, in order, days apart.
    const all = await eventually(async () => {
      const mails = await outbox('stays@example.com');
      return mails.length >= 3 ? mails : undefined;
    }, 30_000);
    assert.deepEqual(
      all.map((m) => m.subject),
      ['Welcome, Sam', 'Your guide', 'A special offer'],
    );
    // ...and the one who left got nothing after the first.
    assert.equal((await outbox('leaves@example.com')).length, 1);

    const leaver = (await api('GET', '/v1/contacts?email=leaves@example.com')).json.items[0];
    const enrollments = await eventually(async () => {
      const res = await api('GET', `/v1/contacts/${leaver.id}/enrollments`);
      return res.json.items[0]?.status === 'stopped' ? res.json.items : undefined;
    });
    assert.equal(enrollments[0].stopReason, 'unsubscribed');
    const view = await eventually(async () => {
      const res = await api('GET', `/v1/workflows/${wf.json.id}`);
      return res.json.stats.outcomes.completed === 1 ? res.json : undefined;
    });
    assert.equal(view.stats.enrolled, 2);
    assert.equal(view.stats.outcomes.unsubscribed, 1);
    assert.deepEqual(view.stats.steps.welcome, { entered: 2, current: 0 });
    assert.deepEqual(view.stats.steps.offer, { entered: 1, current: 0 });
    assert.equal(view.published.asl.StartAt, 'welcome');
  });
});

describe('templates and workflows reject bad input', () => {
  it('enrolls a contact that enters a segment, once, when a workflow is triggered by it', async () => {
    const segment = await api('POST', '/v1/segments', {
      name: 'Pro customers',
      filter: { tags: { all: ['customer'] }, fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
    });
    assert.equal(segment.status, 201, JSON.stringify(segment.json));
    const template = await api('POST', '/v1/templates', {
      name: 'Pro welcome',
      subject: 'Welcome to Pro',
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const wf = await api('POST', '/v1/workflows', {
      name: 'Pro onboarding',
      trigger: { type: 'segmentEntered', segmentId: segment.json.id },
      steps: [{ id: 'hello', type: 'sendEmail', templateId: template.json.id }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    // A customer on the free plan is not in it; upgrading moves her in: one enrollment, one email.
    const kim = await api('POST', '/v1/contacts', {
      email: 'kim@example.com',
      tags: ['customer'],
      fields: { plan: 'free' },
    });
    assert.equal(kim.status, 201, JSON.stringify(kim.json));
    await idle(server);
    assert.deepEqual((await api('GET', `/v1/contacts/${kim.json.id}/enrollments`)).json.items, []);
    const upgraded = await api('PATCH', `/v1/contacts/${kim.json.id}`, {
      version: kim.json.version,
      fields: { plan: 'pro' },
    });
    assert.equal(upgraded.status, 200, JSON.stringify(upgraded.json));
    await eventually(async () => ((await outbox('kim@example.com')).length > 0 ? true : undefined));
    await idle(server);
    const enrollments = (await api('GET', `/v1/contacts/${kim.json.id}/enrollments`)).json.items;
    assert.deepEqual(
      enrollments.map((e: { workflowId: string }) => e.workflowId),
      [wf.json.id],
    );
    assert.equal((await outbox('kim@example.com')).length, 1);
  });

  it('answers with 4xx and the path of each problem', async () => {
    const badTemplate = await api('POST', '/v1/templates', {
      name: 'x',
      subject: 'Hi {{ contact.firstName | nope }}',
      html: '{% if %}',
    });
    assert.equal(badTemplate.status, 400);
    assert.deepEqual(
      badTemplate.json.error.details.map((d: { path: string }) => d.path),
      ['subject', 'html'],
    );
    const badWorkflow = await api('POST', '/v1/workflows', {
      name: 'x',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [
        { id: 'w', type: 'wait', duration: 'soon' },
        { id: 'e', type: 'sendEmail', templateId: '01JF0000000000000000000000' },
      ],
    });
    assert.equal(badWorkflow.status, 400);
    assert.ok(badWorkflow.json.error.details.some((d: { path: string }) => d.path === 'steps.0.duration'));
    const missingRef = await api('POST', '/v1/workflows', {
      name: 'x',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [{ id: 'e', type: 'sendEmail', templateId: '01JF0000000000000000000000' }],
    });
    assert.equal(missingRef.status, 400);
    assert.equal(missingRef.json.error.details[0].path, 'steps.0.templateId');
    assert.equal((await api('POST', '/v1/workflows/01JF0000000000000000000000/publish')).status, 404);
    const tpl = await api('POST', '/v1/templates', { name: 'ok', subject: 'ok', html: '<p>ok</p>' });
    const draft = await api('POST', '/v1/workflows', {
      name: 'draft',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [{ id: 'e', type: 'sendEmail', templateId: tpl.json.id }],
    });
    assert.equal((await api('POST', `/v1/workflows/${draft.json.id}/pause`)).status, 409);
    assert.equal(
      (await api('POST', `/v1/templates/${tpl.json.id}/preview`, { contactId: '01JF0000000000000000000000' }))
        .status,
      404,
    );
    const stale = await api('PUT', `/v1/templates/${tpl.json.id}`, {
      name: 'ok',
      subject: 'ok',
      html: '<p>new</p>',
      version: 7,
    });
    assert.equal(stale.status, 409);
    const page = await fetch(`${server.url}/u/not-a-token`);
    assert.equal(page.status, 403);
  });
});

describe('workflows across a restart of npm start', () => {
  it('continues a waiting enrollment where it was and keeps enrolling on the published version', async () => {
    const ids: string[] = [];
    for (const name of ['Hello', 'Later']) {
      const res = await api('POST', '/v1/templates', { name, subject: name, html: `<p>${name}</p>` });
      ids.push(res.json.id);
    }
    const wf = await api('POST', '/v1/workflows', {
      name: 'Two emails, ten days apart',
      trigger: { type: 'tagAdded', tag: 'restart-lead' },
      steps: [
        { id: 'hello', type: 'sendEmail', templateId: ids[0] },
        { id: 'pause', type: 'wait', duration: 'P10D' },
        { id: 'later', type: 'sendEmail', templateId: ids[1] },
      ],
    });
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    const before = await api('POST', '/v1/contacts', { email: 'waits@example.com', tags: ['restart-lead'] });
    assert.equal(before.status, 201);
    await eventually(async () => ((await outbox('waits@example.com')).length === 1 ? true : undefined));

    // Stop in the middle of the 10-day wait (20 s here; a restart takes a few), then start again on
    // the same data.
    await server.stop();
    server = await startLocalServer(dataDir, env);

    const after = await eventually(async () => {
      const mails = await outbox('waits@example.com');
      return mails.length > 0 ? mails : undefined;
    }, 30_000);
    // The outbox of the new process holds what was sent since the restart: the second email, once.
    assert.deepEqual(
      after.map((m) => m.subject),
      ['Later'],
    );
    const enrollment = await eventually(async () => {
      const res = await api('GET', `/v1/contacts/${before.json.id}/enrollments`);
      return res.json.items[0]?.status === 'completed' ? res.json.items[0] : undefined;
    });
    assert.equal(enrollment.number, 1);

    // A contact tagged after the restart enrolls on the same published version.
    await api('POST', '/v1/contacts', { email: 'new@example.com', tags: ['restart-lead'] });
    const [hello] = await eventually(async () => {
      const mails = await outbox('new@example.com');
      return mails.length > 0 ? mails : undefined;
    });
    assert.equal(hello?.subject, 'Hello');
    await idle(server);
    assert.equal((await outbox('waits@example.com')).length, 1, 'nothing sent twice');
  });
});
