/** Insights' records: saved segments and the dashboard report. One zod schema per record. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { fieldComparisonSchema } from '#contacts/fields.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { TouchSchema } from '#scoring/model.js';

const tagList = z.lazy(() => z.array(z.string()));

/** A segment's filter as stored and returned (the request body normalizes into it: routes.ts). */
export const SegmentFilterSchema = z.lazy(() =>
  z
    .object({
      tags: z.optional(
        z.object({ all: z.optional(tagList), any: z.optional(tagList), none: z.optional(tagList) }),
      ),
      fields: z.optional(z.array(fieldComparisonSchema)),
      created: z.optional(
        z.object({
          after: z.optional(z.string()),
          before: z.optional(z.string()),
          withinDays: z.optional(z.int()),
        }),
      ),
      engagement: z.optional(z.object({ type: z.enum(['opened', 'clicked']), withinDays: z.int() })),
    })
    .check(z.meta({ id: 'SegmentFilter' })),
);
export type SegmentFilter = z.infer<typeof SegmentFilterSchema>;

export const SegmentSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      filter: SegmentFilterSchema,
      /** Starts at 1; each edit adds one (an edit or delete at another version is a 409). */
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Segment' })),
);
export type Segment = z.infer<typeof SegmentSchema>;

const emailCounts = () => ({
  sent: z.number(),
  opened: z.number(),
  clicked: z.number(),
  bounced: z.number(),
});
/** Deals of one currency: their count, amount and amount weighted by their stage's probability. */
const money = z.lazy(() =>
  z.object({ currency: z.string(), count: z.number(), amount: z.number(), weighted: z.number() }),
);
/** A figure in the range and in the previous period of equal length (right before it). */
const figureShape = () => ({ current: z.number(), previous: z.number() });
const figure = () => z.object(figureShape());
/** A rate in percent in both periods (absent: nothing to rate, e.g. no email sent). */
const rateFigure = () => z.object({ current: z.optional(z.number()), previous: z.optional(z.number()) });

/** The KPI tiles: each figure of the range beside the previous period's; money per currency, never added across. */
export const DashboardKpisSchema = z.lazy(() =>
  z
    .object({
      /** Contacts created (API, forms) and imported; `imported` of them by imports. */
      newContacts: z.object({ ...figureShape(), imported: figure() }),
      /** Contacts that moved into each lifecycle stage (in the stages' order). */
      stageMoves: z.array(z.object({ stage: z.enum(LIFECYCLE_STAGES), ...figureShape() })),
      /** Deals won: their number (all currencies) and, per currency, number and amount. */
      dealsWon: z.object({
        count: figure(),
        byCurrency: z.array(z.object({ currency: z.string(), count: figure(), amount: figure() })),
      }),
      /** Deals in open stages now (neither won nor lost), per currency, all pipelines. */
      openPipeline: z.array(money),
      email: z.object({
        sent: figure(),
        opened: figure(),
        clicked: figure(),
        openRate: rateFigure(),
        clickRate: rateFigure(),
      }),
      /** Active cases now, and cases opened in each period. */
      cases: z.object({ open: z.number(), opened: figure() }),
    })
    .check(z.meta({ id: 'DashboardKpis' })),
);
export type DashboardKpis = z.infer<typeof DashboardKpisSchema>;

/** A figure at one instant: at the end of the range and of the previous period (absent: unknown, before its history). */
const pointFigure = () => z.object({ current: z.optional(z.number()), previous: z.optional(z.number()) });

/**
 * The point-in-time figures' history (insights/open-history.ts): the open pipeline per currency (never
 * added across currencies) and the open cases at the end of the range (now, for a range ending today)
 * and at the end of the previous period, and at the end of each day of the range (null: unknown).
 * `since`: the first day whose end is known (absent: nothing counted yet, only now is known).
 */
export const PointInTimeSchema = z.lazy(() =>
  z
    .object({
      since: z.optional(z.string()),
      openPipeline: z.array(z.object({ currency: z.string(), count: pointFigure(), amount: pointFigure() })),
      openCases: pointFigure(),
      byDay: z.array(
        z.object({
          date: z.string(),
          openCases: z.nullable(z.number()),
          openPipeline: z.nullable(
            z.array(z.object({ currency: z.string(), count: z.number(), amount: z.number() })),
          ),
        }),
      ),
    })
    .check(z.meta({ id: 'PointInTime' })),
);
export type PointInTime = z.infer<typeof PointInTimeSchema>;

/** The dashboard, from counters: leads, tags, pipeline value, email engagement, follow-ups due. */
/**
 * Revenue of deals won by a campaign's recipients within 30 days of its email: credited to the first
 * campaign that reached them in that time (first touch) and to the last (last touch), by currency.
 */
export const AttributedRevenueSchema = z.lazy(() =>
  z
    .object({
      dealsWon: z.object({ firstTouch: z.number(), lastTouch: z.number() }),
      byCurrency: z.array(z.object({ currency: z.string(), firstTouch: z.number(), lastTouch: z.number() })),
    })
    .check(z.meta({ id: 'AttributedRevenue' })),
);
export type AttributedRevenue = z.infer<typeof AttributedRevenueSchema>;

/** A percentile read from a histogram: the upper bound of its bucket (`over`: beyond the last bound). */
const percentileOf = () => z.optional(z.object({ minutes: z.number(), over: z.boolean() }));
/** Times from a case's opening (first response, resolution) in the range: a fixed histogram. */
const durationStats = () =>
  z.object({
    count: z.number(),
    median: percentileOf(),
    p90: percentileOf(),
    /** Counts per bucket, its upper bound in minutes (null: longer than the last). */
    histogram: z.array(z.object({ upToMinutes: z.nullable(z.number()), count: z.number() })),
  });
/**
 * A target in the range: `total` answers (first responses or resolutions), `breached` misses, `late`
 * answers after a miss; `withinPercent`: of the targets decided (answered, or missed and not yet
 * answered), the share answered in time.
 */
const slaTarget = () =>
  z.object({
    total: z.number(),
    breached: z.number(),
    late: z.number(),
    withinPercent: z.optional(z.number()),
  });
const csatStats = () => ({
  count: z.number(),
  /** Mean rating (1–5). */
  average: z.optional(z.number()),
  /** Share of ratings of 4 or 5, in percent. */
  satisfiedPercent: z.optional(z.number()),
});

/**
 * Customer service: cases opened, first response and resolution times and SLA breaches on the days
 * in range; CSAT of the cases opened in range; the backlog (active cases) now. No `assignee`:
 * unassigned.
 */
export const ServiceMetricsSchema = z.lazy(() =>
  z
    .object({
      opened: z.number(),
      firstResponse: durationStats(),
      resolution: durationStats(),
      sla: z.object({ firstResponse: slaTarget(), resolution: slaTarget() }),
      csat: z.object({
        ...csatStats(),
        byAssignee: z.array(z.object({ assignee: z.optional(z.string()), ...csatStats() })),
      }),
      backlog: z.object({
        total: z.number(),
        byStatus: z.object({ new: z.number(), open: z.number(), pending: z.number() }),
        byAssignee: z.array(z.object({ assignee: z.optional(z.string()), count: z.number() })),
      }),
    })
    .check(z.meta({ id: 'ServiceMetrics' })),
);
export type ServiceMetrics = z.infer<typeof ServiceMetricsSchema>;

export const DashboardSchema = z.lazy(() =>
  z
    .object({
      from: z.string(),
      to: z.string(),
      /** The previous period of equal length, which the tiles compare with; `days` in each. */
      previous: z.object({ from: z.string(), to: z.string(), days: z.number() }),
      kpis: DashboardKpisSchema,
      /** The open pipeline and open cases at the ends of both periods and at the end of each day of the range. */
      pointInTime: PointInTimeSchema,
      /** Every day of the range: contacts created or imported, and deals won (all currencies). */
      series: z.array(z.object({ date: z.string(), newContacts: z.number(), dealsWon: z.number() })),
      /** `imported`: contacts created by imports in the range (they are not leads). */
      contacts: z.object({ total: z.number(), imported: z.number() }),
      leads: z.object({
        total: z.number(),
        bySource: z.record(z.string(), z.number()),
        byDay: z.array(
          z.object({ date: z.string(), total: z.number(), bySource: z.record(z.string(), z.number()) }),
        ),
      }),
      tags: z.array(z.object({ tag: z.string(), count: z.number() })),
      pipelines: z.array(
        z.object({
          pipelineId: z.string(),
          name: z.string(),
          stages: z.array(
            z.object({
              stage: z.string(),
              probability: z.number(),
              count: z.number(),
              values: z.array(money),
            }),
          ),
        }),
      ),
      email: z.object({
        byTemplate: z.array(z.object({ templateId: z.string(), ...emailCounts() })),
        byWorkflow: z.array(z.object({ workflowId: z.string(), ...emailCounts() })),
      }),
      followUpsDue: z.object({
        total: z.number(),
        byDay: z.array(z.object({ date: z.string(), count: z.number() })),
      }),
      /** Submissions per form in the range: accepted, and dropped as spam (see the form's dropped list). */
      forms: z.array(z.object({ formId: z.string(), submitted: z.number(), dropped: z.number() })),
      /** Revenue attributed to campaigns from deals won in the range, most first. */
      campaigns: z.array(z.object({ campaignId: z.string(), revenue: AttributedRevenueSchema })),
      /** Purchases other systems reported in the range, per currency (amounts of different currencies are never added). */
      purchases: z.array(z.object({ currency: z.string(), count: z.number(), total: z.number() })),
      /** Contacts in each lifecycle stage now, in the stages' order (the funnel). */
      funnel: z.array(z.object({ stage: z.enum(LIFECYCLE_STAGES), count: z.number() })),
      /** Revenue of deals won in the range by their contact's first and latest touch source, most first. */
      revenueBySource: z.array(z.object({ source: z.string(), revenue: AttributedRevenueSchema })),
      /** The same by the touches' UTM campaign. */
      revenueByUtmCampaign: z.array(z.object({ campaign: z.string(), revenue: AttributedRevenueSchema })),
      /** Customer service metrics (service-metrics.ts). */
      service: ServiceMetricsSchema,
    })
    .check(z.meta({ id: 'Dashboard' })),
);
export type Dashboard = z.infer<typeof DashboardSchema>;

/** A deal counted as won (DEALS_WON): when and what it was won for, so a reopening or a new price takes back the same. */
export const WonDealSchema = z.lazy(() =>
  z.object({ dealId: z.string(), wonAt: z.string(), amount: z.number(), currency: z.string() }),
);
export type WonDeal = z.infer<typeof WonDealSchema>;

/** The day the point-in-time figures' net changes began to be counted (insights/open-changes.ts). */
export const HistoryStartSchema = z.lazy(() => z.object({ since: z.string() }));

/**
 * A won deal's attribution: the first and latest marketing touch of its contact when it was won
 * (what revenue by source credited), kept per deal.
 */
export const DealAttributionSchema = z.lazy(() =>
  z
    .object({
      dealId: z.string(),
      title: z.string(),
      contactId: z.string(),
      amount: z.number(),
      currency: z.string(),
      wonAt: z.string(),
      /** Absent: the contact came direct (no campaign link, no referring site). */
      firstTouch: z.optional(TouchSchema),
      lastTouch: z.optional(TouchSchema),
    })
    .check(z.meta({ id: 'DealAttribution' })),
);
export type DealAttribution = z.infer<typeof DealAttributionSchema>;
