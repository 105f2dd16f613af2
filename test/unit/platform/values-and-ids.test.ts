import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '#platform/dynamo/cursor.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { ULID_PATTERN, ulidFactory } from '#platform/ids.js';
import { emailSchema, normalizeEmail, tagSchema } from '#platform/values.js';

describe('email and tag rules', () => {
  it('normalizes email by trimming and lower-casing', () => {
    assert.equal(normalizeEmail('  Ann.Lee@Example.COM '), 'ann.lee@example.com');
    assert.equal(emailSchema.parse(' Bob@X.io'), 'bob@x.io');
  });
  it('rejects what is not an email', () => {
    for (const bad of ['', 'x', 'a@', '@b.c', 'a b@c.d', `${'a'.repeat(250)}@b.co`]) {
      assert.equal(emailSchema.safeParse(bad).success, false, bad);
    }
  });
  it('normalizes tags and rejects unsafe ones', () => {
    assert.equal(tagSchema.parse('  VIP   Customer '), 'vip customer');
    for (const bad of ['', '   ', '-x', 'a/b', 'x'.repeat(65), '<script>']) {
      assert.equal(tagSchema.safeParse(bad).success, false, bad);
    }
  });
});

describe('ULIDs', () => {
  it('are 26 Crockford characters and sort in creation order, also within one millisecond', () => {
    let t = 1_700_000_000_000;
    const next = ulidFactory(() => t);
    const ids = Array.from({ length: 200 }, (_, i) => {
      if (i % 50 === 0) t += 1;
      return next();
    });
    for (const id of ids) assert.match(id, ULID_PATTERN);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
  it('encode the time in the first ten characters', () => {
    const a = ulidFactory(() => 1000)();
    const b = ulidFactory(() => 2000)();
    assert.ok(a.slice(0, 10) < b.slice(0, 10));
  });
});

describe('pagination cursors', () => {
  const expected = {
    attributes: ['PK', 'SK', 'GSI1PK', 'GSI1SK'],
    partition: { name: 'GSI1PK', value: 'TAG#vip' },
  };
  const key = { PK: 'CONTACT#1', SK: 'TAG#vip', GSI1PK: 'TAG#vip', GSI1SK: '1' };

  it('round-trip', () => {
    assert.deepEqual(decodeCursor(encodeCursor(key), expected), key);
    assert.equal(encodeCursor(undefined), undefined);
  });
  it('reject garbage, foreign partitions and extra attributes with a 400', () => {
    const bad = [
      'not-base64!!',
      Buffer.from('[1,2]').toString('base64url'),
      encodeCursor({ ...key, GSI1PK: 'TAG#other' }),
      encodeCursor({ ...key, extra: 'x' }),
      encodeCursor({ PK: 'CONTACT#1', SK: 'TAG#vip', GSI1PK: 'TAG#vip', GSI1SK: 5 }),
    ];
    for (const cursor of bad) {
      assert.throws(
        () => decodeCursor(cursor, expected),
        (e: unknown) => e instanceof DomainError && STATUS_OF[e.kind] === 400 && e.code === 'invalid_cursor',
      );
    }
  });
});
