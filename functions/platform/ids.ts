import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32 alphabet used by ULIDs. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Monotonic ULID generator: lexicographic order equals creation order, also within one millisecond,
 * which the single-table design relies on for newest-first listings.
 */
export function ulidFactory(now: () => number = Date.now, random: (n: number) => Uint8Array = randomBytes) {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return function ulid(): string {
    const time = now();
    if (time <= lastTime) {
      lastRandom = increment(lastRandom);
    } else {
      lastTime = time;
      lastRandom = Array.from(random(16), (b) => b % 32);
    }
    return encodeTime(Math.max(time, lastTime)) + lastRandom.map((i) => ALPHABET[i]).join('');
  };
}

function encodeTime(time: number): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const d = next[i] ?? 0;
    if (d < 31) {
      next[i] = d + 1;
      return next;
    }
    next[i] = 0;
  }
  throw new Error('ULID random component overflow');
}

/** The smallest ULID created at or after `iso` (for created-date ranges over ULID-keyed indexes). */
export function ulidLowerBound(iso: string): string {
  return `${encodeTime(Math.max(0, Date.parse(iso)))}${'0'.repeat(16)}`;
}

/** The largest ULID created at or before `iso`. */
export function ulidUpperBound(iso: string): string {
  return `${encodeTime(Math.max(0, Date.parse(iso)))}${'Z'.repeat(16)}`;
}

/**
 * A ULID-shaped id derived from a seed: the time part of `timeOf` (a ULID) and 16 characters of the
 * seed's SHA-256. The same seed always gives the same id (idempotent creates by retried steps).
 */
export function derivedUlid(timeOf: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const tail = Array.from(digest.subarray(0, 16), (b) => ALPHABET[b % 32]).join('');
  return `${timeOf.slice(0, 10)}${tail}`;
}
