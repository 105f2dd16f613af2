/**
 * Support forms on the local CRM, as a visitor and an agent would use them: a form created through
 * the API with `case`, its hosted page submitted as a browser posts it (urlencoded, with the page's
 * token), thanks the visitor and opens a case (channel `form`) in the agent's new queue, subject and
 * message from the form's fields; a lead form's submission opens none.
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
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-case-form-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const pageToken = (html: string) => String(/name="_ts" value="([^"]+)"/.exec(html)?.[1]);

/** Opens the hosted form and posts it as a browser does (no admin token: a visitor). */
async function submitHostedForm(formId: string, values: Record<string, string>) {
  const page = await fetch(`${server.url}/f/${formId}`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const body = new URLSearchParams({ ...values, _ts: pageToken(html) }).toString();
  const post = await fetch(`${server.url}/f/${formId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body,
  });
  return { page: html, status: post.status, text: await post.text() };
}

type CaseRow = { id: string; subject: string; channel: string; priority: string; email: string };
const newCases = async () => (await api('GET', '/v1/cases?status=new&limit=100')).json.items as CaseRow[];

describe('support forms on the local CRM', () => {
  it('a hosted support form submission opens a case with channel form', { timeout: 60_000 }, async () => {
    const created = await api('POST', '/v1/forms', {
      name: 'Contact support',
      fields: [
        'email',
        { name: 'subject', label: 'Subject', required: true },
        { name: 'message', label: 'How can we help?', type: 'textarea', required: true },
      ],
      case: { subjectField: 'subject', messageField: 'message', priority: 'high' },
      spam: { minFillSeconds: 0 },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json.case, {
      subjectField: 'subject',
      messageField: 'message',
      priority: 'high',
    });

    const refused = await api('POST', '/v1/forms', {
      name: 'Broken support',
      fields: ['email', 'subject'],
      case: { subjectField: 'subject', messageField: 'message' },
    });
    assert.equal(refused.status, 400);
    assert.ok(
      (refused.json.error.details as Array<{ path: string }>).some((d) => d.path === 'case.messageField'),
    );

    const sent = await submitHostedForm(created.json.id, {
      email: 'Hedy@Example.com',
      subject: 'Cannot import my list',
      message: 'The import stops at row 12.\nWhat is wrong with it?',
    });
    assert.match(sent.page, /<textarea id="f-message" name="message" required>/);
    assert.equal(sent.status, 200);
    assert.match(sent.text, /Thank you/);

    const opened = await eventually(async () =>
      (await newCases()).find((c) => c.email === 'hedy@example.com'),
    );
    assert.equal(opened.channel, 'form');
    assert.equal(opened.subject, 'Cannot import my list');
    assert.equal(opened.priority, 'high');
    const view = await api('GET', `/v1/cases/${opened.id}`);
    assert.equal(view.json.messages[0].text, 'The import stops at row 12.\nWhat is wrong with it?');

    await idle(server);
    assert.equal((await newCases()).filter((c) => c.email === 'hedy@example.com').length, 1);
  });

  it('a lead form submission opens no case', { timeout: 60_000 }, async () => {
    const created = await api('POST', '/v1/forms', {
      name: 'Newsletter',
      fields: ['email', 'message'],
      spam: { minFillSeconds: 0 },
    });
    assert.equal(created.status, 201);
    const sent = await submitHostedForm(created.json.id, { email: 'reader@example.com', message: 'Hi' });
    assert.equal(sent.status, 200);
    await idle(server);
    assert.equal((await newCases()).filter((c) => c.email === 'reader@example.com').length, 0);
  });
});
