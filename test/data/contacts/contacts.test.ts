import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { runImport } from '#test/support/imports.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
});

const expectError = async (p: Promise<unknown>, status: number, code: string) => {
  await assert.rejects(
    p,
    (e: unknown) => e instanceof DomainError && STATUS_OF[e.kind] === status && e.code === code,
  );
};

describe('contacts on DynamoDB', () => {
  it('creates a contact with tags and one event per tag, and refuses a second one with the same email', async () => {
    const c = await contacts.createContact(t.deps, {
      email: 'dup@example.com',
      firstName: 'Dee',
      tags: ['b', 'a'],
    });
    assert.deepEqual(c.tags, ['a', 'b']);
    assert.equal(c.version, 1);
    await assert.rejects(contacts.createContact(t.deps, { email: 'dup@example.com' }), (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(STATUS_OF[e.kind], 409);
      assert.deepEqual(e.details, { existingId: c.id });
      return true;
    });
    const events = (await outboxEvents(t)).filter((e) => e.detail.contactId === c.id);
    assert.deepEqual(
      events.map((e) => [e.detailType, e.detail.tag ?? null]),
      [
        ['ContactCreated', null],
        ['ContactTagged', 'a'],
        ['ContactTagged', 'b'],
      ],
    );
  });

  it('lets exactly one of many concurrent creates with the same email win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        contacts.createContact(t.deps, { email: 'race@example.com', firstName: `R${i}` }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      assert.equal(((r as PromiseRejectedResult).reason as DomainError).code, 'email_taken');
    }
    const page = await contacts.listContacts(t.deps, { email: 'race@example.com', limit: 10 });
    assert.equal(page.items.length, 1);
  });

  it('updates with optimistic concurrency, clears with null and moves the email guard', async () => {
    const c = await contacts.createContact(t.deps, {
      email: 'old@example.com',
      phone: '+1 555',
      fields: { plan: 'free' },
    });
    const u = await contacts.updateContact(t.deps, c.id, {
      version: 1,
      email: 'new@example.com',
      phone: null,
      fields: { plan: 'pro', seats: 3 },
    });
    assert.equal(u.version, 2);
    assert.equal(u.phone, undefined);
    assert.deepEqual(u.fields, { plan: 'pro', seats: 3 });
    assert.deepEqual(await contacts.getContact(t.deps, c.id), u);
    await expectError(
      contacts.updateContact(t.deps, c.id, { version: 1, firstName: 'Stale' }),
      409,
      'version_conflict',
    );
    // The old address is free again, the new one is taken.
    assert.equal(await t.deps.store.findContactIdByEmail('old@example.com'), undefined);
    assert.equal(await t.deps.store.findContactIdByEmail('new@example.com'), c.id);
    const other = await contacts.createContact(t.deps, { email: 'old@example.com' });
    await expectError(
      contacts.updateContact(t.deps, other.id, { version: 1, email: 'new@example.com' }),
      409,
      'email_taken',
    );
    assert.equal((await contacts.getContact(t.deps, other.id)).email, 'old@example.com');
  });

  it('adds each tag once, even when the same tags are added concurrently', async () => {
    const c = await contacts.createContact(t.deps, { email: 'tags@example.com' });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => contacts.addTags(t.deps, c.id, ['x', 'y'])),
    );
    assert.deepEqual(results.flatMap((r) => r.added).sort(), ['x', 'y']);
    const again = await contacts.addTags(t.deps, c.id, ['x']);
    assert.deepEqual(again.added, []);
    const tagged = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'ContactTagged' && e.detail.contactId === c.id,
    );
    assert.deepEqual(tagged.map((e) => e.detail.tag).sort(), ['x', 'y']);
    assert.deepEqual((await contacts.getContact(t.deps, c.id)).tags, ['x', 'y']);

    assert.deepEqual(await contacts.removeTag(t.deps, c.id, 'x'), { removed: true });
    assert.deepEqual(await contacts.removeTag(t.deps, c.id, 'x'), { removed: false });
    assert.deepEqual((await contacts.getContact(t.deps, c.id)).tags, ['y']);
    await expectError(contacts.addTags(t.deps, '01JF0000000000000000000000', ['x']), 404, 'not_found');
  });

  it('lists by tag through the index, newest first, with a working cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await contacts.createContact(t.deps, { email: `p${i}@page.com`, tags: ['paged'] })).id);
    await contacts.createContact(t.deps, { email: 'other@page.com', tags: ['unrelated'] });
    const first = await contacts.listContacts(t.deps, { tag: 'paged', limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const second = await contacts.listContacts(t.deps, { tag: 'paged', limit: 2, cursor: first.nextCursor });
    const third = await contacts.listContacts(t.deps, { tag: 'paged', limit: 2, cursor: second.nextCursor });
    const seen = [...first.items, ...second.items, ...third.items].map((c) => c.id);
    assert.deepEqual(seen, [...ids].reverse());
    await expectError(
      contacts.listContacts(t.deps, { limit: 2, cursor: first.nextCursor }),
      400,
      'invalid_cursor',
    );
  });

  it('keeps a timeline newest first and refuses activities for missing contacts', async () => {
    const c = await contacts.createContact(t.deps, { email: 'timeline@example.com' });
    await contacts.recordActivity(t.deps, c.id, {
      type: 'call',
      body: 'first',
      occurredAt: '2026-01-01T10:00:00.000Z',
    });
    await contacts.recordActivity(t.deps, c.id, {
      type: 'purchase',
      body: 'order',
      amount: 49,
      currency: 'EUR',
      occurredAt: '2026-03-01T10:00:00.000Z',
    });
    await contacts.recordActivity(t.deps, c.id, {
      type: 'note',
      body: 'middle',
      occurredAt: '2026-02-01T10:00:00.000Z',
    });
    const page = await contacts.listActivities(t.deps, c.id, { limit: 10 });
    assert.deepEqual(
      page.items.map((a) => a.body),
      ['order', 'middle', 'first'],
    );
    assert.equal(page.items[0]?.amount, 49);
    await expectError(
      contacts.recordActivity(t.deps, '01JF0000000000000000000000', { type: 'note', body: 'x' }),
      404,
      'not_found',
    );
  });

  it('erases a contact and everything keyed to it', async () => {
    const c = await contacts.createContact(t.deps, { email: 'erase@example.com', tags: ['gone'] });
    await contacts.recordActivity(t.deps, c.id, { type: 'note', body: 'bye' });
    await contacts.deleteContact(t.deps, c.id);
    const left = (await t.items()).filter(
      (i) => JSON.stringify(i).includes(c.id) && !String(i.PK).startsWith('OUTBOX#'),
    );
    assert.deepEqual(left, []);
    await expectError(contacts.getContact(t.deps, c.id), 404, 'not_found');
    assert.equal((await contacts.listContacts(t.deps, { tag: 'gone', limit: 10 })).items.length, 0);
    assert.equal(
      (await contacts.createContact(t.deps, { email: 'erase@example.com' })).email,
      'erase@example.com',
    );
    const deleted = (await outboxEvents(t)).filter((e) => e.detailType === 'ContactDeleted');
    assert.deepEqual(
      deleted.map((e) => e.detail.contactId),
      [c.id],
    );
  });

  it('refuses an import mapping a column to an inherited name, before writing any row', async () => {
    const contactItems = async () => (await t.items()).filter((i) => !String(i.PK).startsWith('IMPORT#'));
    const before = JSON.stringify(await contactItems());
    for (const column of ['constructor', 'toString', 'valueOf']) {
      await expectError(
        runImport(
          t.deps,
          `email,firstName,${column}\nproto1@example.com,A,x\nproto2@example.com,B,y\n`,
          {},
          {
            mapping: [
              { kind: 'email' },
              { kind: 'property', name: 'firstName' },
              { kind: 'field', name: column },
            ],
          },
        ),
        400,
        'invalid_mapping',
      );
    }
    // Only the import records (drafts) were written; no contact.
    assert.equal(JSON.stringify(await contactItems()), before);
  });
});
