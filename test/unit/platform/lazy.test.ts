/** `lazily` (functions/platform/lazy.ts): a port whose implementation is imported on first use. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazily } from '../../../functions/platform/lazy.js';

type Port = { get(key: string): Promise<string>; put(key: string, value: string): Promise<void> };

function counted() {
  const calls: string[] = [];
  let loads = 0;
  const store = new Map<string, string>();
  const port = lazily<Port>(async () => {
    loads++;
    return {
      async get(key) {
        calls.push(`get ${key}`);
        return store.get(key) ?? '';
      },
      async put(key, value) {
        calls.push(`put ${key}`);
        store.set(key, value);
      },
    };
  });
  return { port, calls, loads: () => loads };
}

describe('lazily', () => {
  it('loads nothing until a method is called, then loads once for every call', async () => {
    const { port, calls, loads } = counted();
    assert.equal(loads(), 0);
    await Promise.all([port.put('a', '1'), port.put('b', '2')]);
    assert.equal(await port.get('a'), '1');
    assert.equal(loads(), 1);
    assert.deepEqual(calls, ['put a', 'put b', 'get a']);
  });

  it('is not a promise itself: awaiting the port does not load it', async () => {
    const { port, loads } = counted();
    assert.equal(await port, port);
    assert.equal(loads(), 0);
  });

  it('passes a failed load on to the call, and a missing method as a TypeError', async () => {
    const failing = lazily<Port>(() => Promise.reject(new Error('no SDK')));
    await assert.rejects(failing.get('a'), /no SDK/);
    const { port } = counted();
    const unknown = (port as unknown as { drop(): Promise<void> }).drop;
    await assert.rejects(unknown(), TypeError);
  });
});
