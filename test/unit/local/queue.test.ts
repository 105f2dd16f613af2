import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalQueue, type QueueConsumer } from '#local/queue.js';

const options = (dir?: string) => ({
  name: 'test-queue',
  region: 'us-east-1',
  account: '000000000000',
  dir,
  batchSize: 1,
  concurrency: 2,
  maxReceives: 3,
  visibilityTimeoutMs: 20,
});

async function until(check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('local SQS queue and event-source mapping', () => {
  it('takes SendMessageBatch from the SDK (MD5 checked) and delivers each message to the consumer', async () => {
    const queue = new LocalQueue(options());
    const endpoint = await queue.listen('127.0.0.1');
    const got: string[] = [];
    await queue.start(async (event) => {
      for (const r of event.Records) got.push(String(r.body));
      return { batchItemFailures: [] };
    });
    const sqs = new SQSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'a', MessageBody: '{"n":1}' },
          { Id: 'b', MessageBody: '{"n":2}' },
        ],
      }),
    );
    assert.equal(out.Successful?.length, 2);
    await until(() => got.length === 2);
    assert.deepEqual(got.sort(), ['{"n":1}', '{"n":2}']);
    await until(() => !queue.busy());
    await queue.stop();
    endpoint.server.close();
  });

  it('holds a message sent with DelaySeconds until then (time-scaled), and refuses a delay over 900', async () => {
    const queue = new LocalQueue({ ...options(), timeScale: 10 });
    const endpoint = await queue.listen('127.0.0.1');
    const got: Array<{ body: string; at: number }> = [];
    await queue.start(async (event) => {
      for (const r of event.Records) got.push({ body: String(r.body), at: Date.now() });
      return { batchItemFailures: [] };
    });
    const sqs = new SQSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const sentAt = Date.now();
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: [
          { Id: 'later', MessageBody: 'later', DelaySeconds: 5 },
          { Id: 'now', MessageBody: 'now' },
        ],
      }),
    );
    await until(() => got.length === 2);
    assert.deepEqual(
      got.map((g) => g.body),
      ['now', 'later'],
    );
    const waited = (got[1]?.at ?? 0) - sentAt;
    assert.ok(waited >= 480, `delivered after 5 s ÷ 10 (${waited} ms)`);
    await assert.rejects(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: [{ Id: 'x', MessageBody: 'x', DelaySeconds: 901 }],
        }),
      ),
      /DelaySeconds/,
    );
    await queue.stop();
    endpoint.server.close();
  });

  it('redelivers reported failures after the visibility timeout, then parks them as dead letters', async () => {
    const queue = new LocalQueue(options());
    const receives: string[] = [];
    const consumer: QueueConsumer = async (event) => {
      const r = event.Records[0] as { messageId: string; body: string; attributes: Record<string, string> };
      receives.push(`${r.body}#${r.attributes.ApproximateReceiveCount}`);
      if (r.body === 'flaky' && r.attributes.ApproximateReceiveCount === '1')
        throw new Error('first try fails');
      return { batchItemFailures: r.body === 'poison' ? [{ itemIdentifier: r.messageId }] : [] };
    };
    await queue.start(consumer);
    await queue.send(['flaky', 'poison', 'fine']);
    await until(() => !queue.busy());
    assert.deepEqual(receives.filter((r) => !r.startsWith('fine')).sort(), [
      'flaky#1',
      'flaky#2',
      'poison#1',
      'poison#2',
      'poison#3',
    ]);
    assert.deepEqual(
      queue.deadLetters().map((m) => [m.body, m.receives]),
      [['poison', 3]],
    );
    await queue.stop();
  });

  it('keeps undeleted messages on disk: after a crash they are delivered again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tendril-queue-'));
    const first = new LocalQueue(options(dir));
    await first.send(['kept-1', 'kept-2']);
    // The process dies before delivering anything (no start, no stop).
    const second = new LocalQueue(options(dir));
    const got: string[] = [];
    await second.start(async (event) => {
      got.push(String(event.Records[0]?.body));
      return {};
    });
    await until(() => got.length === 2 && !second.busy());
    assert.deepEqual(got.sort(), ['kept-1', 'kept-2']);
    await second.stop();
    const third = new LocalQueue(options(dir));
    let again = 0;
    await third.start(async () => {
      again++;
      return {};
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(again, 0, 'deleted messages are not delivered again');
    await third.stop();
  });
});
