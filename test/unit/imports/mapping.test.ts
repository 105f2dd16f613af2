import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldDefinition } from '#contacts/model.js';
import { checkMapping, guessMapping, mapRow } from '#imports/mapping.js';
import type { ColumnTarget } from '#imports/model.js';
import { DomainError } from '#platform/errors.js';

const def = (
  name: string,
  label: string,
  type: FieldDefinition['type'],
  options?: string[],
): FieldDefinition => ({
  name,
  label,
  type,
  ...(options ? { options } : {}),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('column mapping', () => {
  it('guesses properties from common spellings, fields by name or label, and ignores the rest', () => {
    const guessed = guessMapping(
      [
        'E-mail',
        'First Name',
        'SURNAME',
        'Phone Number',
        'Organisation',
        'Lead Source',
        'Tags',
        'Seats',
        'Renewal date',
        'Favourite colour',
        'id',
        'Email',
      ],
      [def('renewal', 'Renewal date', 'date')],
    );
    assert.deepEqual(guessed, [
      { kind: 'email' },
      { kind: 'property', name: 'firstName' },
      { kind: 'property', name: 'lastName' },
      { kind: 'property', name: 'phone' },
      { kind: 'property', name: 'company' },
      { kind: 'property', name: 'source' },
      { kind: 'tags' },
      { kind: 'field', name: 'Seats' },
      { kind: 'field', name: 'renewal' },
      { kind: 'ignore' },
      { kind: 'ignore' },
      { kind: 'ignore' }, // a second email column does not fight the first
    ]);
  });

  it('guesses the columns of German, French and Spanish spreadsheets, accents or not', () => {
    assert.deepEqual(guessMapping(['E-Mail-Adresse', 'Vorname', 'Nachname', 'Firma', 'Telefon'], []), [
      { kind: 'email' },
      { kind: 'property', name: 'firstName' },
      { kind: 'property', name: 'lastName' },
      { kind: 'property', name: 'company' },
      { kind: 'property', name: 'phone' },
    ]);
    assert.deepEqual(guessMapping(['Courriel', 'Prénom', 'Société'], []), [
      { kind: 'email' },
      { kind: 'property', name: 'firstName' },
      { kind: 'property', name: 'company' },
    ]);
  });

  it('guesses who owns each contact from a CRM export’s owner column', () => {
    for (const header of ['Contact owner', 'Owner', 'Lead Owner', 'Sales rep'])
      assert.deepEqual(guessMapping(['email', header], [])[1], { kind: 'property', name: 'owner' }, header);
  });

  it('guesses a time zone column in any of its spellings', () => {
    for (const header of [
      'Time zone',
      'timezone',
      'TZ',
      'Time-Zone',
      'Zeitzone',
      'Fuseau horaire',
      'timeZone',
    ]) {
      assert.deepEqual(
        guessMapping(['email', header], [])[1],
        { kind: 'property', name: 'timeZone' },
        header,
      );
    }
  });

  it('stores a time zone in its canonical spelling and refuses a row whose zone is none', () => {
    const mapping: ColumnTarget[] = [{ kind: 'email' }, { kind: 'property', name: 'timeZone' }];
    assert.deepEqual(mapRow(['ada@example.com', 'europe/paris'], mapping, new Map(), []), {
      input: { email: 'ada@example.com', timeZone: 'Europe/Paris' },
    });
    assert.deepEqual(mapRow(['ada@example.com', ''], mapping, new Map(), []), {
      input: { email: 'ada@example.com' },
    });
    assert.deepEqual(mapRow(['ada@example.com', 'Mars/Base'], mapping, new Map(), []), {
      email: 'ada@example.com',
      reasons: ['timeZone: "Mars/Base" must be an IANA time zone such as Europe/Paris'],
    });
  });

  it('never guesses an inherited name as a field', () => {
    assert.deepEqual(guessMapping(['email', 'constructor', '__proto__', 'toString'], []).slice(1), [
      { kind: 'ignore' },
      { kind: 'ignore' },
      { kind: 'ignore' },
    ]);
  });

  it('refuses a mapping without email, with a target twice, a bad field name or the wrong length', () => {
    const cases: Array<[ColumnTarget[], number, string]> = [
      [[{ kind: 'property', name: 'firstName' }], 1, 'one column must be mapped to email'],
      [[{ kind: 'email' }, { kind: 'email' }], 2, 'column 1 is already mapped to email'],
      [[{ kind: 'email' }, { kind: 'field', name: 'constructor' }], 2, 'not a valid field name'],
      [[{ kind: 'email' }], 2, 'has 1 entries; the file has 2 columns'],
    ];
    for (const [mapping, columns, message] of cases) {
      assert.throws(
        () => checkMapping(mapping, columns),
        (err) => err instanceof DomainError && JSON.stringify(err.details).includes(message),
        message,
      );
    }
  });

  it('turns a row into a contact input, converting typed fields and adding the list tags', () => {
    const mapping: ColumnTarget[] = [
      { kind: 'email' },
      { kind: 'property', name: 'firstName' },
      { kind: 'tags' },
      { kind: 'field', name: 'seats' },
      { kind: 'ignore' },
    ];
    const defs = new Map([['seats', def('seats', 'Seats', 'number')]]);
    assert.deepEqual(mapRow([' Ada@Example.com ', 'Ada', 'VIP; beta', '12', 'x'], mapping, defs, ['list']), {
      input: {
        email: 'ada@example.com',
        firstName: 'Ada',
        tags: ['beta', 'list', 'vip'],
        fields: { seats: 12 },
      },
    });
    assert.deepEqual(mapRow(['not-an-email', 'A', '', 'many', ''], mapping, defs, []), {
      email: 'not-an-email',
      reasons: ['email: "not-an-email" is not a valid email address', 'seats: must be a number'],
    });
    assert.deepEqual(mapRow(['a@b.co'], mapping, defs, []), { reasons: ['has 1 cells; the header has 5'] });
    assert.deepEqual(mapRow(['', 'A', '', '', ''], mapping, defs, []), { reasons: ['email: missing'] });
  });
});
