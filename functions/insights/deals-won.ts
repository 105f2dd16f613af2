/**
 * Deals won per day and currency (counter group DEALS_WON, `<day>#<currency>`: count and amount). A
 * deal is won when it enters a stage of win probability 1 (sales' isWonStage); it counts on that
 * day, in its currency. What a win added is recorded beside the deal (`DEAL#<id>` `WON`) so that a
 * reopening, a loss after all or a deletion takes back exactly that, on the day it was won, and a
 * new amount or currency of a won deal moves its figure within the day it was won. Each event is
 * applied once (its marker commits with the counters and the record); amounts of different
 * currencies are never added.
 */
import { busy } from '#platform/errors.js';
import type { EventOf } from '#platform/events.js';
import { type Commit, CommitConflict, type Deps } from '#platform/store.js';
import { isWonStage } from '#sales/model.js';
import type { SalesReads } from '#sales/store.js';
import { COUNTER_GROUPS, day, mergeDeltas } from './counters.js';
import type { WonDeal } from './model.js';
import type { CounterDelta, InsightsReads, InsightsWrite } from './store.js';

export const DEALS_WON_CONSUMER = 'deals-won';

export type DealsWonDeps = Deps<
  Pick<SalesReads, 'getPipeline'> & Pick<InsightsReads, 'getWonDeal'> & Commit<InsightsWrite>
>;

export type WonDealEvent =
  | EventOf<'DealCreated'>
  | EventOf<'DealStageChanged'>
  | EventOf<'DealUpdated'>
  | EventOf<'DealDeleted'>;

type Position = { amount: number; currency: string };
export type WonOutcome = 'won' | 'withdrawn' | 'repriced' | 'unchanged' | 'duplicate';

const bucketOf = (wonAt: string, currency: string) => `${day(wonAt)}#${currency}`;
const deltasOf = (wonAt: string, p: Position, sign: 1 | -1): CounterDelta => ({
  group: COUNTER_GROUPS.dealsWon,
  bucket: bucketOf(wonAt, p.currency),
  deltas: { count: sign, amount: sign * p.amount },
});

/**
 * What an event changes (pure): `kept` is the deal as counted won (if it is), `wonNow` its position
 * if the event leaves it in a won stage. Nothing to do: undefined (not won before nor now, the same
 * won figure, or an event older than the win it would change).
 */
export function wonPlan(
  dealId: string,
  kept: WonDeal | undefined,
  wonNow: Position | undefined,
  at: string,
):
  | {
      outcome: Exclude<WonOutcome, 'unchanged' | 'duplicate'>;
      counters: CounterDelta[];
      write: InsightsWrite;
    }
  | undefined {
  if (!kept) {
    if (!wonNow) return undefined;
    const won: WonDeal = { dealId, wonAt: at, amount: wonNow.amount, currency: wonNow.currency };
    return {
      outcome: 'won',
      counters: mergeDeltas([deltasOf(at, won, 1)]),
      write: { kind: 'putWonDeal', won },
    };
  }
  // An event from before the recorded win (delivered late) changes nothing of it.
  if (at < kept.wonAt) return undefined;
  if (!wonNow)
    return {
      outcome: 'withdrawn',
      counters: mergeDeltas([deltasOf(kept.wonAt, kept, -1)]),
      write: { kind: 'deleteWonDeal', expected: kept },
    };
  if (wonNow.amount === kept.amount && wonNow.currency === kept.currency) return undefined;
  const won: WonDeal = { ...kept, amount: wonNow.amount, currency: wonNow.currency };
  return {
    outcome: 'repriced',
    counters: mergeDeltas([deltasOf(kept.wonAt, kept, -1), deltasOf(kept.wonAt, won, 1)]),
    write: { kind: 'putWonDeal', won, expected: kept },
  };
}

const ATTEMPTS = 4;

/** Applies a deal event to the deals won, once. */
export async function countWonDeal(deps: DealsWonDeps, event: WonDealEvent): Promise<WonOutcome> {
  const { dealId, pipelineId, occurredAt, eventId } = event.detail;
  const current = event.detailType === 'DealDeleted' ? undefined : event.detail.current;
  const pipeline = current ? await deps.store.getPipeline(pipelineId) : undefined;
  const wonNow = current && isWonStage(pipeline, current.stage) ? current : undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const plan = wonPlan(dealId, await deps.store.getWonDeal(dealId), wonNow, occurredAt);
    if (!plan) return 'unchanged';
    try {
      await deps.store.commit([
        { kind: 'bumpCounters', consumer: DEALS_WON_CONSUMER, eventId, counters: plan.counters },
        plan.write,
      ]);
      return plan.outcome;
    } catch (err) {
      if (err instanceof CommitConflict && err.part === 'processed') return 'duplicate';
      // Another event of the deal changed its record meanwhile: read it again.
      if (!(err instanceof CommitConflict && err.part === 'wonDeal')) throw err;
    }
  }
  throw busy(`deal ${dealId} changed while its win was counted`);
}
