/**
 * The single table: its definition (shared by the CDK stack and the local bootstrap), and the reads
 * every context's store is built from. Keys are each context's own (`<context>/store-dynamo.ts`);
 * this module knows only PK/SK, the two indexes and how items are stamped and decoded.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import type { ListOptions, Page } from '../store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { retryLocalLockTimeouts } from './local-locks.js';

export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  gsi2: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
} as const;

/** The table definition, shared by the CDK stack and the local bootstrap so both create the same table. */
export const TABLE_DEFINITION = {
  attributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'GSI1PK', AttributeType: 'S' },
    { AttributeName: 'GSI1SK', AttributeType: 'S' },
    { AttributeName: 'GSI2PK', AttributeType: 'S' },
    { AttributeName: 'GSI2SK', AttributeType: 'S' },
  ],
  keySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'GSI2',
      KeySchema: [
        { AttributeName: 'GSI2PK', KeyType: 'HASH' },
        { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  streamViewType: 'NEW_IMAGE',
} as const;

export type Key = { PK: string; SK: string };
export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

export const epochSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Marks every item with its entity type and the version of its stored shape. */
export const stamp = (entity: string, schemaVersion = 1) => ({ _type: entity, _v: schemaVersion });

/** The attributes that are storage, not record: keys, index keys, stamps, TTL. */
export function stripKeys({ PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, _type, _v, ttl, ...rest }: Item): Item {
  return rest;
}

/** A stored item that does not have the shape its record schema says: a bug or a bad migration. */
export class CorruptItem extends Error {
  constructor(entity: string, key: unknown, issues: string) {
    super(`stored ${entity} ${JSON.stringify(key)} does not match its schema: ${issues}`);
    this.name = 'CorruptItem';
  }
}

/**
 * Decodes a stored item into its record: storage attributes removed, `prepare` for what DynamoDB
 * stores differently (sets), then the record's zod schema, so a read never hands out a shape the
 * type does not promise.
 */
export function decode<S extends z.ZodMiniType>(
  schema: S,
  item: Item,
  prepare: (rest: Item) => Item = (rest) => rest,
): z.output<S> {
  const parsed = schema.safeParse(prepare(stripKeys(item)));
  if (!parsed.success) {
    throw new CorruptItem(
      String(item._type),
      { PK: item.PK, SK: item.SK },
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** One index range to read: a partition of the table (no index) or of GSI1/GSI2, sort key bounds inclusive. */
export interface IndexQuery {
  index?: 'GSI1' | 'GSI2';
  partition: string;
  from?: string;
  to?: string;
  /** Only sort keys below this one. */
  before?: string;
  /** Only sort keys starting with this. */
  prefix?: string;
  ascending?: boolean;
}

/** The reads and batch operations of the table; every access pattern is a named function built on these. */
export class Table {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly name: string,
  ) {
    retryLocalLockTimeouts(db);
  }

  async get(key: Key): Promise<Item | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  /** One page of an index range, newest (highest sort key) first by default; cursors are checked. */
  async query(q: IndexQuery, options: ListOptions): Promise<{ items: Item[]; nextCursor?: string }> {
    const index = q.index ? TABLE_KEYS[q.index === 'GSI1' ? 'gsi1' : 'gsi2'] : undefined;
    const pk = index?.partitionKey ?? TABLE_KEYS.partitionKey;
    const sk = index?.sortKey ?? TABLE_KEYS.sortKey;
    const values: Record<string, string> = { ':pk': q.partition };
    let condition = '#pk = :pk';
    if (q.from !== undefined && q.to !== undefined) {
      condition += ' AND #sk BETWEEN :from AND :to';
      Object.assign(values, { ':from': q.from, ':to': q.to });
    } else if (q.from !== undefined) {
      condition += ' AND #sk >= :from';
      values[':from'] = q.from;
    } else if (q.before !== undefined) {
      condition += ' AND #sk < :before';
      values[':before'] = q.before;
    } else if (q.prefix !== undefined) {
      condition += ' AND begins_with(#sk, :prefix)';
      values[':prefix'] = q.prefix;
    }
    const bounded = condition.includes('#sk');
    const input: QueryCommandInput = {
      TableName: this.name,
      ...(index ? { IndexName: index.name } : { ConsistentRead: true }),
      KeyConditionExpression: condition,
      ExpressionAttributeNames: { '#pk': pk, ...(bounded ? { '#sk': sk } : {}) },
      ExpressionAttributeValues: values,
      ScanIndexForward: q.ascending ?? false,
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, {
        attributes: index ? ['PK', 'SK', pk, sk] : ['PK', 'SK'],
        partition: { name: pk, value: q.partition },
        sort: {
          name: sk,
          min: q.from ?? q.prefix,
          max: q.to ?? q.before ?? (q.prefix !== undefined ? `${q.prefix}\uffff` : undefined),
        },
      }),
    };
    const out = await this.db.send(new QueryCommand(input));
    const nextCursor = encodeCursor(out.LastEvaluatedKey);
    return { items: out.Items ?? [], ...(nextCursor ? { nextCursor } : {}) };
  }

  /** One page, decoded. */
  async page<T>(q: IndexQuery, options: ListOptions, decodeItem: (item: Item) => T): Promise<Page<T>> {
    const page = await this.query(q, options);
    return { ...page, items: page.items.map(decodeItem) };
  }

  /** Every item of an index range (small, bounded ranges only: a board, a counter group). */
  async all(q: IndexQuery, pageSize = 500): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.query(q, { limit: pageSize, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /** Consistent BatchGetItem in chunks of 100, retrying unprocessed keys. */
  async batchGet(keys: Key[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Key[] = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await pause(20 * 2 ** attempt);
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(out.Responses?.[this.name] ?? []));
        pending = (out.UnprocessedKeys?.[this.name]?.Keys as Key[] | undefined) ?? [];
      }
    }
    return found;
  }

  /**
   * Counts one more use of a fixed window kept in one item (a rate limit): true when the count was
   * below `limit` and was incremented, false when the window is full (nothing is written then). The
   * item expires with its window.
   */
  async takeSlot(key: Key, limit: number, expiresAt: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.name,
          Key: key,
          UpdateExpression: 'SET #type = :type, #ttl = :ttl ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#type': '_type', '#ttl': TABLE_KEYS.ttlAttribute, '#count': 'count' },
          ExpressionAttributeValues: {
            ':type': 'RateWindow',
            ':ttl': epochSeconds(expiresAt),
            ':one': 1,
            ':limit': limit,
          },
        }),
      );
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** Deletes every item of a partition (idempotent if interrupted and run again). */
  async erasePartition(partition: string): Promise<void> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.name,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ProjectionExpression: 'PK, SK',
          ExclusiveStartKey: cursor,
        }),
      );
      await this.batchDelete((out.Items ?? []) as Key[]);
      cursor = out.LastEvaluatedKey;
    } while (cursor);
  }

  private batchDelete(keys: Key[]): Promise<void> {
    return this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** Puts items without conditions (idempotent when the keys are deterministic), 25 per BatchWriteItem. */
  batchPut(items: Item[]): Promise<void> {
    return this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  private async batchWrite(requests: Array<Record<string, unknown>>): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await pause(20 * 2 ** Math.min(attempt, 6));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } }));
        pending = (out.UnprocessedItems?.[this.name] ?? []) as typeof pending;
      }
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
