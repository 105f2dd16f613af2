import { DomainError } from '../errors.js';

type KeyMap = Record<string, string>;

/** Opaque pagination cursor: the DynamoDB LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks it belongs to the query it is used with: exactly the expected key
 * attributes, all strings, and the partition the query reads. Anything else is a 400, never a 500.
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: {
    attributes: readonly string[];
    partition: { name: string; value: string };
    /** Bounds (inclusive) the sort key must lie within: the query's own key condition. */
    sort?: { name: string; min?: string | undefined; max?: string | undefined };
  },
): KeyMap | undefined {
  if (cursor === undefined) return undefined;
  const invalidCursor = () =>
    new DomainError('invalid', 'invalid_cursor', 'cursor is not valid for this query', { cursor });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidCursor();
  const entries = Object.entries(parsed);
  const names = entries.map(([k]) => k).sort();
  if (names.join() !== [...expected.attributes].sort().join()) throw invalidCursor();
  if (!entries.every(([, v]) => typeof v === 'string' && v.length > 0 && v.length <= 1024))
    throw invalidCursor();
  const key = parsed as KeyMap;
  if (key[expected.partition.name] !== expected.partition.value) throw invalidCursor();
  const { sort } = expected;
  if (sort) {
    const value = key[sort.name] ?? '';
    if ((sort.min !== undefined && value < sort.min) || (sort.max !== undefined && value > sort.max))
      throw invalidCursor();
  }
  return key;
}
