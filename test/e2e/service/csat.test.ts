/**
 * CSAT on the local CRM, as a customer and an agent would meet it: a case opened by API and resolved
 * gets one survey email (in the local SES outbox) with five rating links; a click records the rating
 * and shows the thank-you page, the case shows it, the page's form adds a comment; another score
 * replaces it; a forged link gets a friendly HTML page; resolving again the same day sends no second survey.
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

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-csat-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const browse = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { accept: 'text/html', ...init.headers } });

describe('CSAT surveys', () => {
  it('emails a survey on resolve; a click rates the case, the form adds a comment', async () => {
    const customer = 'rosalind@example.com';
    // The agent is a user (given by email: stored as their id).
    const agent = await api('POST', '/v1/users', { name: 'Agent', email: 'agent@tendril.local' });
    assert.equal(agent.status, 201, JSON.stringify(agent.json));
    const opened = await api('POST', '/v1/cases', {
      subject: 'Invoice is wrong',
      email: customer,
      text: 'The invoice lists two seats; we have one.',
      assignee: 'agent@tendril.local',
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.json));
    assert.equal(opened.json.assignee, agent.json.id);
    const id = opened.json.id as string;
    const resolved = await api('PATCH', `/v1/cases/${id}`, { status: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.json));

    const [survey] = await eventually(async () => {
      const sent = await outbox(server, customer);
      return sent.length ? sent : undefined;
    }, 30_000);
    assert.ok(survey);
    assert.equal(survey.subject, `Re: Invoice is wrong [#${opened.json.ref}]`);
    const links = [...String(survey.body?.text).matchAll(/(http:\/\/\S+\/csat\/\S+)/g)].map((m) =>
      String(m[1]),
    );
    assert.equal(links.length, 5, String(survey.body?.text));
    assert.ok(links.every((l) => l.startsWith(`${server.url}/csat/`)));

    // One click: the rating is recorded, the thank-you page offers a comment.
    const page = await browse(String(links[3]));
    assert.equal(page.status, 200);
    assert.match(String(page.headers.get('content-type')), /text\/html/);
    const html = await page.text();
    assert.match(html, /Thank you for your feedback/);
    assert.match(html, /4 out of 5 \(Happy\)/);
    assert.match(html, /<textarea id="comment" name="comment"/);
    let c = await api('GET', `/v1/cases/${id}`);
    assert.equal(c.json.case.rating.score, 4);

    // The form posts a comment (as a browser without JavaScript would).
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    assert.ok(action);
    const posted = await browse(`${server.url}${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ comment: 'Quick fix, thanks!' }).toString(),
    });
    assert.equal(posted.status, 200);
    assert.match(await posted.text(), /Thank you for your comment/);
    c = await api('GET', `/v1/cases/${id}`);
    assert.deepEqual([c.json.case.rating.score, c.json.case.rating.comment], [4, 'Quick fix, thanks!']);

    // Another score replaces it; the same link again changes nothing.
    assert.equal((await browse(String(links[1]))).status, 200);
    const version = (await api('GET', `/v1/cases/${id}`)).json.case.version;
    assert.equal((await browse(String(links[1]))).status, 200);
    c = await api('GET', `/v1/cases/${id}`);
    assert.deepEqual([c.json.case.rating.score, c.json.case.version], [2, version]);
    const timeline = await api('GET', `/v1/contacts/${opened.json.contactId}/activities?limit=50`);
    assert.equal(timeline.status, 200, JSON.stringify(timeline.json));
    assert.ok(
      timeline.json.items.some((a: { body?: string }) => a.body === `Rated case [#${opened.json.ref}] 2/5`),
    );

    // A mail scanner opens every link: it is asked to confirm, and its visit records nothing; the
    // confirm button records the link's score and keeps the comment.
    for (const agent of ['Mozilla/5.0 (compatible; LinkScanner/2.1)', 'curl/8.5.0', ''])
      for (const link of [links[0], links[4]]) {
        const scanned = await browse(String(link), { headers: { 'user-agent': agent } });
        assert.equal(scanned.status, 200);
        assert.match(await scanned.text(), /Confirm your rating/);
      }
    c = await api('GET', `/v1/cases/${id}`);
    assert.deepEqual([c.json.case.rating.score, c.json.case.version], [2, version]);
    const confirmPage = await (
      await browse(String(links[4]), { headers: { 'user-agent': 'curl/8.5.0' } })
    ).text();
    const confirmAction = /<form method="post" action="([^"]+)"/.exec(confirmPage)?.[1];
    const confirmed = await browse(`${server.url}${confirmAction}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ confirm: '1' }).toString(),
    });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /5 out of 5/);
    c = await api('GET', `/v1/cases/${id}`);
    assert.deepEqual([c.json.case.rating.score, c.json.case.rating.comment], [5, 'Quick fix, thanks!']);

    // A forged link: a friendly page, nothing recorded.
    const forged = String(links[4]).replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    const refused = await browse(forged);
    assert.equal(refused.status, 403);
    assert.match(String(refused.headers.get('content-type')), /text\/html/);
    assert.match(await refused.text(), /This link is not valid/);
    assert.equal((await api('GET', `/v1/cases/${id}`)).json.case.rating.score, 5);

    // Reopened and resolved again the same day: no second survey.
    assert.equal((await api('PATCH', `/v1/cases/${id}`, { status: 'open' })).status, 200);
    assert.equal((await api('PATCH', `/v1/cases/${id}`, { status: 'resolved' })).status, 200);
    await idle(server);
    assert.equal((await outbox(server, customer)).length, 1);
  });
});
