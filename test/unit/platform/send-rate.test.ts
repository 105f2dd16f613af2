/**
 * The shared send rate on a simulated clock: many processes sending at once stay within the rate in
 * every one-second window, reach it, and a process that stopped for a while never sends its stale
 * slots in a burst.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RateSlots, sendRate } from '#platform/send-rate.js';
import { CommitConflict } from '#platform/store.js';

/** A simulated clock: `sleep` moves time forward once every sleeper of the moment is waiting. */
function simulation() {
  let now = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  let scheduled = false;
  const tick = () => {
    scheduled = false;
    sleepers.sort((a, b) => a.until - b.until);
    const next = sleepers.shift();
    if (!next) return;
    now = Math.max(now, next.until);
    next.wake();
    schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(tick);
  };
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ until: now + ms, wake });
        schedule();
      }),
  };
}

function memorySlots(): RateSlots & { writes: number } {
  const cells = new Map<string, { at: number; version: number }>();
  return {
    writes: 0,
    async next(bucket) {
      return cells.get(bucket) ?? { at: 0 };
    },
    async advance(bucket, at, version) {
      await new Promise((r) => setImmediate(r)); // another process may claim in between
      if (cells.get(bucket)?.version !== version) throw new CommitConflict({ kind: 'advanceRate' });
      cells.set(bucket, { at, version: (version ?? 0) + 1 });
      this.writes++;
    },
  };
}

const maxInWindow = (times: number[], windowMs: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

describe('shared send rate', () => {
  it('holds 8 processes sending 1,000 emails at 50/s: within the rate in every second, and at it', async () => {
    const sim = simulation();
    const slots = memorySlots();
    const sent: number[] = [];
    const processes = Array.from({ length: 8 }, () =>
      sendRate(slots, { bucket: 'email', perSecond: async () => 50, now: sim.now, sleep: sim.sleep }),
    );
    let left = 1000;
    await Promise.all(
      processes.map(async (p) => {
        while (left > 0) {
          left--;
          await p.acquire();
          sent.push(sim.now());
        }
      }),
    );
    assert.equal(sent.length, 1000);
    assert.ok(maxInWindow(sent, 1000) <= 50, `at most 50 in any second: ${maxInWindow(sent, 1000)}`);
    const seconds = (Math.max(...sent) - Math.min(...sent)) / 1000;
    assert.ok(1000 / seconds >= 0.9 * 50, `reaches the rate: ${(1000 / seconds).toFixed(1)}/s`);
    assert.ok(slots.writes <= 1000 / 5 + 8, `slots claimed five at a time: ${slots.writes} writes`);
  });

  it('drops slots a stalled process held past their time instead of sending them at once', async () => {
    const sim = simulation();
    const slots = memorySlots();
    const rate = sendRate(slots, {
      bucket: 'email',
      perSecond: async () => 10,
      now: sim.now,
      sleep: sim.sleep,
    });
    await rate.acquire(); // claims 5 slots: 0, 100, …, 400 ms
    await sim.sleep(5000); // stalls
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await rate.acquire();
      times.push(sim.now());
    }
    assert.ok(maxInWindow(times, 1000) <= 10);
    assert.ok(
      times.every((t, i) => i === 0 || t - (times[i - 1] ?? 0) >= 99),
      times.join(', '),
    );
  });

  it('lets a send go its lead before its slot, telling the slot’s time', async () => {
    const sim = simulation();
    const rate = sendRate(memorySlots(), {
      bucket: 'email',
      perSecond: async () => 4,
      now: sim.now,
      sleep: sim.sleep,
    });
    const got: Array<[number, number]> = [];
    for (let i = 0; i < 3; i++) {
      const slot = await rate.acquire(100);
      got.push([sim.now(), slot]);
    }
    // Slots 250 ms apart; each acquire resolves 100 ms before its slot (the first is due at once).
    assert.deepEqual(got, [
      [0, 0],
      [150, 250],
      [400, 500],
    ]);
  });
});
