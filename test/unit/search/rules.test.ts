/**
 * Tokenization of the search index: folding, words and compounds, emails, domains, phones, the cap,
 * and queries (phone-like, multi-word, too short), the filter and the one token a record is taken at.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalToken,
  contactName,
  fold,
  MAX_TOKENS,
  matchesFilters,
  parseQuery,
  prefixOf,
  termsOf,
  words,
} from '#search/rules.js';

describe('folding and words', () => {
  it('folds case and accents, and letters NFKD leaves alone', () => {
    assert.equal(fold('Ådá ŁOVELACE'), 'ada lovelace');
    assert.equal(fold('Straße Ærø Œuvre'), 'strasse aero oeuvre');
    assert.equal(fold('Zoë Ñuñez'), 'zoe nunez');
  });

  it('splits on anything that is no letter or digit; a compound also gives its joined form', () => {
    assert.deepEqual(words('Jean-Luc Picard'), ['jean', 'luc', 'jeanluc', 'picard']);
    assert.deepEqual(words("O'Brien"), ['o', 'brien', 'obrien']);
    assert.deepEqual(words('  Ada  '), ['ada']);
    assert.deepEqual(words('Иван Петров'), ['иван', 'петров'], 'other scripts are words too');
  });
});

describe('a record’s terms', () => {
  it('a contact: names, company, email parts (not the last domain label), phone digits and suffixes', () => {
    const t = termsOf({
      names: ['Ada', 'Lovelace', 'Analytical Engines Ltd'],
      emails: ['Ada.Lovelace@Example.co.uk'],
      phones: ['+44 (20) 7946-0958'],
    });
    for (const token of ['ada', 'lovelace', 'adalovelace', 'analytical', 'engines', 'ltd', 'example', 'co'])
      assert.ok(t.tokens.includes(token), token);
    assert.ok(t.tokens.includes('442079460958'), 'the whole number');
    assert.ok(t.tokens.includes('2079460958'), 'without the country code');
    assert.ok(t.tokens.includes('0958'), 'its last 4 digits');
    assert.ok(!t.tokens.includes('958'), 'no suffix under 4 digits');
    assert.ok(!t.tokens.includes('uk') && t.extra.includes('uk'), 'the last domain label only filters');
    assert.deepEqual([...t.tokens].sort(), t.tokens, 'sorted');
    assert.equal(new Set(t.tokens).size, t.tokens.length, 'no duplicates');
  });

  it('keeps one-character words as extra terms, not index items', () => {
    const t = termsOf({ names: ['J. R. Hartley'] });
    assert.deepEqual(t.tokens, ['hartley']);
    assert.deepEqual(t.extra, ['j', 'r']);
  });

  it('a company: its name and domain', () => {
    const t = termsOf({ names: ['Globex Corporation'], domains: ['globex.example'] });
    assert.deepEqual(t.tokens, ['corporation', 'globex']);
    assert.deepEqual(t.extra, ['example']);
  });

  it('keeps at most MAX_TOKENS tokens, the first ones (names before email and phone)', () => {
    const many = Array.from({ length: 60 }, (_, i) => `name${String(i).padStart(2, '0')}`).join(' ');
    const t = termsOf({ names: [many], phones: ['0123456789'] });
    assert.equal(t.tokens.length, MAX_TOKENS);
    assert.ok(t.tokens.includes('name00') && !t.tokens.includes('0123456789'));
  });

  it('cuts very long words to 40 characters', () => {
    const t = termsOf({ names: ['x'.repeat(100)] });
    assert.deepEqual(t.tokens, ['x'.repeat(40)]);
  });
});

describe('queries', () => {
  it('reads the index by the longest word; the others filter', () => {
    assert.deepEqual(parseQuery('ada love'), { primary: 'love', filters: ['ada'] });
    assert.deepEqual(parseQuery('  Lovelace  '), { primary: 'lovelace', filters: [] });
    assert.deepEqual(parseQuery('ÉLODIE'), { primary: 'elodie', filters: [] });
    assert.deepEqual(parseQuery('ada@example'), { primary: 'example', filters: ['ada'] });
  });

  it('drops a word that starts another and duplicates', () => {
    assert.deepEqual(parseQuery('ada adam ada'), { primary: 'adam', filters: [] });
  });

  it('a phone-like query is one number; a full number loses its leading zeros', () => {
    assert.deepEqual(parseQuery('020 7946 0958'), { primary: '2079460958', filters: [] });
    assert.deepEqual(parseQuery('+44 (20) 7946-0958'), { primary: '442079460958', filters: [] });
    assert.deepEqual(parseQuery('0958'), { primary: '0958', filters: [] });
    assert.deepEqual(parseQuery('12'), { primary: '12', filters: [] }, 'two digits: a word');
  });

  it('is refused without a word of 2 characters', () => {
    assert.equal(parseQuery('a'), undefined);
    assert.equal(parseQuery('a b c'), undefined);
    assert.equal(parseQuery('!!! ---'), undefined);
    assert.deepEqual(parseQuery('ada l'), { primary: 'ada', filters: ['l'] });
  });

  it('the index partition is the first two characters', () => {
    assert.equal(prefixOf('lovelace'), 'lo');
    assert.equal(prefixOf('éa'), 'éa');
  });
});

describe('filters and the token a record is taken at', () => {
  const terms = termsOf({ names: ['Ada', 'Adams', 'J'], emails: ['ada@example.com'] });

  it('every filter word must start one of the record’s terms (extra ones included)', () => {
    assert.ok(matchesFilters(terms, ['adam', 'ex']));
    assert.ok(matchesFilters(terms, ['j']), 'a one-letter name');
    assert.ok(matchesFilters(terms, ['co']), 'the last domain label');
    assert.ok(!matchesFilters(terms, ['ada', 'lovelace']));
  });

  it('is its smallest token the query word starts', () => {
    assert.equal(canonicalToken(terms.tokens, 'ad'), 'ada');
    assert.equal(canonicalToken(terms.tokens, 'adam'), 'adams');
    assert.equal(canonicalToken(terms.tokens, 'zed'), undefined);
  });

  it('a contact’s name: its names, or its email', () => {
    assert.equal(contactName({ firstName: 'Ada', lastName: 'Lovelace', email: 'a@x.io' }), 'Ada Lovelace');
    assert.equal(contactName({ email: 'a@x.io' }), 'a@x.io');
  });
});
