/**
 * A local SQS queue and its Lambda event-source mapping (there is no SQS emulator on npm). The
 * queue speaks SQS's JSON protocol (SendMessage, SendMessageBatch) to the SDK; a message is on disk
 * before the send is answered, so a kill -9 loses nothing, and after a restart every message not
 * yet deleted is delivered again (as when its visibility timeout ends). The mapping invokes the
 * consumer with batches of `batchSize`, at most `concurrency` at once; messages reported in
 * `batchItemFailures` (or all, when the invocation throws) come back after the visibility timeout,
 * and a message received `maxReceives` times moves to the dead-letter folder, listed and counted.
 * A message sent with `DelaySeconds` is not delivered before then.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { timeoutMsOf } from '#platform/lambda.js';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName } from '#platform/manifest.js';
import { AwsApiError, serveAwsJson } from './aws-json-api.js';

export interface QueuedMessage {
  id: string;
  body: string;
  /** Deliveries so far (SQS's ApproximateReceiveCount). */
  receives: number;
  sentAt: number;
  /** Not delivered before this time (a failed delivery's visibility timeout). */
  notBefore: number;
  lastError?: string;
}

export type QueueConsumer = (event: {
  Records: Array<Record<string, unknown>>;
}) => Promise<{ batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined>;

export interface LocalQueueOptions {
  name: string;
  region: string;
  account: string;
  /** Where messages are kept; in memory when absent. */
  dir?: string | undefined;
  batchSize: number;
  concurrency: number;
  maxReceives: number;
  visibilityTimeoutMs: number;
  /** Divides message delays (TENDRIL_TIME_SCALE; 1 when absent). */
  timeScale?: number;
  onError?: (message: string) => void;
}

export class LocalQueue {
  private readonly messages = new Map<string, QueuedMessage>();
  private readonly inFlight = new Set<string>();
  private readonly dead: QueuedMessage[] = [];
  private consumer: QueueConsumer | undefined;
  private workers: Promise<void>[] = [];
  private stopped = false;
  private wake: (() => void) | undefined;
  private seq = 0;
  url = '';

  constructor(private readonly options: LocalQueueOptions) {}

  get arn() {
    return `arn:aws:sqs:${this.options.region}:${this.options.account}:${this.options.name}`;
  }

  /** Serves the SQS API on `host`; the queue URL is on this endpoint (the SDK sends to the queue URL's host). */
  async listen(host: string) {
    const endpoint = await serveAwsJson({
      targetPrefix: 'AmazonSQS.',
      contentType: 'application/x-amz-json-1.0',
      host,
      call: (operation, body) => this.call(operation, body),
    });
    this.url = `${endpoint.url}/${this.options.account}/${this.options.name}`;
    return endpoint;
  }

  private async call(operation: string, body: Record<string, unknown>) {
    const entries =
      operation === 'SendMessageBatch'
        ? (body.Entries as Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>)
        : operation === 'SendMessage'
          ? [
              {
                Id: 'single',
                MessageBody: String(body.MessageBody),
                DelaySeconds: body.DelaySeconds as number | undefined,
              },
            ]
          : undefined;
    if (!entries) throw new AwsApiError('UnsupportedOperation', `${operation} is not emulated`);
    if (entries.length > 10) throw new AwsApiError('TooManyEntriesInBatchRequest', 'at most 10 entries');
    const delays = entries.map((e) => e.DelaySeconds ?? 0);
    if (delays.some((d) => !Number.isInteger(d) || d < 0 || d > 900))
      throw new AwsApiError('InvalidParameterValue', 'DelaySeconds must be an integer from 0 to 900');
    const sent = await this.send(
      entries.map((e) => e.MessageBody),
      delays,
    );
    const answers = entries.map((e, i) => ({
      Id: e.Id,
      MessageId: sent[i]?.id,
      MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
    }));
    return operation === 'SendMessage'
      ? { MessageId: answers[0]?.MessageId, MD5OfMessageBody: answers[0]?.MD5OfMessageBody }
      : { Successful: answers, Failed: [] };
  }

  /** Stores the messages (on disk first), then makes them deliverable. */
  async send(bodies: string[], delaySeconds: number[] = []): Promise<QueuedMessage[]> {
    const now = Date.now();
    const created = bodies.map((body, i) => ({
      // Sortable: delivery follows send order.
      id: `${now.toString(36).padStart(10, '0')}-${(this.seq++).toString(36).padStart(6, '0')}-${randomUUID().slice(0, 8)}`,
      body,
      receives: 0,
      sentAt: now,
      // DelaySeconds, time-scaled like every local wait.
      notBefore: delaySeconds[i] ? now + (delaySeconds[i] * 1000) / (this.options.timeScale ?? 1) : 0,
    }));
    await Promise.all(created.map((m) => this.persist(m)));
    for (const m of created) this.messages.set(m.id, m);
    this.wake?.();
    return created;
  }

  private async persist(m: QueuedMessage) {
    if (!this.options.dir) return;
    const file = join(this.options.dir, `${m.id}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(m));
    await rename(`${file}.tmp`, file);
  }

  /** Loads what a previous run left (every message is deliverable again) and starts delivering. */
  async start(consumer: QueueConsumer): Promise<void> {
    this.consumer = consumer;
    const dir = this.options.dir;
    if (dir) {
      await mkdir(join(dir, 'dead'), { recursive: true, mode: 0o700 });
      for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
        const m = JSON.parse(await readFile(join(dir, name), 'utf8')) as QueuedMessage;
        this.messages.set(m.id, { ...m, notBefore: 0 });
      }
      for (const name of (await readdir(join(dir, 'dead'))).filter((n) => n.endsWith('.json')))
        this.dead.push(JSON.parse(await readFile(join(dir, 'dead', name), 'utf8')) as QueuedMessage);
    }
    this.workers = Array.from({ length: this.options.concurrency }, () => this.work());
  }

  private next(): QueuedMessage[] {
    const now = Date.now();
    const batch: QueuedMessage[] = [];
    for (const m of this.messages.values()) {
      if (this.inFlight.has(m.id) || m.notBefore > now) continue;
      batch.push(m);
      if (batch.length >= this.options.batchSize) break;
    }
    return batch;
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const batch = this.next();
      if (batch.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      for (const m of batch) {
        this.inFlight.add(m.id);
        m.receives++;
      }
      await Promise.all(batch.map((m) => this.persist(m)));
      let failed: Set<string>;
      let error = '';
      try {
        const out = await (this.consumer as QueueConsumer)({ Records: batch.map((m) => this.record(m)) });
        failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (err) {
        error = String(err);
        failed = new Set(batch.map((m) => m.id));
      }
      for (const m of batch) {
        this.inFlight.delete(m.id);
        if (!failed.has(m.id)) await this.remove(m);
        else await this.fail(m, error || 'reported as a batch item failure');
      }
    }
  }

  private record(m: QueuedMessage) {
    return {
      messageId: m.id,
      receiptHandle: `${m.id}.${m.receives}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receives),
        SentTimestamp: String(m.sentAt),
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.options.region,
    };
  }

  private async remove(m: QueuedMessage) {
    this.messages.delete(m.id);
    if (this.options.dir) await unlink(join(this.options.dir, `${m.id}.json`)).catch(() => {});
  }

  private async fail(m: QueuedMessage, error: string) {
    m.lastError = error;
    if (m.receives < this.options.maxReceives) {
      m.notBefore = Date.now() + this.options.visibilityTimeoutMs;
      await this.persist(m);
      return;
    }
    // Received maxReceives times: to the dead-letter queue.
    this.messages.delete(m.id);
    this.dead.push(m);
    this.options.onError?.(
      `queue ${this.options.name}: message ${m.id} failed ${m.receives} times: ${error}`,
    );
    const dir = this.options.dir;
    if (dir) {
      await writeFile(join(dir, 'dead', `${m.id}.json`), JSON.stringify(m));
      await unlink(join(dir, `${m.id}.json`)).catch(() => {});
    }
  }

  /** Messages not yet deleted (waiting, in flight or waiting out a visibility timeout). */
  busy(): boolean {
    return this.messages.size > 0;
  }

  deadLetters(): QueuedMessage[] {
    return [...this.dead];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await Promise.all(this.workers);
  }
}

/**
 * One queue per queue trigger of the manifest, each with its event-source mapping's settings and
 * its own endpoint (the SDK sends to the queue URL's host). One machine: at most `concurrency`
 * workers per queue, fewer than the cloud's, against one DynamoDB Local.
 */
export function manifestQueues(options: {
  region: string;
  account: string;
  /** Where each queue keeps its messages (a folder per queue); none: in memory. */
  dir: string | undefined;
  concurrency: number;
  timeScale: number;
  onError: (msg: string) => void;
}): Array<{ name: FunctionName; queue: LocalQueue }> {
  return FUNCTION_NAMES.flatMap((name) => {
    const trigger = FUNCTIONS[name].trigger;
    if (trigger.kind !== 'queue') return [];
    const queue = new LocalQueue({
      name: `tendril-local-${trigger.queue}`,
      region: options.region,
      account: options.account,
      dir: options.dir && join(options.dir, trigger.queue),
      batchSize: trigger.batchSize,
      concurrency: Math.min(trigger.maxConcurrency, options.concurrency),
      maxReceives: trigger.maxReceives,
      // Six times the consumer's timeout, as in the cloud, time-scaled like every local wait.
      visibilityTimeoutMs: Math.max(1_000, (6 * timeoutMsOf(name)) / options.timeScale),
      timeScale: options.timeScale,
      onError: options.onError,
    });
    return [{ name, queue }];
  });
}
