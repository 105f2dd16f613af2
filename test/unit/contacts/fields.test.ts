import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coerceFields, coerceValue } from '#contacts/field-definitions.js';
import { compareField, fieldComparisonSchema, matchesComparison } from '#contacts/fields.js';
import type { FieldDefinition } from '#contacts/model.js';
import { DomainError } from '#platform/errors.js';
import { customFieldsSchema, fieldKeySchema } from '#platform/values.js';

describe('custom field names', () => {
  it('refuse every name an object inherits, and accept ordinary ones', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      assert.equal(fieldKeySchema.safeParse(name).success, false, name);
    }
    assert.equal(customFieldsSchema.safeParse(JSON.parse('{"constructor":"x"}')).success, false);
    assert.equal(customFieldsSchema.safeParse({ role: 'CTO', score: 3 }).success, true);
  });
  it('compare only own values: a contact without the field never matches exists', () => {
    for (const field of ['toString', 'valueOf', 'hasOwnProperty']) {
      // Stored data written before the rule existed cannot reach the prototype either.
      const c = { field, op: 'exists' as const };
      assert.equal(matchesComparison({}, c), false, field);
      assert.equal(matchesComparison({ [field]: 'x' }, c), true, field);
    }
    assert.equal(fieldComparisonSchema.safeParse({ field: 'constructor', op: 'exists' }).success, false);
  });
});

describe('typed comparisons', () => {
  it('compare numbers as numbers, also numbers stored as text before the field was typed', () => {
    assert.equal(compareField('25', 'gt', 20), true);
    assert.equal(compareField('25', 'lt', 100), true);
    assert.equal(compareField(80, 'gte', 80), true);
    assert.equal(compareField('abc', 'gt', 1), false);
    assert.equal(compareField('25', 'eq', 25), true);
  });
  it('compare dates in date order, texts as written, booleans as booleans', () => {
    assert.equal(compareField('2026-03-01', 'gt', '2026-02-28'), true);
    assert.equal(compareField('2026-03-01T10:00:00Z', 'lte', '2026-03-01'), true);
    assert.equal(compareField('02134', 'eq', '2134'), false);
    assert.equal(compareField(true, 'eq', 'true'), true);
    assert.equal(compareField(true, 'gt', false), false);
    assert.equal(compareField(undefined, 'neq', 'x'), true);
    assert.equal(compareField('Hello', 'contains', 'ell'), true);
  });
});

describe('field definitions', () => {
  const def = (type: FieldDefinition['type'], options?: string[]): FieldDefinition => ({
    name: 'f',
    label: 'F',
    type,
    ...(options ? { options } : {}),
    createdAt: '',
    updatedAt: '',
  });
  it('convert values by type and refuse what does not fit, at its field', () => {
    assert.deepEqual(coerceValue(def('number'), ' 25 '), { value: 25 });
    assert.deepEqual(coerceValue(def('number'), 'x'), { problem: 'must be a number' });
    assert.deepEqual(coerceValue(def('boolean'), 'Yes'), { value: true });
    assert.deepEqual(coerceValue(def('date'), '2026-02-30T00:00:00Z'), {
      problem: 'must be a date (YYYY-MM-DD)',
    });
    assert.deepEqual(coerceValue(def('date'), '2026-02-03T10:00:00Z'), { value: '2026-02-03' });
    assert.deepEqual(coerceValue(def('select', ['Gold', 'Silver']), 'gold'), { value: 'Gold' });
    assert.deepEqual(coerceValue(def('text'), 42), { value: '42' });
    assert.throws(
      () => coerceFields([{ ...def('number'), name: 'score' }], { score: 'many', other: 'free' }),
      (e: unknown) => e instanceof DomainError && JSON.stringify(e.details).includes('fields.score'),
    );
    assert.deepEqual(
      coerceFields([{ ...def('number'), name: 'score' }], { score: '7', other: 'free', gone: null }),
      {
        score: 7,
        other: 'free',
        gone: null,
      },
    );
  });
});
