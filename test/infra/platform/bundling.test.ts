/**
 * The Lambda bundling options (infra/bundling.ts): an SDK client in a bundle takes its credentials
 * from the environment, as Lambda provides them, and carries none of the rest of the default chain;
 * middy's streaming-only imports load on first use, not at every cold start.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { bundleHandler, HANDLER_FILE } from '../../../infra/bundling.js';

const probe = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ region: 'eu-west-1' });
try {
  const credentials = await client.config.credentials();
  console.log(JSON.stringify({ ok: credentials }));
} catch (err) {
  console.log(JSON.stringify({ error: err.message }));
}
`;

let bundle: string;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-bundle-'));
  await bundleHandler({ contents: probe }, dir);
  bundle = join(dir, HANDLER_FILE);
});

function run(env: Record<string, string>) {
  const base = { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'tendril-home-')) };
  return JSON.parse(execFileSync(process.execPath, [bundle], { env: { ...base, ...env } }).toString());
}

describe('Lambda bundling', () => {
  it('resolves credentials from the environment Lambda sets', () => {
    const out = run({
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    assert.equal(out.ok?.accessKeyId, 'AKIDEXAMPLE');
    assert.equal(out.ok?.sessionToken, 'token');
  });

  it('fails plainly without them instead of trying profiles, SSO or instance metadata', () => {
    const out = run({ AWS_PROFILE: 'someone' });
    assert.match(out.error ?? '', /environment variable credentials/);
  });

  it('leaves the rest of the default credential chain out of the bundle', () => {
    const dir = join(bundle, '..');
    const chunks = existsSync(join(dir, 'chunks')) ? readdirSync(join(dir, 'chunks')) : [];
    const files = [HANDLER_FILE, ...chunks.map((f) => join('chunks', f))];
    const code = files
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    for (const marker of [
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'sso_start_url',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ])
      assert.ok(!code.includes(marker), `bundle still contains ${marker}`);
  });

  it("loads Node's web streams for middy only when a response is streamed", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tendril-bundle-'));
    await bundleHandler(
      {
        contents: `import middy from '@middy/core';
          export const handler = middy(async (event) => ({ statusCode: 200, body: event.name }));
          const { ReadableStream: Real } = await import('node:stream/web');
          const { ReadableStream: Shim, pipeline } = await import('./functions/platform/aws/middy-streams.ts');
          export const checks = { stream: new Real() instanceof Shim, object: {} instanceof Shim, pipeline: typeof pipeline };`,
      },
      dir,
    );
    const entry = readFileSync(join(dir, HANDLER_FILE), 'utf8');
    assert.doesNotMatch(entry, /from\s*"node:stream\/(web|promises)"/);
    const out = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(dir, HANDLER_FILE))});
       const r = await m.handler({ name: 'ada' }, { getRemainingTimeInMillis: () => 1000 });
       console.log(JSON.stringify({ body: r.body, ...m.checks }));`,
    ]).toString();
    assert.deepEqual(JSON.parse(out), { body: 'ada', stream: true, object: false, pipeline: 'function' });
  });

  it('serializes and parses JSON, REST-JSON and XML protocols with the barrels bypassed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tendril-bundle-'));
    await bundleHandler(
      {
        contents: `import { Readable } from 'node:stream';
          import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
          // Clients a handler imports on demand, as the S3 and SES adapters do.
          const { S3Client, HeadObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
          const { SESv2Client, GetAccountCommand } = await import('@aws-sdk/client-sesv2');
          const seen = [];
          const reply = (status, headers, body) => ({
            async handle(request) {
              seen.push(request.method + ' ' + request.hostname + request.path);
              return { response: { statusCode: status, headers, body: Readable.from([Buffer.from(body)]) } };
            },
          });
          const config = { region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } };
          const ddb = new DynamoDBClient({ ...config, requestHandler: reply(200, { 'content-type': 'application/x-amz-json-1.0' }, '{"Item":{"PK":{"S":"x"}}}') });
          const s3 = new S3Client({ ...config, requestHandler: reply(200, { 'content-type': 'application/xml' }, '<?xml version="1.0"?><ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><Contents><Key>k.csv</Key><Size>7</Size></Contents></ListBucketResult>') });
          const ses = new SESv2Client({ ...config, requestHandler: reply(200, { 'content-type': 'application/json' }, '{"SendQuota":{"MaxSendRate":14}}') });
          const item = await ddb.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'x' } } }));
          const list = await s3.send(new ListObjectsV2Command({ Bucket: 'b' }));
          const quota = await ses.send(new GetAccountCommand({}));
          export const result = { item: item.Item, key: list.Contents?.[0]?.Key, size: list.Contents?.[0]?.Size, rate: quota.SendQuota?.MaxSendRate, seen, head: typeof HeadObjectCommand };`,
      },
      dir,
    );
    const out = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(dir, HANDLER_FILE))}); console.log(JSON.stringify(m.result));`,
    ]).toString();
    const result = JSON.parse(out);
    assert.deepEqual(result.item, { PK: { S: 'x' } });
    assert.equal(result.key, 'k.csv');
    assert.equal(result.size, 7);
    assert.equal(result.rate, 14);
    assert.equal(result.seen.length, 3);
    // The XML codec is compiled by the first S3 call, not at start: no file the handler imports
    // statically (its own, and the chunks those import) holds it.
    const atStart = new Set<string>();
    const visit = (file: string) => {
      if (atStart.has(file)) return;
      atStart.add(file);
      const code = readFileSync(join(dir, file), 'utf8');
      for (const [, spec = ''] of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*[^;(]*?from\s*"(\.[^"]+)"/g))
        visit(join(file, '..', spec));
    };
    visit(HANDLER_FILE);
    const startCode = [...atStart].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    assert.match(startCode, /DynamoDB/);
    assert.doesNotMatch(startCode, /xml serializer/);
  });
});
