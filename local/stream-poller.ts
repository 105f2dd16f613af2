/**
 * Local stand-in for a Lambda event-source mapping on a DynamoDB stream: polls DynamoDB Local's
 * stream, applies the same filter as the cloud mapping, invokes the handler with a Lambda-shaped
 * event, honours batchItemFailures by re-reading from the failed record, and checkpoints to a file.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { matchesPattern, type Pattern } from '#platform/pattern-match.js';
import { JsonFile } from './json-file.js';

export interface PollerOptions {
  endpoint: string;
  streamArn: string;
  filter: Pattern;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  checkpointFile?: string | undefined;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

function toLambdaRecord(r: StreamRecord, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime
        ? d.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | null>();
  private checkpoints: Record<string, string> = {};
  private readonly checkpointStore: JsonFile<Record<string, string>>;
  private stopped = false;
  private loop?: Promise<void>;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: PollerOptions) {
    this.client = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    this.checkpointStore = new JsonFile(options.checkpointFile);
  }

  async start(): Promise<void> {
    this.checkpoints = (await this.checkpointStore.read()) ?? {};
    this.loop = this.run();
  }

  /** Resolves after the poller has caught up with everything written before the call. */
  async caughtUp(): Promise<void> {
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    this.client.destroy();
  }

  private async run(): Promise<void> {
    let lastDescribe = 0;
    while (!this.stopped) {
      try {
        if (Date.now() - lastDescribe > 1000 || this.iterators.size === 0) {
          await this.discoverShards();
          lastDescribe = Date.now();
        }
        let busy = false;
        for (const shardId of this.iterators.keys()) busy = (await this.pollShard(shardId)) || busy;
        if (!busy) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
          await new Promise((resolve) => setTimeout(resolve, this.options.intervalMs ?? 50));
        }
      } catch (err) {
        this.options.onError?.(err);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async discoverShards(): Promise<void> {
    const out = await this.client.send(new DescribeStreamCommand({ StreamArn: this.options.streamArn }));
    for (const shard of out.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId;
      if (!id || this.iterators.has(id)) continue;
      const seq = this.checkpoints[id];
      this.iterators.set(id, await this.iterator(id, seq ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON', seq));
    }
  }

  private async iterator(
    shardId: string,
    type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER' | 'TRIM_HORIZON',
    seq?: string,
  ) {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.options.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(seq ? { SequenceNumber: seq } : {}),
      }),
    );
    return out.ShardIterator ?? null;
  }

  /** Reads one batch from a shard; returns whether it found records. */
  private async pollShard(shardId: string): Promise<boolean> {
    const iterator = this.iterators.get(shardId);
    if (!iterator) return false;
    let out: Awaited<ReturnType<typeof this.getRecords>>;
    try {
      out = await this.getRecords(iterator);
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw err;
      // The iterator went stale (DynamoDB Local trims its streams as other tables fill them, and
      // iterators expire): start again after the checkpoint, or from the oldest record kept.
      this.iterators.set(shardId, await this.freshIterator(shardId));
      return true;
    }
    const records = out.Records ?? [];
    const lambdaRecords = records
      .map((r) => toLambdaRecord(r, this.options.streamArn))
      .filter((r) => matchesPattern(this.options.filter, r));
    if (lambdaRecords.length > 0) {
      const result = await this.options.handler({ Records: lambdaRecords });
      const failedSeq = result?.batchItemFailures[0]?.itemIdentifier;
      if (failedSeq) {
        this.iterators.set(shardId, await this.iterator(shardId, 'AT_SEQUENCE_NUMBER', failedSeq));
        await new Promise((resolve) => setTimeout(resolve, 200));
        return true;
      }
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) await this.checkpoint(shardId, last);
    this.iterators.set(shardId, out.NextShardIterator ?? null);
    return records.length > 0;
  }

  private getRecords(iterator: string) {
    return this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
  }

  private async freshIterator(shardId: string): Promise<string | null> {
    const seq = this.checkpoints[shardId];
    if (seq) {
      try {
        return await this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', seq);
      } catch (err) {
        if ((err as { name?: string }).name !== 'TrimmedDataAccessException') throw err;
      }
    }
    return this.iterator(shardId, 'TRIM_HORIZON');
  }

  private async checkpoint(shardId: string, seq: string): Promise<void> {
    this.checkpoints[shardId] = seq;
    await this.checkpointStore.write(this.checkpoints);
  }
}
