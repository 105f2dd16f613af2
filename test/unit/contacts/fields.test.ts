import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldComparisonSchema, matchesComparison } from '#contacts/fields.js';
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
