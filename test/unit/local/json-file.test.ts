/** The local emulators' state file: atomic, coalescing writes that never lose the newest value. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonFile } from '#local/json-file.js';

describe('JsonFile', () => {
  it('ends a burst of writes with the newest value on disk, and each write resolves once it is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tendril-json-'));
    const file = new JsonFile<{ n: number }>(join(dir, 'state.json'));
    assert.equal(await file.read(), undefined);
    const writes = Array.from({ length: 200 }, (_, n) =>
      file.write({ n }).then(async () => ((await file.read())?.n ?? -1) >= n),
    );
    assert.ok((await Promise.all(writes)).every(Boolean), 'a resolved write is on disk (or a newer one is)');
    assert.deepEqual(await file.read(), { n: 199 });
    // Written again after the burst settled: a new flush starts.
    await file.write({ n: 200 });
    assert.deepEqual(await file.read(), { n: 200 });
    assert.deepEqual(readdirSync(dir), ['state.json'], 'no temp file left behind');
  });

  it('keeps nothing without a path', async () => {
    const file = new JsonFile<number>(undefined);
    await file.write(1);
    assert.equal(await file.read(), undefined);
  });
});
