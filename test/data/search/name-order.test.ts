/**
 * The contacts list by name on DynamoDB Local (GET /v1/contacts?sort=name|-name): the name order
 * entries the search consumer keeps from contact events (accents and case folded, a contact without
 * a name by its email), page after page across cursors, A→Z and Z→A; a rename moving a contact, its
 * events delivered again and out of order leaving one entry in the right place, an erased contact
 * gone, an entry whose profile is gone skipped; the backfill giving contacts indexed before the entry
 * theirs; a tag with a name order refused. A page is one Query and one BatchGetItem.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { api } from '#app/api.js';
import { contactKeys } from '#contacts/keys.js';
import { createContact, deleteContact, updateContact } from '#contacts/rules.js';
import { contactsStore } from '#contacts/store-dynamo.js';
import { Table } from '#platform/dynamo/table.js';
import { COMPANY_AND_SEARCH_EVENTS } from '#platform/event-rules.js';
import { type DomainEvent, parseEvent } from '#platform/events.js';
import type { ApiHandler } from '#platform/http/handler.js';
import type { RouteDef } from '#platform/http/route.js';
import { runBackfill } from '#search/backfill.js';
import { onSearchEvent } from '#search/consumer.js';
import { indexContact } from '#search/indexing.js';
import { INDEX_VERSION } from '#search/rules.js';
import type { SearchDeps } from '#search/store.js';
import { searchStore } from '#search/store-dynamo.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { apiEvent, lambdaContext, type RequestSpec } from '#test/support/events.js';

let t: TestTable;
let s: SearchDeps;
let handler: ApiHandler;
/** The contacts store on a client that counts the commands it sends. */
let counted: ReturnType<typeof contactsStore>;
let sent: string[] = [];
const delivered = new Set<string>();

before(async () => {
  t = await createTestTable();
  s = { store: searchStore(new Table(t.doc, t.tableName)), clock: t.deps.clock, ids: t.deps.ids };
  const doc = DynamoDBDocumentClient.from(t.client, { marshallOptions: { removeUndefinedValues: true } });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  counted = contactsStore(new Table(doc, t.tableName));
  process.env.TABLE_NAME = t.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  handler = (await import('#handlers/contacts-api.js')).handler;
});

/** The search rule's events not delivered yet (in `order`), each given to the search consumer. */
async function pending(): Promise<DomainEvent[]> {
  return (await outboxEvents(t))
    .filter(
      (e) =>
        !delivered.has(String(e.detail.eventId)) &&
        (COMPANY_AND_SEARCH_EVENTS['detail-type'] as readonly string[]).includes(e.detailType),
    )
    .map((e) => parseEvent(e.detailType, e.detail));
}
async function deliver(events?: DomainEvent[]) {
  for (const event of events ?? (await pending())) {
    delivered.add(event.detail.eventId);
    await onSearchEvent(s, event);
  }
}

async function send(route: RouteDef, spec: RequestSpec = {}) {
  const res = (await handler(apiEvent(route, spec), lambdaContext)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode ?? 0, body: res.body ? JSON.parse(res.body) : undefined };
}

/** Every page of the list in an order, through the route, as `limit` a page. */
async function allPages(sort: string, limit = 2): Promise<string[]> {
  const emails: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const res = await send(api.listContacts, {
      query: { sort, limit: String(limit), ...(cursor ? { cursor } : {}) },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.items.length <= limit);
    emails.push(...res.body.items.map((c: { email: string }) => c.email));
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return emails;
}

const nameEntries = async () => (await t.items()).filter((i) => i.SK === 'NAME_ORDER');

describe('the contacts list by name', () => {
  const ids: Record<string, string> = {};
  const add = async (email: string, firstName?: string, lastName?: string) => {
    const c = await createContact(t.deps, {
      email,
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      tags: ['team'],
    });
    ids[email] = c.id;
    return c;
  };

  before(async () => {
    await add('zoe@example.com', 'Zoë', 'Quist');
    await add('elodie@example.fr', 'Élodie', 'Durand');
    await add('ada@example.org', 'ada', 'Lovelace');
    await add('ada2@example.org', 'ADA');
    await add('bob@example.com');
    await add('adam@example.com', 'Adam', 'Smith');
    await add('charles@example.com', 'Charles', 'babbage');
    await deliver();
  });

  const AZ = [
    'ada2@example.org', // ada
    'ada@example.org', // ada lovelace
    'adam@example.com', // adam smith
    'bob@example.com', // no name: by its email
    'charles@example.com', // charles babbage
    'elodie@example.fr', // elodie durand
    'zoe@example.com', // zoe quist
  ];

  it('lists A→Z and Z→A across cursors, case and accents folded, a contact without a name by its email', async () => {
    assert.deepEqual(await allPages('name'), AZ);
    assert.deepEqual(await allPages('-name', 3), [...AZ].reverse());
    assert.equal((await nameEntries()).length, 7, 'one entry per contact');
  });

  it('reads a page with one Query and one BatchGetItem', async () => {
    sent = [];
    const page = await counted.listContacts({ sort: 'name', limit: 3 });
    assert.deepEqual(
      page.items.map((c) => c.email),
      AZ.slice(0, 3),
    );
    assert.deepEqual(sent, ['QueryCommand', 'BatchGetItemCommand']);
    sent = [];
    const next = await counted.listContacts({ sort: 'name', limit: 3, cursor: page.nextCursor });
    assert.deepEqual(
      next.items.map((c) => c.email),
      AZ.slice(3, 6),
    );
    assert.deepEqual(sent, ['QueryCommand', 'BatchGetItemCommand']);
  });

  it('moves a renamed contact; its events again and out of order leave one entry, in its place', async () => {
    const zoe = await updateContact(t.deps, ids['zoe@example.com'] as string, {
      version: 1,
      firstName: 'Aaron',
      lastName: null,
    });
    const named = await updateContact(t.deps, ids['bob@example.com'] as string, {
      version: 1,
      firstName: 'Bob',
      lastName: 'Zane',
    });
    assert.equal(named.firstName, 'Bob');
    const events = await pending();
    // The latest first, then the earlier: each reindexes from the contact as it is now.
    await deliver([...events].reverse());
    const expected = [
      'zoe@example.com', // aaron
      'ada2@example.org',
      'ada@example.org',
      'adam@example.com',
      'bob@example.com', // bob zane
      'charles@example.com',
      'elodie@example.fr',
    ];
    assert.deepEqual(await allPages('name'), expected);
    // Every event delivered again (a redelivery): nothing moves, nothing is added.
    const all = (await outboxEvents(t)).map((e) => parseEvent(e.detailType, e.detail));
    await deliver(
      all.filter((e) => (COMPANY_AND_SEARCH_EVENTS['detail-type'] as string[]).includes(e.detailType)),
    );
    assert.deepEqual(await allPages('name', 4), expected);
    const entries = await nameEntries();
    assert.equal(entries.length, 7);
    assert.equal(entries.find((e) => e.contactId === zoe.id)?.sortName, 'aaron');
  });

  it('drops an erased contact, and skips an entry whose profile is gone until it is reindexed', async () => {
    await deleteContact(t.deps, ids['adam@example.com'] as string);
    await deliver();
    assert.ok(!(await allPages('name')).includes('adam@example.com'));
    assert.equal((await nameEntries()).length, 6);
    // A profile gone while its entry is still there (an erasure under way): the page skips it.
    const charles = ids['charles@example.com'] as string;
    await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: contactKeys.contact(charles) }));
    const page = await send(api.listContacts, { query: { sort: 'name', limit: '10' } });
    assert.ok(!page.body.items.some((c: { id: string }) => c.id === charles));
    assert.equal(await indexContact(s, charles), 'removed');
    assert.equal((await nameEntries()).length, 5);
  });

  it('refuses a name order with a tag or a search, with a 400 at query.sort', async () => {
    const queries: Record<string, string>[] = [
      { tag: 'team', sort: 'name' },
      { tag: 'team', sort: '-name' },
      { q: 'ada', sort: 'name' },
      { sort: 'surname' },
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
    const tagged = await send(api.listContacts, { query: { tag: 'team', sort: 'created' } });
    assert.equal(tagged.status, 200);
  });

  it('refuses a cursor of another order', async () => {
    const created = await send(api.listContacts, { query: { limit: '1' } });
    const res = await send(api.listContacts, {
      query: { sort: 'name', cursor: created.body.nextCursor },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_cursor');
  });
});

describe('the backfill of the name order', () => {
  it('gives contacts indexed before the name order (an older index version) their entry', async () => {
    const b = await createTestTable();
    const bs: SearchDeps = {
      store: searchStore(new Table(b.doc, b.tableName)),
      clock: b.deps.clock,
      ids: b.deps.ids,
    };
    const names = ['Marie Curie', 'Alan Turing', 'Grace Hopper'];
    const made: string[] = [];
    for (const [i, name] of names.entries()) {
      const [firstName, lastName] = name.split(' ');
      made.push(
        (await createContact(b.deps, { email: `p${i}@old.example`, firstName, lastName, tags: [] })).id,
      );
    }
    assert.equal((await runBackfill(bs)).phase, 'done');
    // As an older version left them: documents without a sort name, no entries, the sweep done.
    for (const id of made) {
      const doc = await bs.store.getSearchDoc({ kind: 'contact', id });
      assert.ok(doc?.sortName);
      const { sortName: _gone, ...older } = doc;
      await bs.store.commit([
        {
          kind: 'putSearchDoc',
          doc: { ...older, indexVersion: INDEX_VERSION - 1, version: doc.version + 1 },
          expectedVersion: doc.version,
        },
        { kind: 'deleteNameOrder', contactId: id },
      ]);
    }
    const state = await bs.store.getSearchBackfill();
    assert.ok(state);
    await bs.store.commit([
      {
        kind: 'putSearchBackfill',
        state: { ...state, indexVersion: INDEX_VERSION - 1, version: state.version + 1 },
        expectedVersion: state.version,
      },
    ]);
    const store = contactsStore(new Table(b.doc, b.tableName));
    assert.deepEqual((await store.listContacts({ sort: 'name', limit: 10 })).items, [], 'no entries');
    assert.deepEqual(await runBackfill(bs), { phase: 'done', swept: 3 });
    const listed = await store.listContacts({ sort: 'name', limit: 10 });
    assert.deepEqual(
      listed.items.map((c) => c.email),
      ['p1@old.example', 'p2@old.example', 'p0@old.example'],
    );
  });
});
