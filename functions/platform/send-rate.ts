/**
 * A send rate shared by every process that sends: slots of `1 / perSecond` seconds handed out from
 * one record (a generic cell rate algorithm: the record holds the time the next free slot starts).
 * A process claims a few slots at a time (one conditional write per claim, not per email), then waits
 * for each slot's time before using it. Slots are spaced evenly, so no second sees more than the rate
 * however many workers send; a slot not used in time is lost, which only lowers the rate.
 */
import { CommitConflict } from './store.js';

/** The record the slots are handed out from (DynamoDB in the cloud and locally: dynamo/rate-slots.ts). */
export interface RateSlots {
  /** When the next free slot of `bucket` starts (ms since the epoch; 0 when none was ever claimed). */
  next(bucket: string): Promise<{ at: number; version?: number }>;
  /** Moves it to `at`, if it is still at `version` (CommitConflict otherwise). */
  advance(bucket: string, at: number, version: number | undefined): Promise<void>;
}

export interface SendRate {
  /**
   * Takes a slot for one more email: resolves `leadMs` before the slot's time (the caller's work
   * before the send, e.g. claiming it, fits in between) with that time (ms since the epoch).
   */
  acquire(leadMs?: number): Promise<number>;
}

export interface SendRateOptions {
  bucket: string;
  /** Emails per second; read when slots are claimed (in the cloud from SES's quota, cached). */
  perSecond: () => Promise<number>;
  /** Slots claimed at once (fewer conditional writes, a little burstiness inside one process). */
  batch?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function sendRate(slots: RateSlots, options: SendRateOptions): SendRate {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? wait;
  const batch = options.batch ?? 5;
  /** Slot start times this process holds, earliest first. */
  const held: number[] = [];
  /** How late a held slot may still be used (a busy event loop); later ones are dropped. */
  let tolerance = 50;
  let claiming: Promise<void> | undefined;

  async function claim() {
    const interval = 1000 / (await options.perSecond());
    tolerance = Math.max(50, 2 * interval);
    for (let attempt = 0; ; attempt++) {
      const { at, version } = await slots.next(options.bucket);
      const start = Math.max(at, now());
      try {
        await slots.advance(options.bucket, start + batch * interval, version);
        for (let i = 0; i < batch; i++) held.push(start + i * interval);
        return;
      } catch (err) {
        if (!(err instanceof CommitConflict) || attempt >= 50) throw err;
        await sleep(Math.random() * interval); // another process claimed meanwhile
      }
    }
  }

  return {
    async acquire(leadMs = 0) {
      for (;;) {
        // Slots whose time has passed were not used in time: dropped, never used late in a bunch.
        while (held.length > 0 && (held[0] ?? 0) < now() - tolerance) held.shift();
        const slot = held.shift();
        if (slot !== undefined) {
          const delay = slot - leadMs - now();
          if (delay > 0) await sleep(delay);
          return slot;
        }
        claiming ??= claim().finally(() => {
          claiming = undefined;
        });
        await claiming;
      }
    },
  };
}
