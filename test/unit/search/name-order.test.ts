/**
 * The contacts list by name, in pure code: a contact's sort name (first then last name, folded, an
 * email for a contact without a name), the index key order it gives (what DynamoDB compares: the
 * strings' code units), and the writes that keep a contact's name order entry: put when the sort name
 * is new or changed, nothing when it is not, removed with the contact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactNameIndex } from '#contacts/keys.js';
import type { Contact } from '#contacts/model.js';
import { contactDoc, indexWrites } from '#search/indexing.js';
import { MAX_SORT_NAME, sortNameOf } from '#search/rules.js';

const contact = (id: string, p: Partial<Contact>): Contact => ({
  id,
  email: `${id.toLowerCase()}@example.com`,
  tags: [],
  fields: {},
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...p,
});

/** Sort names in index key order (a plain string comparison, as the index sorts its keys). */
const inKeyOrder = (people: Array<{ id: string; firstName?: string; lastName?: string; email: string }>) =>
  people
    .map((p) => contactNameIndex.entry(sortNameOf(p), p.id).GSI2SK)
    .sort()
    .map((k) => people.find((p) => k.endsWith(` #${p.id}`))?.id);

describe('a contact’s sort name', () => {
  it('is its first then last name, case and accents folded, punctuation in a word dropped', () => {
    assert.equal(sortNameOf({ firstName: 'Élodie', lastName: 'Durand', email: 'e@x.fr' }), 'elodie durand');
    assert.equal(sortNameOf({ firstName: 'ADA', lastName: 'Lovelace', email: 'a@x.org' }), 'ada lovelace');
    assert.equal(sortNameOf({ firstName: 'Seán', lastName: "O'Brien", email: 's@x.ie' }), 'sean obrien');
    assert.equal(
      sortNameOf({ firstName: ' Jean-Luc ', lastName: 'Picard', email: 'j@x.fr' }),
      'jeanluc picard',
    );
    assert.equal(sortNameOf({ lastName: 'Straße', email: 's@x.de' }), 'strasse');
  });

  it('is the email, folded, for a contact without a name (or with a name of punctuation only)', () => {
    assert.equal(sortNameOf({ email: 'Zed@Example.com' }), 'zed@example.com');
    assert.equal(sortNameOf({ firstName: '—', email: 'dash@example.com' }), 'dash@example.com');
  });

  it('is cut to MAX_SORT_NAME characters', () => {
    const long = sortNameOf({ firstName: 'a'.repeat(300), email: 'a@x.org' });
    assert.equal(long.length, MAX_SORT_NAME);
  });

  it('orders a name before its longer forms, whatever the ids, and nameless contacts by their email', () => {
    const order = inKeyOrder([
      { id: '01Z', firstName: 'Adam', email: 'adam@x.org' },
      { id: '01Y', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.org' },
      { id: '01X', firstName: 'ada', email: 'plain@x.org' },
      { id: '01W', firstName: 'Émile', lastName: 'Zola', email: 'emile@x.fr' },
      { id: '01V', email: 'bob@x.org' },
      { id: '01U', firstName: 'Zoë', email: 'zoe@x.org' },
      { id: '01T', firstName: 'ada', email: 'again@x.org' },
    ]);
    // ada (by id), ada lovelace, adam, bob@…, emile zola, zoe.
    assert.deepEqual(order, ['01T', '01X', '01Y', '01Z', '01V', '01W', '01U']);
  });
});

describe('the name order entry’s writes', () => {
  const ref = { kind: 'contact' as const, id: '01A' };
  const names = (writes: ReturnType<typeof indexWrites>) =>
    writes.filter((w) => w.kind === 'putNameOrder' || w.kind === 'deleteNameOrder');

  it('puts the entry with a new contact, and again when its sort name changes', () => {
    const first = contactDoc(contact('01A', { firstName: 'Ada' }), undefined, 1);
    assert.deepEqual(names(indexWrites(ref, undefined, first)), [
      { kind: 'putNameOrder', contactId: '01A', sortName: 'ada' },
    ]);
    const renamed = contactDoc(contact('01A', { firstName: 'Ada', lastName: 'Byron' }), undefined, 2);
    assert.deepEqual(names(indexWrites(ref, first, renamed)), [
      { kind: 'putNameOrder', contactId: '01A', sortName: 'ada byron' },
    ]);
  });

  it('leaves it alone when another term changes, and puts it for a document indexed before it', () => {
    const doc = contactDoc(contact('01A', { firstName: 'Ada' }), undefined, 1);
    const phoned = contactDoc(contact('01A', { firstName: 'Ada', phone: '+44 20 7946 0958' }), undefined, 2);
    assert.deepEqual(names(indexWrites(ref, doc, phoned)), []);
    const { sortName: _none, ...older } = doc;
    assert.deepEqual(names(indexWrites(ref, { ...older, indexVersion: 1 }, phoned)), [
      { kind: 'putNameOrder', contactId: '01A', sortName: 'ada' },
    ]);
  });

  it('removes it with the contact (and a company has none)', () => {
    const doc = contactDoc(contact('01A', { firstName: 'Ada' }), undefined, 3);
    assert.deepEqual(names(indexWrites(ref, doc, undefined)), [
      { kind: 'deleteNameOrder', contactId: '01A' },
    ]);
    const company = {
      kind: 'company' as const,
      id: '01C',
      tokens: ['acme'],
      extra: [],
      indexVersion: 2,
      version: 1,
    };
    assert.deepEqual(names(indexWrites({ kind: 'company', id: '01C' }, undefined, company)), []);
    assert.deepEqual(names(indexWrites({ kind: 'company', id: '01C' }, company, undefined)), []);
  });
});
