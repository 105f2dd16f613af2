import type { Scheduler } from '#platform/scheduler.js';

/** The reconciler's sweep comes back every few minutes by itself: what it retries makes no schedule. */
export const sweepScheduler: Scheduler = { scheduleOnce: async () => {}, cancel: async () => {} };
