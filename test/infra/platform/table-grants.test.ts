/**
 * Every function's table grant covers what its code can do: each function is bundled as it is
 * deployed, and the writes its bundle can make are read off it. A write kind whose translation
 * deletes an item (or a store method that deletes or batch-writes) is found in the stores' source;
 * a bundle that contains it must be granted that action. Local mode enforces the same grants at
 * run time (local/table-grants.ts); this finds what no test happens to run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FUNCTION_NAMES, type FunctionName, tableActionsOf } from '#platform/manifest.js';
import { bundleHandlerSync } from '../../../infra/bundling.js';

const functionsDir = join(import.meta.dirname, '..', '..', '..', 'functions');

/** What marks a bundle as able to do `action`: the write kinds and store methods that do it. */
function markersOf(): Array<{ marker: string; action: string; where: string }> {
  const found: Array<{ marker: string; action: string; where: string }> = [];
  const stores = readdirSync(functionsDir, { recursive: true })
    .map(String)
    .filter((f) => /store-dynamo[\w-]*\.ts$/.test(f));
  for (const file of stores) {
    const source = readFileSync(join(functionsDir, file), 'utf8');
    // A translator (`  kind: (write, TableName) => [`) or a store method (`    async name(…) {`), each
    // running to the next one.
    const starts = [
      ...source.matchAll(
        /^ {2}(\w+): \(|^ {4}(?:async )?(?!(?:if|for|while|switch|catch|return)\b)(\w+)\(.*\) \{$/gm,
      ),
    ];
    starts.forEach((start, i) => {
      const body = source.slice(start.index, starts[i + 1]?.index ?? source.length);
      const [translator, method] = [start[1], start[2]];
      const marker = translator ? `kind:"${translator}"` : `.${method}(`;
      const where = `${file}: ${translator ?? method}`;
      if (/\bDelete: \{|DeleteCommand|versionedDelete\(/.test(body))
        found.push({ marker, action: 'dynamodb:DeleteItem', where });
      if (/erasePartition\(|batchPut\(|BatchWriteCommand/.test(body))
        found.push({ marker, action: 'dynamodb:BatchWriteItem', where });
    });
  }
  return found;
}

const bundles = new Map<FunctionName, string>();
before(() => {
  for (const name of FUNCTION_NAMES) {
    const dir = mkdtempSync(join(tmpdir(), `tendril-grants-${name}-`));
    bundleHandlerSync(name, dir);
    const files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.mjs'));
    bundles.set(name, files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'));
  }
});

describe("each function's table grant", () => {
  it('finds the deleting and batch-writing code of the stores (the check itself works)', () => {
    const markers = markersOf();
    const has = (marker: string, action: string) =>
      markers.some((m) => m.marker === marker && m.action === action);
    assert.ok(has('kind:"removeTag"', 'dynamodb:DeleteItem'));
    assert.ok(has('kind:"releaseSend"', 'dynamodb:DeleteItem'));
    assert.ok(has('kind:"deleteWebhook"', 'dynamodb:DeleteItem'), 'a versioned delete deletes');
    assert.ok(has('.deleteContact(', 'dynamodb:BatchWriteItem'));
    assert.ok(has('.putRowErrors(', 'dynamodb:BatchWriteItem'));
    assert.ok(
      !markers.some((m) => m.marker === 'kind:"liftSuppression"'),
      'lifting a suppression is an update',
    );
    assert.ok(!markers.some((m) => m.marker === 'kind:"addTag"'));
    assert.ok(bundles.get('contacts-api')?.includes('kind:"removeTag"'), 'markers survive minification');
  });

  it('covers every delete and batch write its bundled code can make', () => {
    const markers = markersOf();
    const missing: string[] = [];
    for (const name of FUNCTION_NAMES) {
      const code = bundles.get(name) ?? '';
      const granted = tableActionsOf(name);
      for (const { marker, action, where } of markers)
        if (code.includes(marker) && !granted.includes(action))
          missing.push(`${name} needs ${action} (${where})`);
    }
    assert.deepEqual(missing, []);
  });

  it('gives deletes and batch writes to no function whose code makes none', () => {
    const markers = markersOf();
    for (const name of FUNCTION_NAMES) {
      const code = bundles.get(name) ?? '';
      for (const action of ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
        if (tableActionsOf(name).includes(action))
          assert.ok(
            markers.some((m) => m.action === action && code.includes(m.marker)),
            `${name} is granted ${action} but its code never needs it`,
          );
    }
  });
});
