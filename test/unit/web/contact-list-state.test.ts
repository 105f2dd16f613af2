/** The contacts list's state (web/src/screens/contact-list-state.ts): the address, views changed, columns. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allColumns,
  type ContactView,
  changedFrom,
  DEFAULT_COLUMNS,
  inOrder,
  listHash,
  parseListHash,
  storedColumns,
  viewState,
} from '../../../web/src/screens/contact-list-state.js';

const ID = '01JF0000000000000000000001';
const view: ContactView = {
  id: ID,
  name: 'Leads',
  filter: { tag: 'lead' },
  sort: 'created',
  columns: ['name', 'created'],
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('the contacts list address', () => {
  it('writes a list into the hash and reads it back', () => {
    const state = { filter: { tag: 'vip lead' }, sort: 'created' as const, viewId: ID };
    assert.equal(listHash(state), `#/contacts?tag=vip+lead&sort=created&view=${ID}`);
    assert.deepEqual(parseListHash(listHash(state)), state);
    assert.equal(listHash({ filter: {}, sort: '-created' }), '#/contacts');
    assert.deepEqual(parseListHash('#/contacts'), { filter: {}, sort: '-created' });
  });

  it('leaves out what it does not know, and a sort where the list has its own order', () => {
    assert.deepEqual(parseListHash('#/contacts?stage=prospect&band=huge&sort=score&view=x&tag=%20'), {
      filter: {},
      sort: '-created',
    });
    assert.deepEqual(parseListHash('#/contacts?q=ada&sort=created'), {
      filter: { q: 'ada' },
      sort: '-created',
    });
    assert.deepEqual(parseListHash('#/contacts?stage=customer'), {
      filter: { stage: 'customer' },
      sort: '-created',
    });
    assert.equal(listHash({ filter: { band: 'high' }, sort: 'created' }), '#/contacts?band=high');
  });

  it('keeps an order by name for every contact only (a tag’s contacts are by creation)', () => {
    assert.equal(listHash({ filter: {}, sort: 'name' }), '#/contacts?sort=name');
    assert.deepEqual(parseListHash('#/contacts?sort=-name'), { filter: {}, sort: '-name' });
    assert.deepEqual(parseListHash('#/contacts?tag=lead&sort=name'), {
      filter: { tag: 'lead' },
      sort: '-created',
    });
    assert.deepEqual(parseListHash('#/contacts?q=ada&sort=-name'), {
      filter: { q: 'ada' },
      sort: '-created',
    });
    assert.equal(listHash({ filter: { tag: 'lead' }, sort: '-name' }), '#/contacts?tag=lead');
  });
});

describe('a saved view against what is shown', () => {
  it('is unchanged when the filter, the order and the columns are the view’s', () => {
    assert.equal(changedFrom(view, viewState(view), ['name', 'created']), false);
    assert.equal(changedFrom(view, { ...viewState(view), sort: '-created' }, ['name', 'created']), true);
    assert.equal(
      changedFrom(view, { ...viewState(view), filter: { tag: 'other' } }, ['name', 'created']),
      true,
    );
    assert.equal(changedFrom(view, viewState(view), ['name']), true);
  });
});

describe('columns', () => {
  it('are shown in their order, custom fields after the standard ones', () => {
    const all = allColumns([
      { name: 'plan', label: 'Plan', type: 'select', options: ['a'], createdAt: '', updatedAt: '' },
    ]);
    assert.deepEqual(inOrder(['field:plan', 'created', 'name', 'bogus'], all), [
      'name',
      'created',
      'field:plan',
    ]);
    assert.deepEqual(inOrder(['field:gone', 'tags'], all), ['tags', 'field:gone']);
  });

  it('are the default where the browser keeps none', () => {
    assert.deepEqual(storedColumns(), DEFAULT_COLUMNS);
  });
});
