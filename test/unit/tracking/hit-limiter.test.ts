/** The collect endpoint's in-memory per-address limit: windows, Retry-After, bounded memory. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HitLimiter } from '#tracking/hit-limiter.js';

const limiterAt = (clock: { now: number }, maxAddresses = 100) =>
  new HitLimiter({ limit: 3, windowMs: 60_000, maxAddresses, now: () => clock.now });

describe('the hit limiter', () => {
  it('lets an address send its limit in a window, then says how long to wait', () => {
    const clock = { now: 1_000_000 };
    const limiter = limiterAt(clock);
    for (let i = 0; i < 3; i++) assert.equal(limiter.take('198.51.100.1'), undefined);
    assert.equal(limiter.take('198.51.100.1'), 60);
    clock.now += 30_500;
    assert.equal(limiter.take('198.51.100.1'), 30, 'the rest of its window, rounded up');
    assert.equal(limiter.take('198.51.100.2'), undefined, 'another address has its own window');
    clock.now += 29_500;
    assert.equal(limiter.take('198.51.100.1'), undefined, 'a new window');
  });

  it('forgets ended windows as hits arrive', () => {
    const clock = { now: 0 };
    const limiter = limiterAt(clock);
    for (let i = 0; i < 50; i++) limiter.take(`203.0.113.${i}`);
    assert.equal(limiter.size, 50);
    clock.now += 60_000;
    limiter.take('192.0.2.1');
    assert.equal(limiter.size, 1);
  });

  it('keeps at most maxAddresses windows, dropping the oldest', () => {
    const clock = { now: 0 };
    const limiter = limiterAt(clock, 10);
    for (let i = 0; i < 3; i++) limiter.take('192.0.2.99');
    assert.equal(limiter.take('192.0.2.99'), 60);
    for (let i = 0; i < 25; i++) {
      clock.now += 1;
      limiter.take(`203.0.113.${i}`);
      assert.ok(limiter.size <= 10);
    }
    assert.equal(limiter.size, 10);
    // The flooding address's window was the oldest: dropped, it starts over (WAF still counts it).
    assert.equal(limiter.take('192.0.2.99'), undefined);
    // The newest windows are kept: the last address is still counted.
    limiter.take('203.0.113.24');
    limiter.take('203.0.113.24');
    assert.equal(limiter.take('203.0.113.24'), 60);
  });
});
