/**
 * Revenue attributed to campaigns: when a deal is won (it enters a stage whose win probability is 1)
 * and its contact was sent campaign emails in the ATTRIBUTION_DAYS before, its amount is credited to
 * the first of those campaigns (first touch) and to the last (last touch), in the deal's currency.
 * Credited once per deal (a deal won again, or the event delivered again, adds nothing), with the
 * amount it had then (a won deal that gains its contact later is credited then), in one commit to
 * the campaign's report and to the per-day counters the dashboard reads.
 */
import { COUNTER_GROUPS, day, mergeDeltas } from '#insights/counters.js';
import type { CounterDelta, InsightsWrite } from '#insights/store.js';
import type { EmailSend } from '#messaging/model.js';
import type { MessagingReads } from '#messaging/store.js';
import type { EventOf } from '#platform/events.js';
import { type Commit, CommitConflict, type Deps } from '#platform/store.js';
import { isWonStage } from '#sales/model.js';
import type { SalesReads } from '#sales/store.js';

/** A deal won within this many days of a campaign's email counts for the campaign. */
export const ATTRIBUTION_DAYS = 30;
export const ATTRIBUTION_CONSUMER = 'attribution';

export type AttributionDeps = Deps<
  Pick<SalesReads, 'getPipeline'> & Pick<MessagingReads, 'listCampaignSends'> & Commit<InsightsWrite>
>;

/** The first and the last campaign whose email reached the contact in the window before `wonAt`. */
export function touches(sends: EmailSend[], wonAt: Date): { first: string; last: string } | undefined {
  const since = wonAt.getTime() - ATTRIBUTION_DAYS * 86_400_000;
  const inWindow = sends
    .filter((s): s is EmailSend & { campaignId: string; sentAt: string } => !!s.campaignId && !!s.sentAt)
    .filter((s) => Date.parse(s.sentAt) >= since && Date.parse(s.sentAt) <= wonAt.getTime())
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  const first = inWindow[0];
  const last = inWindow[inWindow.length - 1];
  return first && last ? { first: first.campaignId, last: last.campaignId } : undefined;
}

type DealEvent = EventOf<'DealCreated'> | EventOf<'DealStageChanged'> | EventOf<'DealUpdated'>;

/** The counters a won deal adds to: each touch's campaign, in its report and on the day it was won. */
function revenueDeltas(
  touch: { first: string; last: string },
  amount: number,
  currency: string,
  at: string,
): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (const [kind, campaignId] of [
    ['First', touch.first],
    ['Last', touch.last],
  ] as const) {
    const deltas = { [`revenue${kind}#${currency}`]: amount, [`won${kind}`]: 1 };
    out.push({ group: COUNTER_GROUPS.campaigns, bucket: campaignId, deltas });
    out.push({ group: COUNTER_GROUPS.campaignRevenue, bucket: `${day(at)}#${campaignId}`, deltas });
  }
  // One campaign both first and last: one update per bucket, its fields added together.
  return mergeDeltas(out);
}

export async function attributeDeal(
  deps: AttributionDeps,
  event: DealEvent,
): Promise<'attributed' | 'not_won' | 'no_contact' | 'no_campaign' | 'duplicate'> {
  const { contactId, pipelineId, dealId, occurredAt } = event.detail;
  if (!contactId) return 'no_contact';
  if (!isWonStage(await deps.store.getPipeline(pipelineId), event.detail.current.stage)) return 'not_won';
  const touch = touches(await deps.store.listCampaignSends(contactId), new Date(occurredAt));
  if (!touch) return 'no_campaign';
  const { amount, currency } = event.detail.current;
  try {
    await deps.store.commit([
      {
        kind: 'bumpCounters',
        consumer: ATTRIBUTION_CONSUMER,
        // Once per deal, whichever event won it first.
        eventId: `deal-${dealId}`,
        counters: revenueDeltas(touch, amount, currency, occurredAt),
      },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'processed') return 'duplicate';
    throw err;
  }
  return 'attributed';
}
