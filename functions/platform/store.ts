/**
 * What every context's storage port is made of. Each context declares its own write kinds and reads
 * (`<context>/store.ts`); the composition root (functions/app/store.ts) implements all of them over
 * one table, and `commit` writes any mix of kinds atomically (one DynamoDB transaction in the cloud).
 */
import { type DetailType, type DomainEvent, type EventPayload, makeEvent } from './events.js';

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(): string;
}

/** One change a use case asks to be written; `kind` names it, the store knows how. */
export interface Write {
  kind: string;
}

/** Announces an event: written to the outbox in the same transaction as the change it reports. */
export interface Emit {
  kind: 'emit';
  event: DomainEvent;
}

/** Writes the given changes all or nothing; throws CommitConflict when a condition of one failed. */
export interface Commit<W extends Write> {
  commit(writes: Array<W | Emit>): Promise<void>;
}

/** The ports every use case gets: its store, the time and new ids (fixed in tests). */
export interface Deps<S> {
  store: S;
  clock: Clock;
  ids: Ids;
}

/** Thrown by `commit` when a condition of one write failed; `write` tells which, `part` which guard. */
export class CommitConflict extends Error {
  constructor(
    readonly write: Write,
    /** Which guard of the write failed when a write has several (e.g. `email`, `version`). */
    readonly part: string = write.kind,
  ) {
    super(`conflict on ${write.kind} (${part})`);
    this.name = 'CommitConflict';
  }
}

export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** The write that announces one event of an operation, with a new event id and the operation's time. */
export function emit<T extends DetailType>(
  deps: Pick<Deps<unknown>, 'ids'>,
  now: Date,
  detailType: T,
  payload: EventPayload<T>,
): Emit {
  return {
    kind: 'emit',
    event: makeEvent(detailType, payload, { eventId: deps.ids.next(), occurredAt: now.toISOString() }),
  } as Emit;
}
