/**
 * How many contacts a list holds, as the contacts list says it ("1,234 contacts"): read from the
 * counters the dashboard projection keeps from events (counters.ts: `TOTALS`/`contacts`, `TAGS`/<tag>,
 * `STAGES`/<stage>), each a few shard items, whatever the number of contacts. A moment behind a change:
 * events are counted as they arrive.
 */
import type { ContactCount } from '#contacts/views-model.js';
import { COUNTER_GROUPS, readCounter } from './counters.js';
import type { InsightsReads } from './store.js';

export async function contactCount(
  deps: { store: Pick<InsightsReads, 'getCounters'> },
  scope: { tag?: string | undefined; stage?: string | undefined },
): Promise<ContactCount> {
  const [of, group, bucket]: [ContactCount['of'], string, string] =
    scope.tag !== undefined
      ? ['tag', COUNTER_GROUPS.tags, scope.tag]
      : scope.stage !== undefined
        ? ['stage', COUNTER_GROUPS.stages, scope.stage]
        : ['all', COUNTER_GROUPS.totals, 'contacts'];
  const { count = 0 } = await readCounter(deps, group, bucket);
  // Never below zero (a delete counted before its create, for a moment).
  return { count: Math.max(0, Math.round(count)), of };
}
