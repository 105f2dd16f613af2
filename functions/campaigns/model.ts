/**
 * A campaign: one email (a template) broadcast to an audience (a tag or a segment, minus exclusion
 * segments). Sending runs as a bulk job on the import engine (`sendCampaign`), one send ledger
 * record per (campaign, contact), at the campaigns' share of the shared send rate.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { BulkCountsSchema } from '#bulk/model.js';
import { AttributedRevenueSchema } from '#insights/model.js';

/** `testing` is shown, not stored: an A/B test's share is sent and the winner is not chosen yet. */
export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'testing',
  'sent',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CampaignAudienceSchema = z.lazy(() =>
  z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('tag'), tag: z.string() }),
      z.object({ kind: z.literal('segment'), segmentId: z.string() }),
    ])
    .check(z.meta({ id: 'CampaignAudience' })),
);
export type CampaignAudience = z.infer<typeof CampaignAudienceSchema>;

export const VARIANT_IDS = ['A', 'B', 'C', 'D'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];
export const WINNER_REASONS = ['opens', 'clicks', 'manual', 'no_data'] as const;

/**
 * An A/B test: `testPercent` of the audience is split evenly between the variants (each a template,
 * its subject optionally replaced); `waitHours` after sending starts, the variant with the best unique
 * open (or click) rate is sent to the rest. Which contacts are in the test, and in which variant, is
 * a function of the campaign and the contact (the same however often a chunk is delivered).
 */
export const AbTestSchema = z.lazy(() =>
  z
    .object({
      variants: z.array(
        z.object({
          id: z.enum(VARIANT_IDS),
          templateId: z.string(),
          /** Replaces the template's subject (merge fields allowed). */
          subject: z.optional(z.string()),
        }),
      ),
      testPercent: z.int(),
      winnerBy: z.enum(['opens', 'clicks']),
      waitHours: z.number(),
      /** When the winner is chosen (set when sending starts). */
      decideAt: z.optional(z.string()),
      winner: z.optional(z.enum(VARIANT_IDS)),
      /** `no_data`: no variant had an open (or click); the first was sent. */
      winnerReason: z.optional(z.enum(WINNER_REASONS)),
      decidedAt: z.optional(z.string()),
      /** The job that sent the test share (the campaign's `jobId` then sends the winner). */
      testJobId: z.optional(z.string()),
    })
    .check(z.meta({ id: 'AbTest' })),
);
export type AbTest = z.infer<typeof AbTestSchema>;

/**
 * Sent at a wall-clock time in each contact's time zone (its `timeZone`, else `fallbackTimeZone`):
 * contacts are sent in waves, one per local send instant (campaigns/local-time.ts).
 */
export const LocalSendTimeSchema = z.lazy(() =>
  z
    .object({
      /** `2026-12-05` */
      date: z.string(),
      /** `09:00` */
      time: z.string(),
      /** For contacts without a time zone (an IANA name). */
      fallbackTimeZone: z.string(),
    })
    .check(z.meta({ id: 'LocalSendTime' })),
);
export type LocalSendTime = z.infer<typeof LocalSendTimeSchema>;

/** A local-time campaign's wave: the contacts whose local send time is `at`, sent by their own job. */
export const CampaignWaveSchema = z.lazy(() =>
  z
    .object({
      at: z.string(),
      /** The job sending it, once its time has come. */
      jobId: z.optional(z.string()),
    })
    .check(z.meta({ id: 'CampaignWave' })),
);
export type CampaignWave = z.infer<typeof CampaignWaveSchema>;

export const CampaignSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      /** As stored: `sending` until its job ends (the view says `sent` once it has). */
      status: z.enum(CAMPAIGN_STATUSES),
      audience: CampaignAudienceSchema,
      /** Contacts in any of these segments are left out when the email would go to them. */
      excludeSegmentIds: z.array(z.string()),
      /** The template sent (an A/B test's first variant's). */
      templateId: z.string(),
      abTest: z.optional(AbTestSchema),
      /** The subscription type the email belongs to (email settings): contacts who left it are left out. */
      subscriptionType: z.optional(z.string()),
      /** The bulk job sending it, once started. */
      jobId: z.optional(z.string()),
      /** When a `scheduled` campaign starts sending (its one-time schedule fires then). */
      scheduledAt: z.optional(z.string()),
      /**
       * Scheduled at a local time in each contact's time zone: `scheduledAt` is then the first
       * moment it is that time anywhere (UTC+14), when the audience is sorted into waves.
       */
      localTime: z.optional(LocalSendTimeSchema),
      createdAt: z.string(),
      updatedAt: z.string(),
      startedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'Campaign' })),
);
export type Campaign = z.infer<typeof CampaignSchema>;

export const CampaignReportSchema = z.lazy(() =>
  z
    .object({
      sent: z.number(),
      opened: z.number(),
      clicked: z.number(),
      bounced: z.number(),
      complained: z.number(),
      /** Contacts who unsubscribed through this campaign's email. */
      unsubscribed: z.number(),
      /** The links of its email by the contacts who clicked each (the 20 most clicked). */
      links: z.optional(z.array(z.object({ url: z.string(), clicks: z.number() }))),
      /**
       * Deals won by its recipients within 30 days of its email (campaigns/attribution.ts): as the
       * first campaign that reached them in that time, and as the last; amounts by currency.
       */
      revenue: z.optional(AttributedRevenueSchema),
      /** An A/B test's variants: emails sent, unique opens and clicks of each. */
      variants: z.optional(
        z.array(
          z.object({ id: z.enum(VARIANT_IDS), sent: z.number(), opened: z.number(), clicked: z.number() }),
        ),
      ),
    })
    .check(z.meta({ id: 'CampaignReport' })),
);
export type CampaignReport = z.infer<typeof CampaignReportSchema>;

/** How many contacts an audience holds, from the counters (before exclusions and send-time checks). */
export const AudienceSizeSchema = z.lazy(() =>
  z
    .object({
      contacts: z.number(),
      /**
       * `count`: the tag's counter, or a small segment's members counted exactly; `at_most`: a large
       * segment's candidates (its cheapest index), of which some may not match.
       */
      kind: z.enum(['count', 'at_most']),
    })
    .check(z.meta({ id: 'AudienceSize' })),
);
export type AudienceSize = z.infer<typeof AudienceSizeSchema>;

/** A campaign as the API shows it: its status from its job, the job's progress, its report. */
export const CampaignViewSchema = z.lazy(() =>
  z
    .object({
      campaign: CampaignSchema,
      progress: z.optional(
        z.object({
          /** Contacts in the audience, once the planner has paged it all. */
          total: z.optional(z.number()),
          /** `changed`: sent to; `unchanged`: left out (unsubscribed, suppressed, no basis, excluded). */
          counts: BulkCountsSchema,
          finishedAt: z.optional(z.string()),
        }),
      ),
      /**
       * From the campaign's counters (projected from its events, a moment behind): emails sent, unique
       * opens and clicks (the first of each per email), permanent bounces, spam complaints.
       */
      report: z.optional(CampaignReportSchema),
      /** A local-time campaign's waves, in time order: when each is sent, and how far it got. */
      waves: z.optional(
        z.array(
          z.object({
            at: z.string(),
            status: z.enum(['waiting', 'sending', 'sent', 'cancelled']),
            /** Contacts in it (once its job has paged them) and emails sent. */
            total: z.optional(z.number()),
            sent: z.number(),
          }),
        ),
      ),
    })
    .check(z.meta({ id: 'CampaignView' })),
);
export type CampaignView = z.infer<typeof CampaignViewSchema>;
