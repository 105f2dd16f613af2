/**
 * Revenue by marketing source: when a deal is won (a stage of win probability 1), its amount is
 * credited to its contact's first touch and latest touch (scoring's standing: the UTM source and
 * campaign, or the referring site, of the forms and tracked pages that brought it), in the deal's
 * currency, on the day it was won. A contact with no touch is `direct`. Once per deal, whichever
 * event won it first (the same guard as the campaigns' email attribution); the deal's own
 * attribution (its title, amount and both touches) is kept with it in the same commit.
 */

import { notFound } from '#platform/errors.js';
import type { EventOf } from '#platform/events.js';
import { type Commit, CommitConflict, type Deps } from '#platform/store.js';
import { isWonStage } from '#sales/model.js';
import type { SalesReads } from '#sales/store.js';
import type { Touch } from '#scoring/model.js';
import type { ScoringReads } from '#scoring/store.js';
import { COUNTER_GROUPS, day, mergeDeltas } from './counters.js';
import type { DealAttribution } from './model.js';
import type { CounterDelta, InsightsReads, InsightsWrite } from './store.js';

export const SOURCE_ATTRIBUTION_CONSUMER = 'source-attribution';

export type SourceRevenueDeps = Deps<
  Pick<SalesReads, 'getPipeline' | 'getDeal'> &
    Pick<ScoringReads, 'getStanding'> &
    Pick<InsightsReads, 'getDealAttribution'> &
    Commit<InsightsWrite>
>;

type DealEvent = EventOf<'DealCreated'> | EventOf<'DealStageChanged'> | EventOf<'DealUpdated'>;

/** The counters a won deal adds to, by each touch's source and (when it has one) campaign. */
export function sourceDeltas(
  touches: { first: Touch | undefined; last: Touch | undefined },
  amount: number,
  currency: string,
  at: string,
  /** -1: take back what a win credited (the deal is no longer won). */
  sign: 1 | -1 = 1,
): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (const [kind, touch] of [
    ['First', touches.first],
    ['Last', touches.last],
  ] as const) {
    const deltas = { [`revenue${kind}#${currency}`]: sign * amount, [`won${kind}`]: sign };
    out.push({
      group: COUNTER_GROUPS.sourceRevenue,
      bucket: `${day(at)}#${touch?.source ?? 'direct'}`,
      deltas,
    });
    if (touch?.campaign)
      out.push({ group: COUNTER_GROUPS.utmRevenue, bucket: `${day(at)}#${touch.campaign}`, deltas });
  }
  return mergeDeltas(out);
}

export async function creditSources(
  deps: SourceRevenueDeps,
  event: DealEvent,
): Promise<'credited' | 'withdrawn' | 'not_won' | 'no_contact' | 'duplicate'> {
  const { contactId, pipelineId, dealId, occurredAt } = event.detail;
  if (!contactId) return 'no_contact';
  const pipeline = await deps.store.getPipeline(pipelineId);
  if (!isWonStage(pipeline, event.detail.current.stage)) {
    const left = event.detailType === 'DealStageChanged' && isWonStage(pipeline, event.detail.previous.stage);
    return left ? withdraw(deps, event) : 'not_won';
  }
  const [standing, deal] = await Promise.all([deps.store.getStanding(contactId), deps.store.getDeal(dealId)]);
  const { amount, currency } = event.detail.current;
  const first = standing?.firstTouch;
  const last = standing?.lastTouch;
  try {
    await deps.store.commit([
      {
        kind: 'putDealAttribution',
        attribution: {
          dealId,
          title: deal?.title ?? dealId,
          contactId,
          amount,
          currency,
          wonAt: occurredAt,
          ...(first ? { firstTouch: first } : {}),
          ...(last ? { lastTouch: last } : {}),
        },
      },
      {
        kind: 'bumpCounters',
        consumer: SOURCE_ATTRIBUTION_CONSUMER,
        eventId: `deal-${dealId}`,
        counters: sourceDeltas({ first, last }, amount, currency, occurredAt),
      },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'processed') return 'duplicate';
    throw err;
  }
  return 'credited';
}

/** A won deal's attribution; a deal not won (or unknown) is a 404. */
export async function dealAttribution(
  deps: Deps<Pick<InsightsReads, 'getDealAttribution'>>,
  dealId: string,
): Promise<DealAttribution> {
  const found = await deps.store.getDealAttribution(dealId);
  if (!found) throw notFound('won deal', dealId);
  return found;
}

/**
 * A won deal moved out of its won stage (reopened, or lost after all): what its win credited is
 * taken back, on the day it was credited, and its attribution goes. Once: a redelivered move finds
 * the attribution gone, or a newer win's (won after the move), and leaves it.
 */
async function withdraw(deps: SourceRevenueDeps, event: EventOf<'DealStageChanged'>) {
  const { dealId, occurredAt, eventId } = event.detail;
  const kept = await deps.store.getDealAttribution(dealId);
  if (!kept || kept.wonAt > occurredAt) return 'duplicate' as const;
  try {
    await deps.store.commit([
      {
        kind: 'bumpCounters',
        consumer: SOURCE_ATTRIBUTION_CONSUMER,
        eventId: `withdrawn-${eventId}`,
        counters: sourceDeltas(
          { first: kept.firstTouch, last: kept.lastTouch },
          kept.amount,
          kept.currency,
          kept.wonAt,
          -1,
        ),
      },
      { kind: 'withdrawDealAttribution', consumer: SOURCE_ATTRIBUTION_CONSUMER, dealId, wonAt: kept.wonAt },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && (err.part === 'processed' || err.part === 'attribution'))
      return 'duplicate' as const;
    throw err;
  }
  return 'withdrawn' as const;
}
