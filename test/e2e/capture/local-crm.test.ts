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

type BusEvent = { 'detail-type': string; detail: Record<string, unknown> };
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
    });
    assert.equal(form.status, 201);
    const page = await call('GET', `/f/${form.json.id}`, undefined, { authorization: '' });
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post" action="\/f\//);

    const post = await call(
      'POST',
      `/f/${form.json.id}?utm_source=twitter&utm_campaign=launch`,
      'email=Grace%40Example.com&firstName=Grace&company=Navy&consent=on',
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

    const timeline = await call('GET', `/v1/contacts/${contact.id}/activities`);
    assert.equal(timeline.json.items[0].type, 'form_submitted');
    assert.deepEqual(timeline.json.items[0].data.utm, { utm_source: 'twitter', utm_campaign: 'launch' });
    assert.equal(timeline.json.items[0].data.consent.text, 'Send me the guide and related emails');

    const published = await eventually(async () => {
      const mine = (await events()).filter((e) => e.detail.contactId === contact.id);
      return mine.length >= 4 ? mine : undefined;
    });
    assert.deepEqual(
      published.map((e) => `${e['detail-type']}${e.detail.tag ? `:${e.detail.tag}` : ''}`).sort(),
      ['ContactCreated', 'ContactTagged:guide', 'ContactTagged:lead', 'FormSubmitted'],
    );
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
    assert.equal(new Set(posts.map((p) => p.json.contactId)).size, 1);
    const found = await call('GET', '/v1/contacts?email=rush@example.com');
    assert.equal(found.json.items.length, 1);
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

  it('serves the OpenAPI document', async () => {
    const res = await call('GET', '/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.ok(res.json.paths['/f/{formId}'].post);
  });

  it('keeps its data and token across a restart', async () => {
    const before = await call('GET', '/v1/contacts?email=grace@example.com');
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
