/**
 * The collect endpoint's per-address limit, counted in this process's memory: no DynamoDB request
 * on a hit's path. Each address gets a window of `windowMs` from its first hit, `limit` hits in it.
 * In the cloud every Lambda instance counts its own hits, so a flood spread over instances is
 * bounded by WAF's rate-based rule on `/t/collect` (per viewer address); locally the one process's
 * count is the limit.
 *
 * Memory is bounded: at most `maxAddresses` windows are kept. The map holds them in the order they
 * started, so the ended ones are at its front and are dropped as hits arrive; when it is full of
 * live windows the oldest is dropped (that address starts over: WAF still counts it).
 */
export interface HitLimiterOptions {
  limit: number;
  windowMs: number;
  maxAddresses: number;
  /** Milliseconds of the clock the windows are measured with (real time: Date.now). */
  now?: () => number;
}

interface Window {
  start: number;
  count: number;
}

export class HitLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;

  constructor(private readonly options: HitLimiterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Addresses counted now (at most maxAddresses). */
  get size(): number {
    return this.windows.size;
  }

  /**
   * Takes one hit of `address`: undefined when it may go on, else the seconds until its window ends
   * (the answer's Retry-After).
   */
  take(address: string): number | undefined {
    const now = this.now();
    this.dropEnded(now);
    const open = this.windows.get(address);
    if (open && now - open.start < this.options.windowMs) {
      if (open.count >= this.options.limit)
        return Math.max(1, Math.ceil((open.start + this.options.windowMs - now) / 1000));
      open.count++;
      return undefined;
    }
    // A new window: at the map's end, where the latest start is.
    this.windows.delete(address);
    if (this.windows.size >= this.options.maxAddresses) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
    this.windows.set(address, { start: now, count: 1 });
    return undefined;
  }

  private dropEnded(now: number) {
    for (const [address, window] of this.windows) {
      if (now - window.start < this.options.windowMs) return;
      this.windows.delete(address);
    }
  }
}
