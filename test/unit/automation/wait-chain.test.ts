import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainSeconds, zoneFor } from '#automation/wait-chain.js';

describe('a wait chain computed by the Task before it', () => {
  it('counts each wait from where the one before ends, across a clock change', () => {
    // Saturday 28 March 2026, 07:00 in Berlin (CET); the clocks go to CEST that night.
    const now = new Date('2026-03-28T06:00:00.000Z');
    // A day later it is 08:00 CEST: one hour more to 09:00, 25 hours in all (not 24 + the 2 hours
    // to 09:00 counted from now, which would end at 10:00 CEST).
    const seconds = chainSeconds(
      now,
      [{ seconds: 86_400 }, { time: '09:00', timezone: 'Europe/Berlin' }],
      undefined,
    );
    assert.equal(seconds, 25 * 3600);
    assert.equal(new Date(now.getTime() + seconds * 1000).toISOString(), '2026-03-29T07:00:00.000Z');
  });

  it("reads the contact's time zone, and UTC when it has none or an invalid one", () => {
    const now = new Date('2026-03-02T12:00:00.000Z');
    const chain = [{ time: '09:00', timezone: 'contact' }];
    assert.equal(chainSeconds(now, chain, { fields: { timezone: 'America/New_York' } }), 2 * 3600);
    assert.equal(chainSeconds(now, chain, { fields: {} }), 21 * 3600);
    assert.equal(chainSeconds(now, chain, undefined), 21 * 3600);
    assert.equal(zoneFor({ fields: { timezone: 'Not/AZone' } }, 'contact'), 'UTC');
    assert.equal(chainSeconds(now, [{ seconds: 60 }, { seconds: 3600 }], undefined), 3660);
  });
});
