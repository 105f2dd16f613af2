/** Email's records: templates, the send ledger and one-time follow-ups. One zod schema per record. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

/** Something worth a marketer's attention in a template that compiles (an unknown variable, no unsubscribe link). */
export const TemplateWarningSchema = z.lazy(() =>
  z
    .object({ path: z.string(), code: z.string(), message: z.string() })
    .check(z.meta({ id: 'TemplateWarning' })),
);

export type TemplateWarning = z.infer<typeof TemplateWarningSchema>;

export const TemplateSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      subject: z.string(),
      html: z.string(),
      text: z.optional(z.string()),
      /** Found when the template was saved (absent on templates saved before warnings existed). */
      warnings: z.optional(z.array(TemplateWarningSchema)),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'EmailTemplate' })),
);
export type EmailTemplate = z.infer<typeof TemplateSchema>;

/**
 * One tracked email. Its slot is a workflow enrollment step, or a follow-up
 * (`enrollmentId` = FOLLOW_UP_SLOT, `stepId` = the follow-up id): at most one send per slot.
 */
export const EmailSendSchema = z.lazy(() =>
  z.object({
    enrollmentId: z.string(),
    stepId: z.string(),
    contactId: z.string(),
    templateId: z.string(),
    workflowId: z.optional(z.string()),
    /** The campaign that sent it (its report counts the send's opens, clicks, bounces). */
    campaignId: z.optional(z.string()),
    /** The campaign's A/B test variant sent. */
    variant: z.optional(z.string()),
    status: z.enum(['sending', 'sent']),
    /** While `sending`: the claim's lease; after it the attempt is known to have ended and another may send. */
    claimedUntil: z.optional(z.string()),
    /** Attempts that claimed the slot (a takeover after an expired lease adds one). */
    attempt: z.optional(z.int()),
    messageId: z.optional(z.string()),
    sentAt: z.optional(z.string()),
    openedAt: z.optional(z.string()),
    clickedAt: z.optional(z.string()),
  }),
);
export type EmailSend = z.infer<typeof EmailSendSchema>;

export const FOLLOW_UP_SLOT = 'follow-up';
/** The send slot of a campaign's email in the send ledger: (contact, CAMPAIGN_SLOT, campaign id). */
export const CAMPAIGN_SLOT = 'campaign';

export const FOLLOW_UP_STATUSES = ['scheduled', 'sending', 'sent', 'cancelled', 'skipped'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** A one-time email to one contact at `sendAt` (an EventBridge Scheduler `at()` schedule). */
export const FollowUpSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      contactId: z.string(),
      templateId: z.string(),
      sendAt: z.string(),
      status: z.enum(FOLLOW_UP_STATUSES),
      /** Why a follow-up was skipped (unsubscribed, suppressed, contact_deleted...). */
      reason: z.optional(z.string()),
      scheduleName: z.string(),
      messageId: z.optional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'FollowUp' })),
);
export type FollowUp = z.infer<typeof FollowUpSchema>;

export type EngagementType = 'opened' | 'clicked';

/** The rendered parts of an email. */
export const RenderedEmailSchema = z.lazy(() =>
  z
    .object({
      subject: z.string(),
      html: z.string(),
      text: z.string(),
      warnings: z.optional(z.array(TemplateWarningSchema)),
    })
    .check(z.meta({ id: 'RenderedEmail' })),
);
export type RenderedEmail = z.infer<typeof RenderedEmailSchema>;

/** The frequency cap's bounds, one definition for the record and the route body (built when used). */
export const frequencyCapFields = () => ({
  max: z.int().check(z.minimum(1), z.maximum(50)),
  days: z.int().check(z.minimum(1), z.maximum(90)),
});

/** A subscription type's id: lower-case letters, digits and -, made from its first name. */
export const SUBSCRIPTION_TYPE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAX_SUBSCRIPTION_TYPES = 20;

/**
 * A kind of marketing email people can leave on its own (a newsletter, product news, events): a
 * campaign or a workflow's email may belong to one; the unsubscribe page lists them all.
 */
export const SubscriptionTypeSchema = z.lazy(() =>
  z
    .object({
      id: z.string().check(z.regex(SUBSCRIPTION_TYPE_ID)),
      name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
      description: z.optional(z.string().check(z.trim(), z.maxLength(200))),
    })
    .check(z.meta({ id: 'SubscriptionType' })),
);
export type SubscriptionType = z.infer<typeof SubscriptionTypeSchema>;

/** The workspace's email settings; one record. */
export const EmailSettingsSchema = z.lazy(() =>
  z
    .object({
      /**
       * At most `max` marketing emails (workflows, campaigns) per contact in any `days` days; an
       * email over it is not sent (a campaign leaves the contact out, a workflow skips the step).
       * Absent: no cap. Follow-ups, one-to-one emails, are not counted.
       */
      frequencyCap: z.optional(z.object(frequencyCapFields())),
      /** The subscription types, in the order the unsubscribe page lists them (none: only "all"). */
      subscriptionTypes: z.optional(z.array(SubscriptionTypeSchema)),
      /**
       * Links in marketing emails carry the contact's signed token (`_tc`), so the site's tracking
       * snippet joins the visitor's page views to the contact (docs/lead-scoring.md).
       */
      identifyVisitors: z.optional(z.boolean()),
      /** The site's domains: only links to them (and their subdomains) carry the token. */
      siteDomains: z.optional(z.array(z.string())),
      updatedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'EmailSettings' })),
);
export type EmailSettings = z.infer<typeof EmailSettingsSchema>;

/** The marketing emails sent to one contact lately (within the longest cap window), for the frequency cap. */
export const SendCapSchema = z.lazy(() =>
  z.object({
    contactId: z.string(),
    /** Each send by its slot (`X-Tendril-Send-Id`): a retry of the same email replaces its entry. */
    sends: z.array(z.object({ at: z.string(), id: z.string() })),
    version: z.int(),
  }),
);
export type SendCap = z.infer<typeof SendCapSchema>;
