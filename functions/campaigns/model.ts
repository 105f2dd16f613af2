/**
 * A campaign: one email (a template) broadcast to an audience (a tag or a segment, minus exclusion
 * segments). Sending runs as a bulk job on the import engine (`sendCampaign`), one send ledger
 * record per (campaign, contact), at the campaigns' share of the shared send rate.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { BulkCountsSchema } from '#bulk/model.js';

/** The send slot of a campaign's email in the send ledger: (contact, CAMPAIGN_SLOT, campaign id). */
export const CAMPAIGN_SLOT = 'campaign';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;
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
      templateId: z.string(),
      /** The subscription type the email belongs to (email settings): contacts who left it are left out. */
      subscriptionType: z.optional(z.string()),
      /** The bulk job sending it, once started. */
      jobId: z.optional(z.string()),
      /** When a `scheduled` campaign starts sending (its one-time schedule fires then). */
      scheduledAt: z.optional(z.string()),
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
    })
    .check(z.meta({ id: 'CampaignView' })),
);
export type CampaignView = z.infer<typeof CampaignViewSchema>;
