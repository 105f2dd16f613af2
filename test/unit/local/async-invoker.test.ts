/**
 * Local asynchronous invocation, as Lambda does it for rules and schedules: stored before it is
 * accepted (a restart runs what a crash interrupted), two retries, then the dead letters.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AsyncInvoker } from '#local/async-invoker.js';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached');
};

describe('local asynchronous invocation', () => {
  it('retries a failing function twice, then parks the invocation with its error', async () => {
    const errors: string[] = [];
    // 60,000x: Lambda's one- and two-minute retry pauses pass in a few milliseconds.
    const invoker = new AsyncInvoker({ timeScale: 60_000, onError: (m) => errors.push(m) });
    let calls = 0;
    invoker.register('fn', async () => {
      calls++;
      throw new Error('boom');
    });
    await invoker.start();
    await invoker.invoke('fn', 'rule test', { n: 1 });
    await until(() => invoker.deadLetters().length === 1);
    assert.equal(calls, 3);
    assert.deepEqual(
      invoker.deadLetters().map((d) => [d.fn, d.source, d.attempts, d.lastError, d.payload]),
      [['fn', 'rule test', 3, 'Error: boom', { n: 1 }]],
    );
    assert.equal(errors.length, 3);
    assert.equal(invoker.busy(0), false);
    await invoker.stop();
  });

  it('runs after a restart what was accepted before a crash, and keeps the dead letters', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tendril-async-')), 'async.json');
    const first = new AsyncInvoker({ file, timeScale: 1 });
    let release: () => void = () => {};
    first.register(
      'fn',
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await first.start();
    await first.invoke('fn', 'schedule', { id: 'a' });
    await until(() => first.busy(0));
    // "Crash": the process is gone mid-invocation (the stored queue is all that is left).
    const seen: unknown[] = [];
    const second = new AsyncInvoker({ file, timeScale: 1 });
    second.register('fn', async (payload) => {
      seen.push(payload);
    });
    await second.start();
    await until(() => seen.length === 1);
    assert.deepEqual(seen, [{ id: 'a' }]);
    await until(() => !second.busy(0));
    await second.stop();
    release();
  });

  it('runs nothing before it is started (the emulators its functions call come up first)', async () => {
    const invoker = new AsyncInvoker({ timeScale: 1 });
    const seen: unknown[] = [];
    invoker.register('fn', async (payload) => {
      seen.push(payload);
    });
    await invoker.invoke('fn', 'rule early', { n: 1 });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, []);
    await invoker.start();
    await until(() => seen.length === 1);
    await invoker.stop();
  });
});
