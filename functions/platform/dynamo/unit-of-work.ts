/**
 * The unit of work: turns the writes of one use case — of any contexts — into one
 * TransactWriteItems call. Each context contributes translators for its own write kinds; the
 * composition root joins them (a missing kind is a type error there). A failed condition becomes a
 * CommitConflict naming the write and the guard; transaction contention is retried a bounded number
 * of times, then reported as busy (nothing was written).
 */
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTimeFor } from '../deadline.js';
import { busy } from '../errors.js';
import type { DomainEvent } from '../events.js';
import { CommitConflict, type Emit, type Write } from '../store.js';
import { isLocalLockTimeout } from './local-locks.js';
import { type Item, type Key, stamp, TABLE_KEYS, type Table, type TransactItem } from './table.js';

/** One transaction item a write becomes; `part` names its guard when a write has several. */
export interface Part {
  item: TransactItem;
  part?: string;
}

/** A translator per write kind: how that write is expressed as transaction items on `table`. */
export type Translators<W extends Write> = {
  [K in W['kind']]: (write: Extract<W, { kind: K }>, table: string) => Part[];
};

const MAX_TRANSACT_ITEMS = 100;
/** Transaction contention (another transaction on the same item) is retried this often, then busy. */
const CONTENTION_RETRIES = 8;
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

export function outboxKey(eventId: string): Key {
  return { PK: `OUTBOX#${eventId}`, SK: 'OUTBOX' };
}

export function outboxItem(event: DomainEvent): Item {
  return {
    ...outboxKey(event.detail.eventId),
    ...stamp('Outbox'),
    source: event.source,
    detailType: event.detailType,
    detail: JSON.stringify(event.detail),
    [TABLE_KEYS.ttlAttribute]: Math.floor(Date.parse(event.detail.occurredAt) / 1000) + OUTBOX_TTL_SECONDS,
  };
}

export const emitTranslator: Translators<Emit> = {
  emit: (write, TableName) => [{ item: { Put: { TableName, Item: outboxItem(write.event) } } }],
};

/** A Put of a whole item: created (`expected` absent) or replacing only the expected value of `attribute`. */
export function guardedPut(
  TableName: string,
  Item: Item,
  guard: { attribute: string; expected: string | number | undefined },
): Part[] {
  const condition =
    guard.expected === undefined
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : {
          ConditionExpression: '#guard = :guard',
          ExpressionAttributeNames: { '#guard': guard.attribute },
          ExpressionAttributeValues: { ':guard': guard.expected },
        };
  return [{ item: { Put: { TableName, Item, ...condition } } }];
}

/** The guard of a versioned record's put: at `expectedVersion`, or (0) not there yet. */
export const versionGuard = (expectedVersion: number) => ({
  attribute: 'version',
  expected: expectedVersion === 0 ? undefined : expectedVersion,
});

/** The delete of a versioned record, refused (a conflict) unless it is still at `expectedVersion`. */
export const versionedDelete = (
  TableName: string,
  Key: Key,
  expectedVersion: number,
  part?: string,
): Part => ({
  item: {
    Delete: {
      TableName,
      Key,
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    },
  },
  ...(part ? { part } : {}),
});

/** `SET #s0 = :s0, …` for the attributes of `set`, with their names and values. */
export function setExpression(set: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts = Object.entries(set).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  return { expression: `SET ${parts.join(', ')}`, names, values };
}

/** An Update adding numeric deltas to attributes of one item (counters, gauges), stamping its type. */
export function addDeltas(TableName: string, Key: Key, entity: string, deltas: Record<string, number>): Part {
  const names: Record<string, string> = { '#type': '_type' };
  const values: Record<string, unknown> = { ':type': entity };
  const adds = Object.entries(deltas).map(([name, delta], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = delta;
    return `#a${i} :a${i}`;
  });
  return {
    item: {
      Update: {
        TableName,
        Key,
        UpdateExpression: `SET #type = :type ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  };
}

/** The plain command of a transaction's put or update (deletes and condition checks stay transactions). */
function singleCommand(item: TransactItem): PutCommand | UpdateCommand | undefined {
  if (item.Put) return new PutCommand(item.Put);
  if (item.Update) return new UpdateCommand(item.Update);
  return undefined;
}

export function unitOfWork<W extends Write>(table: Table, translators: Translators<W>) {
  const translate = (write: W): Array<{ item: TransactItem; part: string }> => {
    const translator = (translators as unknown as Record<string, (w: W, table: string) => Part[]>)[
      write.kind
    ];
    if (!translator) throw new Error(`no translation for write ${write.kind}`);
    return translator(write, table.name).map(({ item, part }) => ({ item, part: part ?? write.kind }));
  };
  return {
    /** The transaction items `commit` would send (also used by bulk loaders and benchmarks). */
    transactItems(writes: W[]): TransactItem[] {
      return writes.flatMap((w) => translate(w).map(({ item }) => item));
    },

    async commit(writes: W[]): Promise<void> {
      const owners: Array<{ write: W; part: string }> = [];
      const items: TransactItem[] = [];
      for (const write of writes) {
        for (const { item, part } of translate(write)) {
          items.push(item);
          owners.push({ write, part });
        }
      }
      if (items.length === 0) return;
      if (items.length > MAX_TRANSACT_ITEMS)
        throw new Error(`transaction of ${items.length} items exceeds the limit`);
      const [only] = items;
      // One put or update is atomic on its own: sent as itself, it costs half a transaction's
      // capacity and time (an anonymous page view, a settings save). Its condition fails the same way.
      const single = items.length === 1 && only ? singleCommand(only) : undefined;
      for (let attempt = 1; ; attempt++) {
        // Started only with time to finish: a request never answers failure and then writes.
        ensureTimeFor();
        try {
          if (single instanceof PutCommand) await table.db.send(single);
          else if (single) await table.db.send(single);
          else await table.db.send(new TransactWriteCommand({ TransactItems: items }));
          return;
        } catch (err) {
          if (single && (err as Error).name === 'ConditionalCheckFailedException' && owners[0])
            throw new CommitConflict(owners[0].write, owners[0].part);
          if (single && (err as Error).name === 'TransactionConflictException') {
            // The item is in another transaction: tried again like a transaction's contention.
            if (attempt >= CONTENTION_RETRIES)
              throw busy('the record is being changed by other requests; retry shortly');
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
            continue;
          }
          // DynamoDB Local's lock timeouts were already retried by the table's client
          // (`local-locks.ts`); one that outlasted them is contention, answered like any other.
          if (isLocalLockTimeout(err))
            throw busy('the record is being changed by other requests; retry shortly');
          const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
          if ((err as Error).name !== 'TransactionCanceledException' || !reasons) throw err;
          const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
          const owner = owners[failed];
          if (failed >= 0 && owner) throw new CommitConflict(owner.write, owner.part);
          if (!reasons.some((r) => r.Code === 'TransactionConflict') || attempt >= CONTENTION_RETRIES)
            throw busy('the record is being changed by other requests; retry shortly');
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
        }
      }
    },
  };
}

/**
 * A context's store on the table: its reads (and its dependencies'), and a unit of work over its
 * writes. `W` is the context's write union; the translators must cover every kind of it.
 */
export const storeOf =
  <W extends Write>(translators: Translators<Exclude<W, Emit>>) =>
  <R extends object>(table: Table, reads: R) => {
    const unit = unitOfWork<W | Emit>(table, { ...emitTranslator, ...translators } as unknown as Translators<
      W | Emit
    >);
    return { ...reads, commit: unit.commit, transactItems: unit.transactItems };
  };
