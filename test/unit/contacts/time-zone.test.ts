import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTACT_PROPERTIES, withCanonicalTimeZone } from '#contacts/model.js';
import { CreateContactBody, PatchContactBody } from '#contacts/routes.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { canonicalTimeZone } from '#platform/time-zone.js';

const issues = (r: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) => (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('a contact’s time zone', () => {
  it('is a standard property (forms, imports and the export read the list)', () => {
    assert.ok((CONTACT_PROPERTIES as readonly string[]).includes('timeZone'));
  });

  it('is accepted on create and update in its canonical spelling', () => {
    const created = CreateContactBody.safeParse({ email: 'a@example.com', timeZone: ' europe/paris ' });
    assert.equal(created.data?.timeZone, 'Europe/Paris');
    assert.equal(PatchContactBody.safeParse({ version: 1, timeZone: 'utc' }).data?.timeZone, 'UTC');
    assert.equal(PatchContactBody.safeParse({ version: 1, timeZone: null }).data?.timeZone, null);
    assert.equal('timeZone' in (PatchContactBody.safeParse({ version: 1 }).data ?? {}), false);
  });

  it('refuses what is no time zone at the path timeZone', () => {
    for (const bad of ['Mars/Base', '+02:00', 'GMT+2x', '', 'Europe/', 42]) {
      const rule = 'timeZone: must be an IANA time zone such as Europe/Paris';
      const created = CreateContactBody.safeParse({ email: 'a@example.com', timeZone: bad });
      assert.equal(created.success, false, String(bad));
      assert.deepEqual(
        issues(created).map((i) => i.split(':')[0]),
        ['timeZone'],
      );
      const patched = PatchContactBody.safeParse({ version: 1, timeZone: bad });
      assert.equal(patched.success, false, String(bad));
      if (typeof bad === 'string') assert.deepEqual(issues(patched), [rule], String(bad));
    }
  });

  it('is checked by the use cases too, as a 400 at timeZone', () => {
    assert.deepEqual(withCanonicalTimeZone({ email: 'a@b.co', timeZone: 'asia/tokyo' }), {
      email: 'a@b.co',
      timeZone: 'Asia/Tokyo',
    });
    assert.deepEqual(withCanonicalTimeZone({ version: 2, timeZone: null }), { version: 2, timeZone: null });
    assert.throws(
      () => withCanonicalTimeZone({ email: 'a@b.co', timeZone: 'Mars/Base' }),
      (err) =>
        err instanceof DomainError &&
        STATUS_OF[err.kind] === 400 &&
        JSON.stringify(err.details) ===
          JSON.stringify([
            {
              path: 'timeZone',
              message: 'must be an IANA time zone such as Europe/Paris',
              code: 'invalid_time_zone',
            },
          ]),
    );
  });

  it('is canonicalised by the runtime’s tz database, whatever the spelling, many times over', () => {
    assert.equal(canonicalTimeZone('EUROPE/PARIS'), 'Europe/Paris');
    assert.equal(canonicalTimeZone('Mars/Base'), undefined);
    // Thousands of spellings (a bound on what is cached is not visible, but must not change answers).
    for (let i = 0; i < 5000; i++) {
      const spelling = [...'europe/berlin'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('');
      assert.equal(canonicalTimeZone(spelling), 'Europe/Berlin', spelling);
    }
    assert.equal(canonicalTimeZone('europe/paris'), 'Europe/Paris');
  });

  it('keeps the current names of renamed zones, though ICU spells them the old way', () => {
    for (const [given, stored] of [
      ['Asia/Kolkata', 'Asia/Kolkata'],
      ['Asia/Calcutta', 'Asia/Kolkata'],
      ['asia/kolkata', 'Asia/Kolkata'],
      ['Europe/Kiev', 'Europe/Kyiv'],
      ['Europe/Kyiv', 'Europe/Kyiv'],
      ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
      // A link the person chose on purpose stays as written.
      ['US/Eastern', 'US/Eastern'],
      ['UTC', 'UTC'],
      ['utc', 'UTC'],
    ] as const)
      assert.equal(canonicalTimeZone(given), stored, given);
  });
});
