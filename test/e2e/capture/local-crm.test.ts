/** The local CRM as a user runs it: `npm start`'s entry point, driven over HTTP. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api } from '#app/api.js';
import type { RouteDef } from '#platform/http/route.js';
import { eventually, idle, type LocalServer, startLocalServer } from '#test/support/local-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tendril-e2e-'));
let server: LocalServer;

before(async () => {
  server = await startLocalServer(dataDir);
});
after(async () => {
  await server?.stop();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the assertions
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const pageToken = (html: string) => String(/name="_ts" value="([^"]+)"/.exec(html)?.[1]);

type BusEvent = { source: string; 'detail-type': string; detail: Record<string, unknown> };
const events = async () => ((await call('GET', '/_local/events')).json.items as BusEvent[]) ?? [];

describe('local CRM end to end', () => {
  it('requires the token on every admin route of the contract', async () => {
    const admin = (Object.values(api) as RouteDef[]).filter((r) => r.auth === 'admin');
    assert.ok(admin.length > 20);
    for (const r of admin) {
      const path = r.path.replace(/\{\w+\}/g, '01JF0000000000000000000000');
      for (const authorization of ['', 'Bearer wrong', `Basic ${server.token}`]) {
        const res = await call(r.method, path, r.body ? {} : undefined, { authorization });
        assert.equal(res.status, 401, `${r.method} ${r.path} with "${authorization}"`);
        assert.equal(res.json.error.code, 'unauthorized');
      }
    }
    assert.equal(
      (await call('GET', '/_local/events', undefined, { authorization: 'Bearer wrong' })).status,
      401,
    );
  });

  it('captures a lead from a plain HTML form and publishes its events', async () => {
    const form = await call('POST', '/v1/forms', {
      name: 'Pricing guide',
      fields: ['email', 'firstName', { name: 'company', label: 'Company' }],
      tags: ['guide', 'lead'],
      redirectUrl: 'https://example.com/thanks',
      consent: { text: 'Send me the guide and related emails' },
      spam: { minFillSeconds: 1 },
    });
    assert.equal(form.status, 201);
    const page = await call('GET', `/f/${form.json.id}`, undefined, { authorization: '' });
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post" action="\/f\//);
    // The page may be framed anywhere (no allowed origins given), other pages nowhere.
    assert.match(String(page.headers.get('content-security-policy')), /frame-ancestors \*/);
    // Its one script (the visitor's time zone) is allowed by hash; no other script is.
    assert.match(
      String(page.headers.get('content-security-policy')),
      /; script-src 'sha256-[A-Za-z0-9+/]+=*'$/,
    );
    assert.match(page.text, /<input type="hidden" id="f-timeZone" name="timeZone" value="">/);
    const token = pageToken(page.text);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const post = await call(
      'POST',
      `/f/${form.json.id}?utm_source=twitter&utm_campaign=launch`,
      `email=Grace%40Example.com&firstName=Grace&company=Navy&consent=on&timeZone=america%2Fchicago&_ts=${encodeURIComponent(token)}`,
      {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: '',
        referer: 'https://example.com/pricing',
      },
    );
    assert.equal(post.status, 303);
    assert.equal(post.headers.get('location'), 'https://example.com/thanks');

    const list = await call('GET', '/v1/contacts?tag=guide');
    assert.equal(list.json.items.length, 1);
    const contact = list.json.items[0];
    assert.equal(contact.email, 'grace@example.com');
    assert.equal(contact.company, 'Navy');
    assert.equal(contact.source, 'twitter');
    assert.equal(contact.timeZone, 'America/Chicago');

    const timeline = await call('GET', `/v1/contacts/${contact.id}/activities`);
    assert.equal(timeline.json.items[0].type, 'form_submitted');
    assert.deepEqual(timeline.json.items[0].data.utm, { utm_source: 'twitter', utm_campaign: 'launch' });
    assert.equal(timeline.json.items[0].data.consent.text, 'Send me the guide and related emails');

    // The page's token was used: posting other details with it again shows the form again, not a lead.
    const again = await call(
      'POST',
      `/f/${form.json.id}`,
      `email=other%40example.com&consent=on&_ts=${encodeURIComponent(token)}`,
      { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', authorization: '' },
    );
    assert.equal(again.status, 400);
    assert.match(again.text, /already submitted/);
    assert.match(again.text, /value="other@example.com"/);
    assert.notEqual(pageToken(again.text), token);

    // The capture's own events (the scoring consumer then scores the submission: its events are not these).
    const published = await eventually(async () => {
      const mine = (await events()).filter(
        (e) => e.detail.contactId === contact.id && e.source !== 'tendril.scoring',
      );
      return mine.length >= 4 ? mine : undefined;
    });
    assert.deepEqual(
      published.map((e) => `${e['detail-type']}${e.detail.tag ? `:${e.detail.tag}` : ''}`).sort(),
      ['ContactCreated', 'ContactTagged:guide', 'ContactTagged:lead', 'FormSubmitted'],
    );
  });

  it('keeps a lead whose browser sent something that is no time zone, without it', async () => {
    const form = await call('POST', '/v1/forms', {
      name: 'Zoneless',
      fields: ['email', 'firstName'],
      spam: { requireToken: false, minFillSeconds: 0 },
    });
    const post = await call(
      'POST',
      `/f/${form.json.id}`,
      { email: 'nowhere@example.com', firstName: 'Nia', timeZone: 'Mars/Base' },
      { authorization: '' },
    );
    assert.equal(post.status, 201);
    const [contact] = (await call('GET', '/v1/contacts?email=nowhere@example.com')).json.items;
    assert.equal(contact.firstName, 'Nia');
    assert.equal(contact.timeZone, undefined);
  });

  it('tags a contact over the API: one ContactTagged per new tag, none for a tag it already has', async () => {
    const created = await call('POST', '/v1/contacts', { email: 'tagme@example.com' });
    const id = created.json.id;
    await call('POST', `/v1/contacts/${id}/tags`, { tags: ['customer', 'vip'] });
    await call('POST', `/v1/contacts/${id}/tags`, { tags: ['vip'] });
    await eventually(async () =>
      (await events()).some((e) => e.detail.tag === 'vip' && e.detail.contactId === id) ? true : undefined,
    );
    await idle(server);
    const tagged = (await events()).filter(
      (e) => e['detail-type'] === 'ContactTagged' && e.detail.contactId === id,
    );
    assert.deepEqual(tagged.map((e) => e.detail.tag).sort(), ['customer', 'vip']);
  });

  it('ends concurrent submissions of one email over HTTP in one contact', async () => {
    const form = await call('POST', '/v1/forms', {
      name: 'Rush',
      fields: ['email', 'firstName'],
      tags: ['rush'],
      spam: { requireToken: false, rateLimits: { perIpPerMinute: 100, perFormPerMinute: 100 } },
    });
    const posts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(
          'POST',
          `/f/${form.json.id}`,
          { email: 'rush@example.com', firstName: `N${i}` },
          { authorization: '' },
        ),
      ),
    );
    assert.deepEqual([...new Set(posts.map((p) => p.status))], [201]);
    // Each submission has its own id; none reveals whether the email was known.
    assert.equal(new Set(posts.map((p) => p.json.submissionId)).size, 20);
    assert.ok(posts.every((p) => p.json.contactId === undefined));
    const found = await call('GET', '/v1/contacts?email=rush@example.com');
    assert.equal(found.json.items.length, 1);
  });

  it('shows a browser its mistakes on the form itself, and JSON clients the JSON error', async () => {
    const form = await call('POST', '/v1/forms', {
      name: 'Careful',
      fields: ['email', { name: 'company', label: 'Company', required: true }],
      consent: { text: 'Email me' },
      allowedOrigins: ['https://shop.example'],
      spam: { minFillSeconds: 0, rateLimits: { perIpPerMinute: 3, perFormPerMinute: 100 } },
    });
    // The limit counts per clock minute: start early in one so the four posts below share it.
    if (Date.now() % 60_000 > 50_000) await new Promise((r) => setTimeout(r, 60_500 - (Date.now() % 60_000)));
    const page = await call('GET', `/f/${form.json.id}`, undefined, { authorization: '' });
    assert.match(
      String(page.headers.get('content-security-policy')),
      /frame-ancestors https:\/\/shop\.example/,
    );
    const token = pageToken(page.text);
    const html = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      authorization: '',
    };
    const wrong = await call('POST', `/f/${form.json.id}`, `email=not-an-email&company=&_ts=${token}`, html);
    assert.equal(wrong.status, 400);
    assert.match(String(wrong.headers.get('content-type')), /text\/html/);
    assert.match(wrong.text, /role="alert"/);
    assert.match(wrong.text, /id="f-email"[^>]*value="not-an-email"[^>]*aria-invalid="true"/);
    assert.match(wrong.text, /Company is required/);
    assert.match(wrong.text, /Email me/);
    assert.equal(pageToken(wrong.text), token, 'the unused token is kept');
    const json = await call(
      'POST',
      `/f/${form.json.id}`,
      { email: 'not-an-email', company: 'X', _ts: token },
      {
        authorization: '',
      },
    );
    assert.equal(json.status, 400);
    assert.deepEqual(json.json.error.details.map((d: { path: string }) => d.path).sort(), [
      'consent',
      'email',
    ]);
    const fixed = await call(
      'POST',
      `/f/${form.json.id}`,
      `email=careful%40example.com&company=ACME&consent=on&_ts=${token}`,
      html,
    );
    assert.equal(fixed.status, 200);
    assert.match(fixed.text, /Thank you/);
    // Over the form's limit of 3 a minute from one address: a friendly page, or JSON, with Retry-After.
    const limited = await call('POST', `/f/${form.json.id}`, 'email=x%40example.com', html);
    assert.equal(limited.status, 429);
    assert.match(limited.text, /Too many attempts/);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const limitedJson = await call(
      'POST',
      `/f/${form.json.id}`,
      { email: 'x@example.com' },
      { authorization: '' },
    );
    assert.equal(limitedJson.status, 429);
    assert.equal(limitedJson.json.error.code, 'too_many_submissions');
    const missing = await call('GET', '/f/01JF0000000000000000000000', undefined, {
      accept: 'text/html',
      authorization: '',
    });
    assert.equal(missing.status, 404);
    assert.match(missing.text, /<h1>Not found<\/h1>/);
  });

  it('counts submissions dropped as spam per form and lists them', async () => {
    const form = await call('POST', '/v1/forms', {
      name: 'Bait',
      fields: ['email'],
      spam: { minFillSeconds: 60 },
    });
    const tokenRes = await call('GET', `/f/${form.json.id}/token`, undefined, { authorization: '' });
    assert.equal(tokenRes.status, 200);
    const posts = [
      { email: 'no-token@example.com' },
      { email: 'hasty@example.com', _ts: tokenRes.json.token },
      { email: 'pot@example.com', _hp: 'x' },
    ];
    for (const body of posts) {
      const res = await call('POST', `/f/${form.json.id}`, body, { authorization: '' });
      assert.equal(res.status, 201, 'a bot is told nothing');
    }
    const dropped = await call('GET', `/v1/forms/${form.json.id}/dropped-submissions`);
    assert.deepEqual(
      dropped.json.items.map((d: { email: string; reason: string }) => `${d.email}:${d.reason}`).sort(),
      ['hasty@example.com:too_fast', 'no-token@example.com:token_missing', 'pot@example.com:honeypot'],
    );
    const counted = await eventually(async () => {
      const board = await call('GET', '/v1/reports/dashboard');
      const mine = board.json.forms.find((f: { formId: string }) => f.formId === form.json.id);
      return mine?.dropped === 3 ? mine : undefined;
    });
    assert.deepEqual(counted, { formId: form.json.id, submitted: 0, dropped: 3 });
    const contacts = await call('GET', '/v1/contacts?email=hasty@example.com');
    assert.equal(contacts.json.items.length, 0);
  });

  it('answers bad input with 4xx JSON errors', async () => {
    const cases: Array<[string, string, unknown, Record<string, string>, number]> = [
      ['POST', '/v1/contacts', '{oops', { 'content-type': 'application/json' }, 400],
      ['POST', '/v1/contacts', { email: 'x@y.zz', role: 'admin' }, {}, 400],
      ['GET', '/v1/contacts/123', undefined, {}, 400],
      ['GET', '/v1/contacts/%E0%A4%A', undefined, {}, 400],
      ['PUT', '/v1/contacts', { email: 'x@y.zz' }, {}, 405],
      [
        'POST',
        '/v1/contacts',
        JSON.stringify({ email: 'big@example.com', pad: 'x'.repeat(300_000) }),
        { 'content-type': 'application/json' },
        413,
      ],
      ['GET', '/v1/nothing-here', undefined, {}, 404],
    ];
    for (const [method, path, body, headers, status] of cases) {
      const res = await call(method, path, body, headers);
      assert.equal(res.status, status, `${method} ${path}: ${res.text.slice(0, 200)}`);
      assert.equal(typeof res.json.error.code, 'string');
    }
  });

  it('answers 413 as soon as a public body passes 256 KB, without reading the rest', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${server.url}/f/01JF0000000000000000000000`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (err) =>
        err.message.includes('EPIPE') || err.message.includes('ECONNRESET') ? undefined : reject(err),
      );
      // 300 KB of a declared 10 MB, and then nothing: the answer must come without the rest.
      req.write(Buffer.alloc(300 * 1024, 'x'));
      setTimeout(() => reject(new Error('no answer before the body ended')), 5_000).unref();
    });
    assert.equal(status, 413);
  });

  it('serves the OpenAPI document', async () => {
    const res = await call('GET', '/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.ok(res.json.paths['/f/{formId}'].post);
  });

  it('keeps its data and token across a restart', async () => {
    const before = await call('GET', '/v1/contacts?email=grace@example.com');
    // Everything the earlier tests started is published first (a consumer's event committed just
    // before the stop would rightly be published after the restart, and counted below).
    await idle(server);
    await server.stop();
    const token = server.token;
    server = await startLocalServer(dataDir);
    assert.equal(server.token, token);
    const after = await call('GET', '/v1/contacts?email=grace@example.com');
    assert.deepEqual(after.json, before.json);
    // Events already published before the restart are not published again.
    await idle(server);
    assert.equal((await events()).length, 0);
    // ... while new ones still are.
    const fresh = await call('POST', '/v1/contacts', { email: 'after-restart@example.com' });
    await eventually(async () =>
      (await events()).some((e) => e.detail.contactId === fresh.json.id) ? true : undefined,
    );
  });
});
