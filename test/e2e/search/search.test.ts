/**
 * Search through HTTP on the local CRM: contacts created over the API are indexed by the companies
 * function (the bus delivers their events), found by `GET /v1/search` (contacts and companies) and
 * `GET /v1/contacts?q=`; a renamed company's people follow; bad queries are clear 400s; `email=` works.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-search-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
type Result = { kind: string; id: string; name: string; email?: string; company?: string };
const names = (json: { items: Result[] }) => json.items.map((r) => `${r.kind}:${r.name}`).sort();

describe('search over HTTP', () => {
  it('finds contacts and companies by name, company, email part and phone; follows a rename', async () => {
    const company = await api('POST', '/v1/companies', {
      name: 'Analytical Engines',
      domain: 'engines.example',
    });
    assert.equal(company.status, 201, JSON.stringify(company.json));
    const ada = await api('POST', '/v1/contacts', {
      email: 'ada@engines.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0958',
      tags: [],
    });
    assert.equal(ada.status, 201, JSON.stringify(ada.json));
    const grace = await api('POST', '/v1/contacts', {
      email: 'grace@navy.example',
      firstName: 'Grace',
      tags: [],
    });
    assert.equal(grace.status, 201);

    const found = await eventually(async () => {
      const r = await api('GET', '/v1/search?q=ada%20love');
      return r.status === 200 && r.json.items.length > 0 && r.json.items[0].company ? r : undefined;
    }, 30_000);
    assert.deepEqual(names(found.json), ['contact:Ada Lovelace']);
    assert.equal(found.json.items[0].email, 'ada@engines.example');
    assert.equal(found.json.items[0].company, 'Analytical Engines', 'joined by its domain');

    const byCompany = await api('GET', '/v1/search?q=analytical');
    assert.deepEqual(names(byCompany.json), ['company:Analytical Engines', 'contact:Ada Lovelace']);
    assert.deepEqual(names((await api('GET', '/v1/search?q=020%207946%200958')).json), [
      'contact:Ada Lovelace',
    ]);
    assert.deepEqual(names((await api('GET', '/v1/search?q=ENGINES.exa')).json), [
      'company:Analytical Engines',
      'contact:Ada Lovelace',
    ]);

    const list = await api('GET', '/v1/contacts?q=lovelace');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json.items.map((c: { email: string }) => c.email),
      ['ada@engines.example'],
    );
    const byEmail = await api('GET', '/v1/contacts?email=GRACE@navy.example');
    assert.deepEqual(
      byEmail.json.items.map((c: { id: string }) => c.id),
      [grace.json.id],
      'email= still looks up one contact',
    );

    const renamed = await api('PATCH', `/v1/companies/${company.json.id}`, {
      version: 1,
      name: 'Difference Works',
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    const afterRename = await eventually(async () => {
      const r = await api('GET', '/v1/search?q=works');
      return r.json.items.length === 2 ? r : undefined;
    }, 30_000);
    assert.deepEqual(names(afterRename.json), ['company:Difference Works', 'contact:Ada Lovelace']);
    assert.equal(
      afterRename.json.items.find((r: Result) => r.kind === 'contact').company,
      'Difference Works',
    );

    const erased = await api('DELETE', `/v1/contacts/${ada.json.id}`);
    assert.equal(erased.status, 204);
    assert.deepEqual((await api('GET', '/v1/contacts?q=lovelace')).json.items, []);
  });

  it('answers clear 400s for a query it cannot read', async () => {
    const short = await api('GET', '/v1/search?q=a');
    assert.equal(short.status, 400);
    assert.equal(short.json.error.code, 'validation_error', JSON.stringify(short.json));
    assert.equal(short.json.error.details[0].path, 'query.q');
    const missing = await api('GET', '/v1/search');
    assert.equal(missing.status, 400);
    const both = await api('GET', '/v1/contacts?q=ada&tag=lead');
    assert.equal(both.status, 400);
    const shortList = await api('GET', '/v1/contacts?q=x');
    assert.equal(shortList.status, 400);
    assert.equal(shortList.json.error.details[0].path, 'query.q');
    const badCursor = await api('GET', '/v1/search?q=ada&cursor=bm90LWEtY3Vyc29y');
    assert.equal(badCursor.status, 400);
  });
});
