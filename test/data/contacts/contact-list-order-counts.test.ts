/**
 * The contacts list's order and totals: every contact and a tag's contacts newest or oldest first,
 * page after page, from their index (GET /v1/contacts?sort=); the totals (GET /v1/contacts/count)
 * from the counters the dashboard projection keeps, right after contacts are created, imported,
 * tagged, untagged and deleted, and after a redelivery.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { api } from '#app/api.js';
import * as contacts from '#contacts/rules.js';
import { projectEvent } from '#insights/counters.js';
import { DASHBOARD_EVENTS } from '#platform/event-rules.js';
import { type DomainEvent, parseEvent } from '#platform/events.js';
import type { ApiHandler } from '#platform/http/handler.js';
import type { RouteDef } from '#platform/http/route.js';
import { matchesPattern, type Pattern } from '#platform/pattern-match.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { apiEvent, lambdaContext, type RequestSpec } from '#test/support/events.js';
import { runImport } from '#test/support/imports.js';

let t: TestTable;
let handler: ApiHandler;

before(async () => {
  t = await createTestTable();
  process.env.TABLE_NAME = t.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  handler = (await import('#handlers/contacts-api.js')).handler;
});

async function send(route: RouteDef, spec: RequestSpec = {}) {
  const res = (await handler(apiEvent(route, spec), lambdaContext)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode ?? 0, body: res.body ? JSON.parse(res.body) : undefined };
}

/** Every page of a list, in the order the API gives them. */
async function allPages(query: Record<string, string>): Promise<string[]> {
  const emails: string[] = [];
  let cursor: string | undefined;
  do {
    const res = await send(api.listContacts, {
      query: { ...query, limit: '3', ...(cursor ? { cursor } : {}) },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    emails.push(...res.body.items.map((c: { email: string }) => c.email));
    cursor = res.body.nextCursor;
  } while (cursor);
  return emails;
}

/** Events of the outbox the dashboard projection has not been given yet, as its rule lets them through. */
const projected = new Set<string>();
async function projectOutbox(options: { again?: boolean } = {}) {
  const items = (await t.items()).filter((i) => String(i.PK).startsWith('OUTBOX#'));
  const events: DomainEvent[] = items
    .map((i) => parseEvent(String(i.detailType), JSON.parse(String(i.detail))))
    .filter((e) =>
      matchesPattern(DASHBOARD_EVENTS as unknown as Pattern, {
        source: e.source,
        'detail-type': e.detailType,
        detail: e.detail,
      }),
    )
    .filter((e) => options.again || !projected.has(e.detail.eventId));
  for (const e of events) {
    await projectEvent(t.deps, e);
    projected.add(e.detail.eventId);
  }
  return events.length;
}

const count = async (query: Record<string, string> = {}) => {
  const res = await send(api.countContacts, { query });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.count as number;
};

describe('the contacts list in order', () => {
  const made: string[] = [];
  it('lists every contact and a tag newest first by default, or oldest first, across pages', async () => {
    for (let i = 0; i < 7; i++) {
      const email = `order${i}@example.com`;
      await contacts.createContact(t.deps, { email, tags: i % 2 === 0 ? ['even'] : ['odd'] });
      made.push(email);
    }
    const newest = [...made].reverse();
    assert.deepEqual(await allPages({}), newest);
    assert.deepEqual(await allPages({ sort: '-created' }), newest);
    assert.deepEqual(await allPages({ sort: 'created' }), made);
    const even = made.filter((_, i) => i % 2 === 0);
    assert.deepEqual(await allPages({ tag: 'even', sort: 'created' }), even);
    assert.deepEqual(await allPages({ tag: 'even' }), [...even].reverse());
  });

  it('refuses an unknown sort, a sort with a search or an email, and a name order with a tag, with a 400', async () => {
    const queries: Array<Record<string, string>> = [
      { sort: 'score' },
      { sort: 'name', tag: 'lead' },
      { sort: 'created', q: 'order' },
      { sort: '-created', email: 'a@b.co' },
    ];
    for (const query of queries) {
      const res = await send(api.listContacts, { query });
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.body.error.code, 'validation_error');
      assert.ok(
        res.body.error.details.some((d: { path: string }) => d.path === 'query.sort'),
        JSON.stringify(res.body),
      );
    }
  });

  it('refuses a count of a tag and a stage at once, or of an unknown stage', async () => {
    assert.equal((await send(api.countContacts, { query: { tag: 'a', stage: 'lead' } })).status, 400);
    assert.equal((await send(api.countContacts, { query: { stage: 'prospect' } })).status, 400);
    assert.equal((await send(api.countContacts, { query: { other: 'x' } })).status, 400);
  });
});

describe('the totals of the contacts list', () => {
  it('count created, imported, tagged, untagged and deleted contacts as the lists hold them', async () => {
    await projectOutbox();
    assert.equal(await count(), 7);
    assert.equal(await count({ tag: 'even' }), 4);
    // An import: 5 new contacts and 1 known one, all tagged "webinar"; the known one gains the tag too.
    const csv = [
      'email',
      ...[0, 1, 2, 3, 4].map((i) => `imported${i}@example.com`),
      'order1@example.com',
    ].join('\n');
    const done = await runImport(t.deps, `${csv}\n`, { tags: ['webinar'] });
    assert.equal(done.status, 'completed');
    // Tagged and untagged by hand; one contact deleted with its tags.
    const byEmail = async (email: string) =>
      (await contacts.listContacts(t.deps, { email, limit: 1 })).items[0];
    const zero = await byEmail('order0@example.com');
    const three = await byEmail('order3@example.com');
    const six = await byEmail('order6@example.com');
    assert.ok(zero && three && six);
    await contacts.addTags(t.deps, three.id, ['even', 'webinar']);
    await contacts.removeTag(t.deps, six.id, 'even');
    await contacts.deleteContact(t.deps, zero.id);
    assert.ok((await projectOutbox()) > 0);

    const all = await allPages({});
    assert.equal(all.length, 11);
    assert.equal(await count(), all.length);
    for (const tag of ['even', 'odd', 'webinar']) {
      assert.equal(await count({ tag }), (await allPages({ tag })).length, tag);
    }
    assert.equal(await count({ tag: 'even' }), 3);
    assert.equal(await count({ tag: 'webinar' }), 7);
    assert.deepEqual((await send(api.countContacts, { query: { tag: 'webinar' } })).body, {
      count: 7,
      of: 'tag',
    });
    assert.deepEqual(await send(api.countContacts, { query: { tag: 'nobody-has-it' } }), {
      status: 200,
      body: { count: 0, of: 'tag' },
    });

    // Redelivered events are counted once.
    await projectOutbox({ again: true });
    assert.equal(await count(), 11);
    assert.equal(await count({ tag: 'webinar' }), 7);
  });
});
