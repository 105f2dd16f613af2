/**
 * The search index on DynamoDB Local: contacts found by first, last and full name, company, email
 * parts and phone (accents and case folded, every word of a query matching); kept right on update
 * (old tokens gone), company association (by domain and by hand), company rename, contact erasure
 * and company deletion; companies found by name and domain; pages without duplicates; the backfill
 * of records the consumer never saw; a redelivered event changing nothing. Every search is counted:
 * one Query and at most one BatchGetItem, whatever the page holds.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addContactToCompany } from '#companies/association.js';
import { createCompany, deleteCompany, updateCompany } from '#companies/companies.js';
import { onCompanyEvent } from '#companies/consumer.js';
import { createContact, deleteContact, getContact, updateContact } from '#contacts/rules.js';
import { Table } from '#platform/dynamo/table.js';
import { DomainError } from '#platform/errors.js';
import { COMPANY_AND_SEARCH_EVENTS } from '#platform/event-rules.js';
import { parseEvent } from '#platform/events.js';
import { runBackfill } from '#search/backfill.js';
import { onSearchEvent } from '#search/consumer.js';
import { search, searchContacts } from '#search/search.js';
import type { SearchDeps } from '#search/store.js';
import { searchStore } from '#search/store-dynamo.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
let s: SearchDeps;
/** Every command the search deps sent, by name (a counting client). */
let sent: string[] = [];
const delivered = new Set<string>();

before(async () => {
  t = await createTestTable();
  const doc = DynamoDBDocumentClient.from(t.client, { marshallOptions: { removeUndefinedValues: true } });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  s = { store: searchStore(new Table(doc, t.tableName)), clock: { now: () => new Date() }, ids: t.deps.ids };
});

/** Delivers the rule's events not delivered yet, as the companies function does (companies, then search), until none is left. */
async function deliver(times = 1): Promise<string[]> {
  const outcomes: string[] = [];
  for (let round = 0; round < 10; round++) {
    const pending = (await outboxEvents(t)).filter(
      (e) =>
        !delivered.has(String(e.detail.eventId)) &&
        (COMPANY_AND_SEARCH_EVENTS['detail-type'] as readonly string[]).includes(e.detailType),
    );
    if (pending.length === 0) break;
    for (const e of pending) {
      delivered.add(String(e.detail.eventId));
      const event = parseEvent(e.detailType, e.detail);
      for (let i = 0; i < times; i++) {
        await onCompanyEvent(t.deps, event);
        outcomes.push(`${e.detailType}:${await onSearchEvent(s, event)}`);
      }
    }
  }
  return outcomes;
}

/** The search, its results as `kind:name`, and the reads it made. */
async function find(q: string, limit = 10, cursor?: string) {
  sent = [];
  const page = await search(s, { q, limit, cursor });
  const reads = [...sent];
  return { page, names: page.items.map((r) => `${r.kind}:${r.name}`), reads };
}

const searchItemsOf = async (id: string) =>
  (await t.items()).filter((i) => String(i.SK).startsWith('SEARCH') && String(i.PK).endsWith(id));

describe('search', () => {
  let ada: { id: string };
  let charles: { id: string };
  let byron: { id: string };

  before(async () => {
    ada = await createContact(t.deps, {
      email: 'ada.lovelace@example.org',
      firstName: 'Ádá',
      lastName: 'Lovelace',
      phone: '+44 (20) 7946-0958',
      company: 'Analytical Society',
      tags: [],
    });
    byron = await createContact(t.deps, {
      email: 'ada@byron.example',
      firstName: 'Ada',
      lastName: 'Byron',
      tags: [],
    });
    charles = await createContact(t.deps, {
      email: 'charles@engines.example',
      firstName: 'Charles',
      lastName: 'Babbage',
      tags: [],
    });
    await deliver();
  });

  it('finds a contact by first, last and full name, accents and case folded, in two reads', async () => {
    const both = await find('ada');
    assert.deepEqual(both.names.sort(), ['contact:Ada Byron', 'contact:Ádá Lovelace']);
    assert.deepEqual(
      both.reads,
      ['QueryCommand', 'BatchGetItemCommand'],
      'one index page, one batch of profiles',
    );
    assert.deepEqual((await find('LOVELACE')).names, ['contact:Ádá Lovelace']);
    assert.deepEqual((await find('ada love')).names, ['contact:Ádá Lovelace'], 'every word must match');
    assert.deepEqual((await find('love ADA')).names, ['contact:Ádá Lovelace']);
    assert.deepEqual((await find('ada babbage')).names, [], 'no contact has both');
    const none = await find('zebedee');
    assert.deepEqual(none.names, []);
    assert.deepEqual(none.reads, ['QueryCommand'], 'nothing found: no batch read');
  });

  it('finds by email part, domain, phone in any formatting and the company text', async () => {
    assert.deepEqual((await find('ada.lovelace@exa')).names, ['contact:Ádá Lovelace']);
    assert.deepEqual((await find('example.org')).names, ['contact:Ádá Lovelace']);
    assert.deepEqual((await find('byron')).names, ['contact:Ada Byron'], 'by the domain of its email');
    assert.deepEqual((await find('020 7946 0958')).names, ['contact:Ádá Lovelace']);
    assert.deepEqual((await find('+442079460958')).names, ['contact:Ádá Lovelace']);
    assert.deepEqual((await find('7946-0958')).names, ['contact:Ádá Lovelace'], 'a tail of the number');
    const bySociety = await find('analytical');
    assert.deepEqual(bySociety.names, ['contact:Ádá Lovelace']);
    assert.equal(bySociety.page.items[0]?.company, 'Analytical Society');
    assert.equal(bySociety.page.items[0]?.email, 'ada.lovelace@example.org');
  });

  it('refuses a query without a word of 2 characters (400)', async () => {
    await assert.rejects(
      search(s, { q: 'a', limit: 10 }),
      (err) => err instanceof DomainError && err.kind === 'invalid',
    );
  });

  it('an update replaces the old tokens; a redelivered event changes nothing', async () => {
    const current = await getContact(t.deps, ada.id);
    await updateContact(t.deps, ada.id, {
      version: current.version,
      lastName: 'King',
      email: 'countess@lovelace.example',
      phone: null,
    });
    const outcomes = await deliver(2);
    assert.deepEqual(
      outcomes.filter((o) => o.startsWith('ContactUpdated')),
      ['ContactUpdated:indexed', 'ContactUpdated:unchanged'],
    );
    assert.deepEqual((await find('king')).names, ['contact:Ádá King']);
    assert.deepEqual((await find('countess')).names, ['contact:Ádá King']);
    assert.deepEqual((await find('ada.lovelace@example.org')).names, [], 'the old email');
    assert.deepEqual((await find('0958')).names, [], 'the phone cleared');
    assert.deepEqual((await find('lovelace')).names, ['contact:Ádá King'], 'its new email’s domain');
    const tokens = (await searchItemsOf(ada.id)).map((i) => String(i.SK));
    assert.ok(!tokens.includes('SEARCH#example'), 'no token of the old email is left');
  });

  it('follows company association and rename; finds companies by name and domain', async () => {
    const engines = await createCompany(t.deps, { name: 'Difference Engines', domain: 'engines.example' });
    await deliver();
    const found = await find('difference');
    assert.deepEqual(found.names.sort(), ['company:Difference Engines', 'contact:Charles Babbage']);
    assert.deepEqual(
      found.reads,
      ['QueryCommand', 'BatchGetItemCommand'],
      'contacts and companies: still two reads',
    );
    const charlesHit = found.page.items.find((r) => r.kind === 'contact');
    assert.equal(charlesHit?.company, 'Difference Engines', 'joined by its domain');
    assert.equal(charlesHit?.companyId, engines.id);
    assert.equal(found.page.items.find((r) => r.kind === 'company')?.domain, 'engines.example');
    // By hand.
    await addContactToCompany(t.deps, engines.id, byron.id);
    await deliver();
    assert.deepEqual((await find('engines')).names.sort(), [
      'company:Difference Engines',
      'contact:Ada Byron',
      'contact:Charles Babbage',
    ]);
    // Renamed: its people are found by the new name and show it.
    await updateCompany(t.deps, engines.id, { name: 'Babbage Works' }, engines.version);
    await deliver();
    assert.deepEqual((await find('difference')).names, []);
    const works = await find('works');
    assert.deepEqual(works.names.sort(), [
      'company:Babbage Works',
      'contact:Ada Byron',
      'contact:Charles Babbage',
    ]);
    assert.ok(
      works.page.items.filter((r) => r.kind === 'contact').every((r) => r.company === 'Babbage Works'),
    );
    assert.deepEqual((await find('ada works')).names, ['contact:Ada Byron']);
    // Deleted: the company leaves the index, its people lose it.
    await deleteCompany(t.deps, engines.id);
    await deliver();
    assert.deepEqual((await find('works')).names, []);
    assert.deepEqual((await searchItemsOf(engines.id)).length, 0);
    assert.deepEqual((await find('babbage')).names, ['contact:Charles Babbage']);
    assert.equal((await find('babbage')).page.items[0]?.company, undefined);
  });

  it('an erased contact leaves no search item', async () => {
    assert.ok((await searchItemsOf(charles.id)).length > 0);
    await deleteContact(t.deps, charles.id);
    assert.deepEqual(await searchItemsOf(charles.id), [], 'erased with its partition');
    assert.ok((await deliver()).includes('ContactDeleted:unchanged'));
    assert.deepEqual((await find('charles')).names, []);
  });

  it('pages through many matches without duplicates, two reads a page', async () => {
    for (let i = 0; i < 7; i++)
      await createContact(t.deps, {
        email: `pat${i}@patterson.example`,
        firstName: 'Pat',
        lastName: `Patterson`,
        tags: [],
      });
    await deliver();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { page, reads } = await find('pat', 3, cursor);
      assert.ok(page.items.length <= 3);
      assert.ok(reads.length <= 2 && reads[0] === 'QueryCommand', `page ${pages}: ${reads.join()}`);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(seen.length, 7, 'each contact once');
    assert.equal(new Set(seen).size, 7);
    assert.ok(pages >= 3);
  });

  it('GET /v1/contacts?q= answers whole contacts only', async () => {
    const page = await searchContacts(s, { q: 'ada', limit: 10 });
    assert.deepEqual(page.items.map((c) => c.email).sort(), [
      'ada@byron.example',
      'countess@lovelace.example',
    ]);
  });
});

describe('backfill', () => {
  it('indexes records the consumer never saw, resumes, and is done once', async () => {
    const b = await createTestTable();
    const bs: SearchDeps = {
      store: searchStore(new Table(b.doc, b.tableName)),
      clock: b.deps.clock,
      ids: b.deps.ids,
    };
    for (let i = 0; i < 5; i++)
      await createContact(b.deps, {
        email: `old${i}@grace.example`,
        firstName: 'Grace',
        lastName: `Hopper${i}`,
        tags: [],
      });
    await createCompany(b.deps, { name: 'Grace Industries' });
    assert.deepEqual((await search(bs, { q: 'grace', limit: 10 })).items, [], 'nothing indexed yet');
    const first = await runBackfill(bs, { budget: 1 });
    assert.deepEqual(first, { phase: 'companies', swept: 5 }, 'a page of contacts, then it stopped');
    const second = await runBackfill(bs);
    assert.deepEqual(second, { phase: 'done', swept: 1 });
    const found = await search(bs, { q: 'grace', limit: 10 });
    assert.equal(found.items.filter((r) => r.kind === 'contact').length, 5);
    assert.equal(found.items.filter((r) => r.kind === 'company').length, 1);
    assert.deepEqual(await runBackfill(bs), { phase: 'done', swept: 0 }, 'done: nothing swept again');
    // An import that updated contacts starts it again.
    const restarted = await onSearchEvent(
      bs,
      parseEvent('ImportCompleted', {
        version: 1,
        eventId: 'E-import',
        occurredAt: new Date().toISOString(),
        importId: 'I1',
        rows: 1,
        processed: 1,
        created: 0,
        updated: 1,
        unchanged: 0,
        failed: 0,
        tagsAdded: {},
      }),
    );
    assert.equal(restarted, 'backfill_restarted');
    assert.deepEqual(await runBackfill(bs), { phase: 'done', swept: 6 });
  });
});
