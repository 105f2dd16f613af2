/**
 * Report counters, maintained incrementally by an event consumer and read in O(buckets), whatever
 * the number of contacts, deals or emails. Each event is applied once: its counter updates commit
 * with a per-event marker.
 *
 * Counter groups (partition `DASH#<group>`, one item per bucket):
 * - `LEADS`            `<day>#<source>`            {count}      new contacts per day by source
 * - `TOTALS`           `contacts`                  {count}
 * - `TAGS`             `<tag>`                     {count}      contacts per tag
 * - `PIPELINE#<id>`    `<stage>#<currency>`        {count, amount}
 * - `EMAIL`            `<day>#template#<id>`, `<day>#workflow#<id>`  {sent, opened, clicked, bounced}
 * - `CAMPAIGNS`        `<campaignId>`              {sent, opened, clicked, …, `sent#<variant>`, …, `revenueFirst#<cur>`, …}
 * - `CAMPAIGN_REVENUE` `<day>#<campaignId>`        {`revenueFirst#<cur>`, `revenueLast#<cur>`, wonFirst, wonLast}
 * - `FOLLOWUPS`        `<day>`                     {scheduled}  follow-ups still to send, by send day
 * - `FORMS`            `<day>#<formId>`            {submitted, dropped}  accepted and spam-dropped submissions
 * - `PURCHASES`        `<day>#<currency>`          {count, minor}  purchases and their total in minor units (cents)
 * - `STAGES`           `<lifecycle stage>`         {count}      contacts in each lifecycle stage now (an erased
 *                      contact's stage, which its `ContactDeleted` carries, is counted out)
 * - `STAGE_MOVES`      `<day>#<lifecycle stage>`   {count}      contacts that moved into a stage, per day
 * - `DEALS_WON`        `<day>#<currency>`          {count, amount}  deals won per day and currency (deals-won.ts)
 * - `SOURCE_REVENUE`   `<day>#<source>`            {`revenueFirst#<cur>`, …, wonFirst, wonLast}  won deals by touch source
 * - `UTM_REVENUE`      `<day>#<utm campaign>`      (the same fields)  won deals by touch campaign
 * - `SERVICE`, `SERVICE_CSAT`, `SERVICE_BACKLOG`  customer service metrics (service-metrics.ts)
 * - `OPEN_CHANGES`     `<day>#cases`, `<day>#deals#<currency>`  net changes of the open cases and the
 *                      open pipeline per day: their history (open-changes.ts, open-history.ts)
 */
import { minorUnits } from '#commerce/model.js';
import type { DomainEvent } from '#platform/events.js';
import { CommitConflict } from '#platform/store.js';
import type { AttributedRevenue } from './model.js';
import { OPEN_CHANGES_GROUP, openChangeDeltas, pipelineIdOf } from './open-changes.js';
import { SERVICE_GROUPS, serviceDeltas } from './service-metrics.js';
import type { CounterDelta, InsightsDeps } from './store.js';

export const DASHBOARD_CONSUMER = 'dashboard';
export const COUNTER_GROUPS = {
  leads: 'LEADS',
  totals: 'TOTALS',
  tags: 'TAGS',
  pipeline: (id: string) => `PIPELINE#${id}`,
  email: 'EMAIL',
  followUps: 'FOLLOWUPS',
  forms: 'FORMS',
  /** Contacts created by imports, per day (not leads). */
  imported: 'IMPORTED',
  /** A campaign's report, one bucket per campaign: sent, opened, clicked (unique), bounced, complained, unsubscribed. */
  campaigns: 'CAMPAIGNS',
  /** A campaign's clicks per link (contacts who clicked it), one bucket per campaign, a field per URL. */
  campaignLinks: 'CAMPAIGN_LINKS',
  /**
   * Revenue attributed to campaigns by the day deals were won (campaigns/attribution.ts): `<day>#<campaignId>`,
   * `revenueFirst#<currency>`, `revenueLast#<currency>`, `wonFirst`, `wonLast` (also in the campaign's bucket).
   */
  campaignRevenue: 'CAMPAIGN_REVENUE',
  /** Purchases other systems reported, per day and currency: their count and total in minor units (exact). */
  purchases: 'PURCHASES',
  /** Contacts in each lifecycle stage (the funnel): a stage change moves one from its old stage to its new. */
  stages: 'STAGES',
  /** Contacts that moved into a lifecycle stage, per day and stage (MQLs of a range: the moves into `marketing_qualified_lead`). */
  stageMoves: 'STAGE_MOVES',
  /** Deals won per day and currency: their count and amount (deals-won.ts; never added across currencies). */
  dealsWon: 'DEALS_WON',
  /** Revenue of won deals by the first and the latest touch's source (insights/source-revenue.ts). */
  sourceRevenue: 'SOURCE_REVENUE',
  /** The same by the touches' UTM campaign. */
  utmRevenue: 'UTM_REVENUE',
  ...SERVICE_GROUPS,
  /** Net changes of the point-in-time figures (open pipeline, open cases) per day (open-changes.ts). */
  openChanges: OPEN_CHANGES_GROUP,
} as const;

export const day = (iso: string) => iso.slice(0, 10);

/** The values of one bucket of a counter group (its shards added up; none yet: `{}`). */
export async function readCounter(
  deps: { store: Pick<InsightsDeps['store'], 'getCounters'> },
  group: string,
  bucket: string,
): Promise<Record<string, number>> {
  // The range covers the bucket's shards; other buckets it starts with are left out by name.
  const counters = await deps.store.getCounters(group, { from: bucket, to: `${bucket}\uffff` });
  return counters.find((c) => c.bucket === bucket)?.values ?? {};
}

function emailDeltas(
  at: string,
  ids: {
    templateId?: string | undefined;
    workflowId?: string | undefined;
    campaignId?: string | undefined;
    variant?: string | undefined;
  },
  metric: 'sent' | 'opened' | 'clicked' | 'bounced',
): CounterDelta[] {
  const out: CounterDelta[] = [];
  // An A/B test's variants in the campaign's bucket too: a field per metric and variant (`opened#B`).
  if (ids.campaignId)
    out.push({
      group: COUNTER_GROUPS.campaigns,
      bucket: ids.campaignId,
      deltas: { [metric]: 1, ...(ids.variant ? { [`${metric}#${ids.variant}`]: 1 } : {}) },
    });
  if (ids.templateId)
    out.push({
      group: COUNTER_GROUPS.email,
      bucket: `${day(at)}#template#${ids.templateId}`,
      deltas: { [metric]: 1 },
    });
  if (ids.workflowId)
    out.push({
      group: COUNTER_GROUPS.email,
      bucket: `${day(at)}#workflow#${ids.workflowId}`,
      deltas: { [metric]: 1 },
    });
  return out;
}

type Position = { stage: string; amount: number; currency: string };
function dealDeltas(pipelineId: string, previous: Position | undefined, current: Position): CounterDelta[] {
  const group = COUNTER_GROUPS.pipeline(pipelineId);
  const out: CounterDelta[] = [];
  if (previous)
    out.push({
      group,
      bucket: `${previous.stage}#${previous.currency}`,
      deltas: { count: -1, amount: -previous.amount },
    });
  out.push({
    group,
    bucket: `${current.stage}#${current.currency}`,
    deltas: { count: 1, amount: current.amount },
  });
  return out;
}

/** What one event changes in the counters (pure). Deltas on the same bucket are merged. */
export function counterDeltas(event: DomainEvent): CounterDelta[] {
  const at = event.detail.occurredAt;
  switch (event.detailType) {
    case 'ContactCreated':
      return mergeDeltas([
        {
          group: COUNTER_GROUPS.leads,
          bucket: `${day(at)}#${event.detail.source || 'direct'}`,
          deltas: { count: 1 },
        },
        { group: COUNTER_GROUPS.totals, bucket: 'contacts', deltas: { count: 1 } },
      ]);
    case 'ImportCompleted':
      return mergeDeltas([
        ...(event.detail.created > 0
          ? [
              { group: COUNTER_GROUPS.totals, bucket: 'contacts', deltas: { count: event.detail.created } },
              { group: COUNTER_GROUPS.imported, bucket: day(at), deltas: { count: event.detail.created } },
            ]
          : []),
        ...Object.entries(event.detail.tagsAdded).map(([tag, count]) => ({
          group: COUNTER_GROUPS.tags,
          bucket: tag,
          deltas: { count },
        })),
      ]);
    case 'ContactDeleted':
      return mergeDeltas([
        { group: COUNTER_GROUPS.totals, bucket: 'contacts', deltas: { count: -1 } },
        // The funnel counts contacts in a stage now: an erased one leaves its stage (once, by the event's marker).
        ...(event.detail.lifecycleStage
          ? [{ group: COUNTER_GROUPS.stages, bucket: event.detail.lifecycleStage, deltas: { count: -1 } }]
          : []),
        ...(event.detail.tags ?? []).map((tag) => ({
          group: COUNTER_GROUPS.tags,
          bucket: tag,
          deltas: { count: -1 },
        })),
      ]);
    case 'ContactTagged':
      return [{ group: COUNTER_GROUPS.tags, bucket: event.detail.tag, deltas: { count: 1 } }];
    case 'ContactUntagged':
      return [{ group: COUNTER_GROUPS.tags, bucket: event.detail.tag, deltas: { count: -1 } }];
    case 'EmailSent':
      return mergeDeltas(emailDeltas(at, event.detail, 'sent'));
    case 'EmailEngaged':
      return mergeDeltas(emailDeltas(at, event.detail, event.detail.type));
    case 'ContactSuppressed':
      if (event.detail.reason === 'bounce') return mergeDeltas(emailDeltas(at, event.detail, 'bounced'));
      // A spam complaint counts in its campaign's report (the dashboard counts bounces only).
      return event.detail.reason === 'complaint' && event.detail.campaignId
        ? [{ group: COUNTER_GROUPS.campaigns, bucket: event.detail.campaignId, deltas: { complained: 1 } }]
        : [];
    case 'EmailLinkClicked':
      return [
        {
          group: COUNTER_GROUPS.campaignLinks,
          bucket: event.detail.campaignId,
          deltas: { [event.detail.link]: 1 },
        },
      ];
    case 'ContactUnsubscribed':
      // Counted in the report of the campaign whose link was used (other unsubscribes are not counted).
      return event.detail.campaignId
        ? [{ group: COUNTER_GROUPS.campaigns, bucket: event.detail.campaignId, deltas: { unsubscribed: 1 } }]
        : [];
    case 'DealCreated':
      return mergeDeltas(dealDeltas(event.detail.pipelineId, undefined, event.detail.current));
    case 'DealStageChanged':
    case 'DealUpdated':
      return mergeDeltas(dealDeltas(event.detail.pipelineId, event.detail.previous, event.detail.current));
    case 'DealDeleted': {
      const { stage, currency, amount } = event.detail.previous;
      return [
        {
          group: COUNTER_GROUPS.pipeline(event.detail.pipelineId),
          bucket: `${stage}#${currency}`,
          deltas: { count: -1, amount: -amount },
        },
      ];
    }
    case 'FormSubmitted':
      return [
        {
          group: COUNTER_GROUPS.forms,
          bucket: `${day(at)}#${event.detail.formId}`,
          deltas: { submitted: 1 },
        },
      ];
    case 'FormSubmissionDropped':
      return [
        { group: COUNTER_GROUPS.forms, bucket: `${day(at)}#${event.detail.formId}`, deltas: { dropped: 1 } },
      ];
    case 'PurchaseMade':
      return [
        {
          group: COUNTER_GROUPS.purchases,
          bucket: `${day(at)}#${event.detail.currency}`,
          deltas: {
            count: 1,
            minor: Number(minorUnits(event.detail.total, event.detail.currency) ?? 0n),
          },
        },
      ];
    case 'LifecycleStageChanged':
      return mergeDeltas([
        ...(event.detail.fromStage
          ? [{ group: COUNTER_GROUPS.stages, bucket: event.detail.fromStage, deltas: { count: -1 } }]
          : []),
        { group: COUNTER_GROUPS.stages, bucket: event.detail.toStage, deltas: { count: 1 } },
        {
          group: COUNTER_GROUPS.stageMoves,
          bucket: `${day(at)}#${event.detail.toStage}`,
          deltas: { count: 1 },
        },
      ]);
    case 'FollowUpScheduled':
      return [
        { group: COUNTER_GROUPS.followUps, bucket: day(event.detail.sendAt), deltas: { scheduled: 1 } },
      ];
    case 'FollowUpClosed':
      return [
        { group: COUNTER_GROUPS.followUps, bucket: day(event.detail.sendAt), deltas: { scheduled: -1 } },
      ];
    case 'CaseCreated':
    case 'CaseReplied':
    case 'CaseStatusChanged':
    case 'CaseResolved':
    case 'CaseAssigned':
    case 'CaseSlaBreached':
    case 'CaseRated':
      return mergeDeltas(serviceDeltas(event));
    default:
      return [];
  }
}

/** Deltas on the same bucket merged into one update (amounts rounded to cents). */
export function mergeDeltas(deltas: CounterDelta[]): CounterDelta[] {
  const byKey = new Map<string, CounterDelta>();
  for (const c of deltas) {
    const key = `${c.group}\u0000${c.bucket}`;
    const prior = byKey.get(key);
    if (!prior) {
      byKey.set(key, { ...c, deltas: { ...c.deltas } });
      continue;
    }
    for (const [name, delta] of Object.entries(c.deltas))
      prior.deltas[name] = (prior.deltas[name] ?? 0) + delta;
  }
  return [...byKey.values()].map((c) => ({
    ...c,
    // Money stays in cents-exact decimals; DynamoDB adds numbers exactly.
    deltas: Object.fromEntries(Object.entries(c.deltas).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  }));
}

/**
 * Applies one event to the counters, once. A deal event's pipeline is read to tell open stages from
 * won and lost ones (its net change to the open pipeline: open-changes.ts).
 */
export async function projectEvent(
  deps: InsightsDeps,
  event: DomainEvent,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  const pipelineId = pipelineIdOf(event);
  const pipeline = pipelineId ? await deps.store.getPipeline(pipelineId) : undefined;
  const changes = openChangeDeltas(event, pipeline);
  const counters = mergeDeltas([...counterDeltas(event), ...changes]);
  if (counters.length === 0) return 'ignored';
  if (changes.length > 0) await startHistory(deps);
  try {
    await deps.store.commit([
      { kind: 'bumpCounters', consumer: DASHBOARD_CONSUMER, eventId: event.detail.eventId, counters },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'processed') return 'duplicate';
    throw err;
  }
  return 'applied';
}

/** Stores known to hold the history's start already (one read per store, so per Lambda container). */
const historyStarted = new WeakSet<object>();

/**
 * Records, before the first net change is counted, the day counting began (the projector's clock,
 * not the event's: an event of an earlier day delivered late does not make earlier days complete).
 * Written once; the figures at the end of that day and later are known (open-history.ts).
 */
async function startHistory(deps: InsightsDeps): Promise<void> {
  if (historyStarted.has(deps.store)) return;
  if (!(await deps.store.getHistoryStart())) {
    try {
      await deps.store.commit([{ kind: 'startHistory', since: day(deps.clock.now().toISOString()) }]);
    } catch (err) {
      // Another invocation wrote it first: the earlier day stands.
      if (!(err instanceof CommitConflict && err.part === 'history')) throw err;
    }
  }
  historyStarted.add(deps.store);
}

export const num = (v: number | undefined) => Math.round((v ?? 0) * 100) / 100;

/** Tag counts from the counters, for query planning (segments). */
export async function tagCounts(deps: InsightsDeps): Promise<Map<string, number>> {
  const tags = await deps.store.getCounters(COUNTER_GROUPS.tags);
  return new Map(tags.map((t) => [t.bucket, num(t.values.count)]));
}

/** Attributed revenue from a counter bucket's fields (`revenueFirst#EUR`, `wonFirst`, …); none: undefined. */
export function revenueOf(values: Record<string, number>): AttributedRevenue | undefined {
  const byCurrency = new Map<string, { currency: string; firstTouch: number; lastTouch: number }>();
  for (const [field, amount] of Object.entries(values)) {
    const m = /^revenue(First|Last)#(.+)$/.exec(field);
    if (!m?.[2]) continue;
    const entry = byCurrency.get(m[2]) ?? { currency: m[2], firstTouch: 0, lastTouch: 0 };
    entry[m[1] === 'First' ? 'firstTouch' : 'lastTouch'] = num(amount);
    byCurrency.set(m[2], entry);
  }
  const won = { firstTouch: num(values.wonFirst), lastTouch: num(values.wonLast) };
  if (byCurrency.size === 0 && won.firstTouch === 0 && won.lastTouch === 0) return undefined;
  return {
    dealsWon: won,
    byCurrency: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
