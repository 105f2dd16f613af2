/**
 * Cold-start proxy: each Lambda bundle built as the CDK stack builds it (infra/bundling.ts: ESM,
 * minified, tree-shaken, SDK bundled, split into the handler and chunks loaded on demand), its size,
 * and the time a fresh `node` process takes from spawn to exit when it imports the handler and makes
 * one warm-up call — as a ratio to a bundle of the DynamoDB document client alone, run the same way,
 * in the same run, interleaved. Returns its section of bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleHandler, type Entry, HANDLER_FILE, handlerEntry } from '../infra/bundling.js';

type Part = 'sdk' | 'zod' | 'other' | 'own';
/** Which share of a bundle an input file belongs to: the AWS SDK (and its helpers), zod, other dependencies, or Tendril's own code. */
function partOf(path: string): Part {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (!pkg) return 'own';
  if (/^@(aws-sdk|smithy|aws)\/|^(mnemonist|obliterator|fast-xml-parser|strnum|tslib|bowser)$/.test(pkg))
    return 'sdk';
  return pkg === 'zod' ? 'zod' : 'other';
}

/** What a cold start compiles: the handler file and the chunks it imports statically, split by part. */
function loadedAtStart(meta: Metafile, outdir: string) {
  const byPath = new Map(Object.entries(meta.outputs).map(([path, out]) => [path, out]));
  const entry = [...byPath.keys()].find((p) => p.endsWith(`/${HANDLER_FILE}`) || p === HANDLER_FILE);
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !byPath.has(path)) return;
    seen.add(path);
    for (const i of byPath.get(path)?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  if (entry) visit(entry);
  const parts = { sdk: 0, zod: 0, other: 0, own: 0 };
  let bytes = 0;
  let all = 0;
  for (const [path, out] of byPath) {
    if (!path.endsWith('.mjs')) continue;
    all += out.bytes;
    if (!seen.has(path)) continue;
    bytes += out.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(out.inputs))
      parts[partOf(input)] += bytesInOutput;
  }
  if (!entry) throw new Error(`no ${HANDLER_FILE} in ${outdir}`);
  return { bytes, all, parts };
}

export async function coldStart(ROUNDS: number): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'tendril-bench-'));
  const handlers = readdirSync('functions/handlers')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''));

  // Reference bundles built and run the same way: the DynamoDB document client alone is the
  // reference (every handler but one needs it); hello-world and the other building blocks show
  // what a runtime, or one dependency, costs on its own.
  const DDB = 'DynamoDB document client';
  // A handler whose warm-up is its work (the reconciler sweeps the table on any event) makes requests
  // (refused at once, see below): it is compared with the document client making one such request.
  const DDB_REQUEST = 'DynamoDB document client, one refused request';
  // (the predictions trainer trains on any event it gets: its warm-up reads the table too).
  const MAKES_REQUESTS = new Set(['reconciler', 'predictions-trainer']);
  const HTTP_FLOOR = 'HTTP stack, no route';
  const STORE_FLOOR = 'HTTP stack and the contacts store, no route';
  const refOf = (name: string) => (MAKES_REQUESTS.has(name) ? DDB_REQUEST : DDB);
  const blocks: Record<string, string> = {
    'hello-world': 'export const handler = async () => ({ statusCode: 200, body: "hello" });',
    [DDB]: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
      const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      export const handler = async () => typeof client.send;`,
    [DDB_REQUEST]: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
      const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      export const handler = () => client
        .send(new QueryCommand({ TableName: 'bench', KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': 'x' } }))
        .catch((err) => err.name);`,
    'zod/mini (one schema)': `import * as z from 'zod/mini';
      import en from 'zod/v4/locales/en.js';
      z.config(en());
      const schema = z.object({ email: z.string().check(z.minLength(3)) });
      export const handler = async () => schema.safeParse({}).success;`,
    'zod classic (one schema)': `import * as z from 'zod';
      const schema = z.object({ email: z.string().min(3) });
      export const handler = async () => schema.safeParse({}).success;`,
    'Powertools Logger': `import { Logger } from '@aws-lambda-powertools/logger';
      const logger = new Logger();
      export const handler = async () => logger.getLevelName();`,
    'DynamoDB client + Powertools Tracer': `import { Tracer } from '@aws-lambda-powertools/tracer';
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
      const tracer = new Tracer({ serviceName: 'bench' });
      const client = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
      export const handler = async () => typeof client.send;`,
    // What every HTTP function needs whatever route it serves: the document client on the table,
    // zod, and the HTTP stack (middy, routing, errors) — with no route at all; then with one
    // context's store (its keys, decoders and the unit of work with the event contract).
    [HTTP_FLOOR]: `import { table } from '#app/runtime.js';
      import { httpHandler } from '#platform/http/handler.js';
      export const handler = httpHandler([]);
      export const tableName = table.name;`,
    [STORE_FLOOR]: `import { depsOf } from '#app/runtime.js';
      import { contactsStore } from '#contacts/store-dynamo.js';
      import { httpHandler } from '#platform/http/handler.js';
      export const handler = httpHandler([]);
      export const store = depsOf(contactsStore).store;`,
    LiquidJS: `import { Liquid } from 'liquidjs';
      const engine = new Liquid();
      export const handler = async () => engine.parseAndRender('{{ a }}', { a: 1 });`,
  };
  type BenchEntry = { entry: Entry; fullCredentialChain?: boolean };
  const entries: Record<string, BenchEntry> = {};
  for (const [name, contents] of Object.entries(blocks)) entries[name] = { entry: { contents } };
  for (const h of handlers) entries[h] = { entry: handlerEntry(h) };
  // The same handler without the credential alias, to show what the alias saves.
  const unaliased = 'contacts-api, full credential chain';
  entries[unaliased] = { entry: handlerEntry('contacts-api'), fullCredentialChain: true };

  const loaded: Record<string, ReturnType<typeof loadedAtStart>> = {};
  const files: Record<string, string> = {};
  for (const [name, { entry, fullCredentialChain }] of Object.entries(entries)) {
    const dir = join(out, name.replace(/\W+/g, '-'));
    const meta = await bundleHandler(entry, dir, fullCredentialChain ? { alias: {} } : {});
    files[name] = join(dir, HANDLER_FILE);
    loaded[name] = loadedAtStart(meta, dir);
  }

  // A warm-up call that needs no network: an unknown route for API handlers, an empty or invalid event
  // otherwise. The probe prints the time from its own start to the end of that call.
  const probe = join(out, 'probe.mjs');
  writeFileSync(
    probe,
    `const t0 = performance.now();
const m = await import(process.argv[2]);
try { await m.handler({ version: '2.0', routeKey: 'GET /warm-up', rawPath: '/warm-up', headers: {}, requestContext: { http: { method: 'GET', sourceIp: '127.0.0.1' } }, isBase64Encoded: false, Records: [] }, { functionName: 'bench', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 }); } catch {}
process.stdout.write(String(performance.now() - t0));
`,
  );
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    EVENT_BUS_NAME: 'bench',
    SIGNING_SECRET: 'bench-secret-bench-secret-bench-secret',
    STEP_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:step',
    STATE_MACHINE_ROLE_ARN: 'arn:aws:iam::000000000000:role/r',
    STATE_MACHINE_ARN_PREFIX: 'arn:aws:states:us-east-1:000000000000:stateMachine:',
    WORKFLOW_LOG_GROUP_ARN: 'arn:aws:logs:us-east-1:000000000000:log-group:l',
    WORKFLOW_MACHINE_PREFIX: 'tendril-wf-',
    SENDER_EMAIL: 'bench@example.com',
    SES_CONFIGURATION_SET: 'bench',
    PUBLIC_API_URL: 'https://bench.example.com',
    SCHEDULE_GROUP_NAME: 'bench',
    SCHEDULE_TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:scheduled',
    SCHEDULE_ROLE_ARN: 'arn:aws:iam::000000000000:role/s',
    SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    FILES_BUCKET: 'bench-files',
    CHUNK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/chunks',
    CAMPAIGN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/campaigns',
    USER_POOL_ID: 'us-east-1_bench',
    USER_POOL_CLIENT_ID: 'bench',
    WEBHOOK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/webhooks',
    SUPPORT_EMAIL: 'support@example.com',
    AWS_REGION: 'us-east-1',
    // A handler whose warm-up does reach for a service (the reconciler's sweep) fails at once: a
    // closed local port, one attempt — no DNS lookups and retries against the real endpoints.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  };
  // Two clocks per run: the whole process (spawn to exit, what a cold start pays: runtime boot,
  // module load, first call) and, inside it, the import and warm-up call alone. Each round runs the
  // reference and the bundle in the order A B B A and takes the geometric mean of the two adjacent
  // ratios: the machine's speed drifts over a benchmark (a pair sees the same machine), and the
  // second of two back-to-back runs is slower than the first (the order cancels out).
  const run = (name: string) => {
    const t0 = performance.now();
    const printed = execFileSync(process.execPath, [probe, files[name] ?? ''], { env }).toString();
    return { wall: performance.now() - t0, inside: Number(printed) };
  };
  const wall: Record<string, number[]> = {};
  const inside: Record<string, number[]> = {};
  const wallRatio: Record<string, number[]> = {};
  const insideRatio: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(entries)) {
      const ref = refOf(name);
      const [a1, b1, b2, a2] = [run(ref), run(name), run(name), run(ref)];
      const pair = (k: 'wall' | 'inside') => Math.sqrt((b1[k] / a1[k]) * (b2[k] / a2[k]));
      wall[name] = [...(wall[name] ?? []), b1.wall, b2.wall];
      inside[name] = [...(inside[name] ?? []), b1.inside, b2.inside];
      wallRatio[name] = [...(wallRatio[name] ?? []), pair('wall')];
      insideRatio[name] = [...(insideRatio[name] ?? []), pair('inside')];
    }
  }
  const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const refWall = median(wall[DDB]);
  const kb = (bytes = 0) => (bytes / 1024).toFixed(0);
  const ratio = (name: string) => median(wallRatio[name]);
  const TARGET = 1.1;
  const row = (name: string, check: boolean) => {
    const l = loaded[name] ?? { bytes: 0, all: 0, parts: { sdk: 0, zod: 0, other: 0, own: 0 } };
    const mark = (ok: boolean) => (check ? (ok ? ' ✓' : ' ✗') : '');
    const label = MAKES_REQUESTS.has(name) ? `${name} †` : name;
    return `| ${label} | ${kb(l.bytes)} KB | ${kb(l.parts.sdk)} | ${kb(l.parts.zod)} | ${kb(l.parts.other)} | ${kb(l.parts.own)} | ${kb(l.all)} KB | ${median(wall[name]).toFixed(0)} ms | ${ratio(name).toFixed(2)}×${mark(ratio(name) <= TARGET)} | ${median(inside[name]).toFixed(1)} ms | ${median(insideRatio[name]).toFixed(2)}× |`;
  };
  const header = `| bundle | loaded at start | AWS SDK KB | zod KB | other deps KB | own code KB | all files | process | vs DynamoDB client | import + warm-up | vs DynamoDB client |
|---|---|---|---|---|---|---|---|---|---|---|`;
  const within = handlers.filter((h) => ratio(h) <= TARGET);
  const worst = [...handlers].sort((a, b) => ratio(b) - ratio(a)).slice(0, 3);
  const tracer = 'DynamoDB client + Powertools Tracer';
  return `## Cold-start proxy

Each handler bundled exactly as the CDK stack bundles it (one definition, \`infra/bundling.ts\`: ESM,
minified, tree-shaken, SDK bundled, credential chain reduced to the environment provider Lambda
uses, split into the handler file and chunks imported on demand), then run by a fresh \`node\`
process that imports it and makes one warm-up call with no network. "process" is that process's
wall time, spawn to exit; the ratio compares it with the DynamoDB document client bundled and run
the same way (${refWall.toFixed(0)} ms): in each of ${ROUNDS} rounds the two run in the order A B B A and the
round's ratio is the geometric mean of the two adjacent ratios; the table shows the median round. "loaded at start" is what such a
process compiles: the handler file and the chunks it imports statically (split by AWS SDK, zod,
other dependencies and own code); "all files" adds the chunks loaded only when first used.
Target: process ≤ ${TARGET.toFixed(2)}× the DynamoDB client. † The reconciler's and the predictions
trainer's warm-up is their work (any event sweeps the table, or trains): their DynamoDB requests are
refused at once (a closed local port, one attempt), and they are compared with "${DDB_REQUEST}"
(below), which pays for the SDK's first request the same way.

${header}
${handlers.map((h) => row(h, true)).join('\n')}

Building blocks, bundled and run the same way — the floor for any handler that needs one:

${header}
${Object.keys(blocks)
  .map((b) => row(b, false))
  .join('\n')}
${row(unaliased, false)}

**Result: ${within.length} of ${handlers.length} handlers start within ${TARGET.toFixed(2)}× of the DynamoDB document client
(the slowest: ${worst.map((h) => `\`${h}\` ${ratio(h).toFixed(2)}×`).join(', ')}).** Compiling source is most of a cold
start's import time, so what a handler does not need on every invocation is not compiled at start:

- No zod schema is built at import: every top-level schema is \`z.lazy\` or a function (a test scans
  \`functions/\` for eager ones), so a function builds the schemas of what it serves when it first
  serves it.
- No \`Intl\` object is made at import either (the same test checks it): the first one of a
  process loads ICU's locale data, about 20 ms, which \`scoring-api\` and the predictions trainer
  paid at every cold start for a number formatter that only explanations use.
- The SES, EventBridge Scheduler, Step Functions, Secrets Manager, S3 and SQS clients, LiquidJS, the
  Powertools logger and the metrics writer are imported with \`import()\` where they are used (S3
  and SQS behind \`lazily\` ports), and the bundle is split, so they sit in chunks compiled only by
  an invocation that uses them (the signing key is fetched from Secrets Manager on the first request
  that needs it).
- Functions that do several kinds of work import each kind's code when the first of that kind
  arrives: \`scheduled-action\` (a follow-up, a reminder, a campaign), \`job-chunks\` (import, bulk,
  enrollment and campaign chunks), \`workflow-step\` (the email send path).
- The SDK's barrel modules (\`@smithy/core/protocols\`, \`@aws-sdk/core/protocols\`, …) are bypassed:
  each name is imported from the file that defines it (\`infra/barrel-imports.ts\`). esbuild splits
  by file reachability, and a barrel reached through the DynamoDB client put the XML, query and
  REST codecs of the clients imported on demand in the start chunk (up to 38 KB).
- middy's streaming-only built-ins (\`node:stream/web\`, \`node:stream/promises\`) load on first
  use (\`functions/platform/aws/middy-streams.ts\`).
- The OpenAPI document is generated ahead of time (\`npm run generate\`) and served as a file.
- The SDK's credential chain is replaced by the environment provider, which is all Lambda uses
  (\`functions/platform/aws/lambda-credentials.ts\`; the last row is \`contacts-api\` without it).

Powertools Tracer is not used: instrumenting the SDK client with it (its row above,
${ratio(tracer).toFixed(2)}× the DynamoDB client alone, ${kb(loaded[tracer]?.bytes)} KB) costs more than the whole budget, and
its X-Ray SDK turns on \`async_hooks\` for the process. The functions run with Lambda's active
tracing instead, and the SDK passes the trace header on to the services it calls.

What is left, and why the target is not met: the floor. A function with no route at all — the
document client on the table, zod and the HTTP stack — starts at ${ratio(HTTP_FLOOR).toFixed(2)}× the document client
alone ("${HTTP_FLOOR}" above), and one context's store (keys, decoders, the unit of work and the
event contract) takes it to ${ratio(STORE_FLOOR).toFixed(2)}× ("${STORE_FLOOR}"). Every invocation of a
function needs that much; what a handler adds beyond it is the code of what it serves. The cost is
spread (V8 compiles about 0.1 ms per KB at start, and each \`z.lazy\` and store is a small
constructor run at import), with no single part left to cut. The only way under ${TARGET.toFixed(2)}× for every
handler would be to import the store and the use cases on the first invocation instead of at start:
that moves the time from the measured start into the first request, which makes no real cold start
(a start followed by the request that caused it) any shorter, so it is not done. The functions that
span contexts compose only the stores they use (\`bulkStore\`, \`campaignsStore\`, the import store:
\`job-chunks\`, \`campaign-chunks\`, \`bulk-api\`, \`bulk-planner\`, \`campaigns-api\` and the reconciler
no longer compile every context's store).
`;
}
