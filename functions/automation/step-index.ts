/**
 * The index of enrollments by step (who is at a step now, who ever entered it), as pure rules:
 * shards, sort keys, the merge of the shards' pages and the cursor over them.
 *
 * A big workflow has 100k enrollments on one step, and a bulk enrollment moves thousands onto the
 * same step at once: one index partition would be hot. So each step's lists are spread over
 * STEP_SHARDS partitions by a hash of the enrollment id, and a page is a bounded scatter-read: one
 * Query of at most `limit + 1` items per shard not yet read to its end, merged newest first. The
 * cursor keeps, per shard, the last sort key returned (or that the shard is done).
 */
import { DomainError } from '#platform/errors.js';
import { shardOf } from '#platform/shard.js';

export const STEP_SHARDS = 8;

export const stepShard = (enrollmentId: string): number => shardOf(enrollmentId, STEP_SHARDS);

/** Newest first within a shard: when the enrollment entered the step, then its id (unique). */
export const stepIndexSort = (at: string, enrollmentId: string) => `${at}#${enrollmentId}`;

export type StepListStatus = 'current' | 'entered';

/** Per shard: '' not read yet, a sort key to read below, null read to its end. */
export type ShardPositions = Array<string | null>;

const invalidCursor = (cursor: string) =>
  new DomainError('invalid', 'invalid_cursor', 'cursor is not valid for this query', { cursor });

const SORT_KEY = /^[0-9T:.Z-]{1,40}#[0-9A-Za-z]{1,40}$/;

export function encodeStepCursor(status: StepListStatus, positions: ShardPositions): string {
  return Buffer.from(JSON.stringify({ s: status, p: positions }), 'utf8').toString('base64url');
}

/** The shards' positions of a cursor (all unread without one); a cursor of another list is a 400. */
export function decodeStepCursor(cursor: string | undefined, status: StepListStatus): ShardPositions {
  if (cursor === undefined) return Array.from({ length: STEP_SHARDS }, () => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(cursor);
  }
  const { s, p } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    s?: unknown;
    p?: unknown;
  };
  if (s !== status || !Array.isArray(p) || p.length !== STEP_SHARDS) throw invalidCursor(cursor);
  const ok = p.every((x) => x === null || x === '' || (typeof x === 'string' && SORT_KEY.test(x)));
  if (!ok || p.every((x) => x === null)) throw invalidCursor(cursor);
  return p as ShardPositions;
}

/**
 * Merges one page per shard (each newest first; `more`: the shard has items past those read) into
 * the `limit` newest, and the positions to go on from (none: every shard is done).
 */
export function mergeShards(
  reads: Array<{ sorts: string[]; more: boolean } | undefined>,
  positions: ShardPositions,
  limit: number,
): { taken: Array<{ shard: number; index: number }>; next?: ShardPositions } {
  const all = reads.flatMap((read, shard) =>
    (read?.sorts ?? []).map((sort, index) => ({ shard, index, sort })),
  );
  all.sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));
  const taken = all.slice(0, limit);
  const next = positions.map((position, shard) => {
    const read = reads[shard];
    if (!read) return position;
    const mine = taken.filter((t) => t.shard === shard);
    if (mine.length === read.sorts.length && !read.more) return null;
    const last = mine[mine.length - 1];
    return last ? last.sort : position;
  });
  return {
    taken: taken.map(({ shard, index }) => ({ shard, index })),
    ...(next.some((p) => p !== null) ? { next } : {}),
  };
}
