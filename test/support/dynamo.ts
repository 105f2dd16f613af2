/** Test support: a fresh table in the run's DynamoDB Local, and domain deps wired to it. */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type AppDeps, dynamoStore } from '#app/store.js';
import { ulidFactory } from '#platform/ids.js';
import { ensureTable, localClient } from '../../local/dynamodb.js';

export function testEndpoint(): string {
  const endpoint = process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TENDRIL_TEST_DYNAMODB_ENDPOINT is not set: run the tests with `npm test`');
  return endpoint;
}

export interface TestTable {
  tableName: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Every context's store over this table (the use cases take the part they need). */
  deps: AppDeps;
  /** Every item in the table (tests only: a Scan is never on a request path). */
  items(): Promise<Record<string, unknown>[]>;
}

export async function createTestTable(clock: () => Date = () => new Date()): Promise<TestTable> {
  const endpoint = testEndpoint();
  const tableName = `test-${randomUUID()}`;
  const client = localClient(endpoint);
  await ensureTable(client, tableName);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    tableName,
    client,
    doc,
    deps: { store: dynamoStore(doc, tableName), clock: { now: clock }, ids: { next: ulidFactory() } },
    async items() {
      const out: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }),
        );
        out.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return out.sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));
    },
  };
}

/** The events written to the outbox, in order of their ids. */
export async function outboxEvents(table: TestTable) {
  return (await table.items())
    .filter((i) => String(i.PK).startsWith('OUTBOX#'))
    .map((i) => ({
      detailType: String(i.detailType),
      detail: JSON.parse(String(i.detail)) as Record<string, unknown>,
    }))
    .sort((a, b) => String(a.detail.eventId).localeCompare(String(b.detail.eventId)));
}
