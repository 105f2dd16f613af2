/**
 * `npm test` runner: starts one in-memory DynamoDB Local for the whole run (each test file makes its
 * own table), then runs Node's test runner over the chosen layers.
 * Usage: tsx scripts/run-tests.ts [unit|data|reliability|infra|e2e|browser ...]
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { startDynamoLocal } from '../local/dynamodb.js';

const LAYERS = ['unit', 'data', 'reliability', 'infra', 'e2e', 'browser'] as const;
const NEEDS_DYNAMO = new Set(['data', 'reliability']);

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(process.cwd(), join(e.parentPath, e.name)))
    .sort();
}

const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!(LAYERS as readonly string[]).includes(w))
    throw new Error(`unknown test layer ${w}; use ${LAYERS.join(', ')}`);
}
const layers = wanted.length > 0 ? wanted : [...LAYERS];
const files = (await Promise.all(layers.map((l) => testFiles(join('test', l))))).flat();
if (files.length === 0) throw new Error(`no test files in ${layers.join(', ')}`);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dynamo = layers.some((l) => NEEDS_DYNAMO.has(l)) ? await startDynamoLocal() : undefined;
const env = {
  ...process.env,
  ...(dynamo ? { TENDRIL_TEST_DYNAMODB_ENDPOINT: dynamo.endpoint } : {}),
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'CRITICAL',
};
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env },
);
const code: number = await new Promise((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
await dynamo?.stop();
process.exit(code);
