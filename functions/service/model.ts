/**
 * Customer service: cases (a contact's inquiry, from email, a form, the API or the admin app) and the
 * threaded conversation on each (messages in, agents' replies, internal notes). One zod schema per
 * record; the types derive from them.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { emailSchema, shortText, tagListSchema } from '#platform/values.js';

export const CASE_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Statuses an agent still has work in; the others are done (a message in reopens them). */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['new', 'open', 'pending'];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_CHANNELS = ['email', 'form', 'api', 'ui'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

/** What the mail system said of an inbound message (SES receipt verdicts in the cloud). */
export const TRUST_LEVELS = ['trusted', 'spoofed', 'spam'] as const;

export const CaseSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      /** A short reference the customer sees in subjects: `[#K7Q2M9XA]`. */
      ref: z.string(),
      subject: z.string(),
      status: z.enum(CASE_STATUSES),
      priority: z.enum(CASE_PRIORITIES),
      channel: z.enum(CASE_CHANNELS),
      contactId: z.string(),
      /** The address replies go to (the requester's). */
      email: z.string(),
      /**
       * The agent it is assigned to: a user's id (GET /v1/users); absent: unassigned. A case assigned
       * before assignees were users keeps the text it was given (a name or an email) until reassigned.
       */
      assignee: z.optional(z.string()),
      tags: z.array(z.string()),
      messageCount: z.int(),
      /** Who wrote last: the customer (`in`: waiting on an agent) or an agent (`out`). */
      lastMessageFrom: z.enum(['in', 'out']),
      lastMessageAt: z.string(),
      /** The first agent reply. */
      firstResponseAt: z.optional(z.string()),
      resolvedAt: z.optional(z.string()),
      /**
       * Its SLA targets (service/sla.ts): when the first response and the resolution are due (business
       * hours; waiting on the customer moves the resolution on), which were missed, and since when the
       * resolution clock is paused (status pending).
       */
      sla: z.optional(
        z.object({
          firstResponseDue: z.optional(z.string()),
          resolutionDue: z.optional(z.string()),
          breached: z.array(z.enum(['first_response', 'resolution'])),
          pausedAt: z.optional(z.string()),
        }),
      ),
      /** The customer's satisfaction rating (CSAT) of its latest resolution. */
      rating: z.optional(
        z.object({
          score: z.int().check(z.gte(1), z.lte(5)),
          comment: z.optional(z.string()),
          at: z.string(),
        }),
      ),
      /**
       * The resolution (its `resolvedAt`) the latest CSAT survey was sent for: one survey per
       * resolution, none within a day of the previous one.
       */
      surveyedAt: z.optional(z.string()),
      /** The inbound mail that opened it failed SPF/DKIM/DMARC or was judged spam: nothing was sent back. */
      flagged: z.optional(z.enum(['spoofed', 'spam'])),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Case' })),
);
export type Case = z.infer<typeof CaseSchema>;

export const AttachmentSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      filename: z.string(),
      contentType: z.string(),
      size: z.int(),
      /** Where it is stored (the files bucket); absent: refused (too large, or a type not kept). */
      key: z.optional(z.string()),
      refused: z.optional(z.enum(['too_large', 'type_not_allowed', 'too_many'])),
    })
    .check(z.meta({ id: 'CaseAttachment' })),
);
export type Attachment = z.infer<typeof AttachmentSchema>;

export const CaseMessageSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      caseId: z.string(),
      /** `inbound`: the customer; `reply`: an agent's email to the customer; `note`: internal, never sent. */
      kind: z.enum(['inbound', 'reply', 'note', 'acknowledgement']),
      from: z.optional(z.string()),
      to: z.optional(z.string()),
      cc: z.optional(z.string()),
      subject: z.optional(z.string()),
      text: z.string(),
      /** The agent who wrote it (a reply or a note). */
      author: z.optional(z.string()),
      /** The email's Message-ID (inbound) or the provider's message id (sent). */
      emailId: z.optional(z.string()),
      inReplyTo: z.optional(z.string()),
      attachments: z.array(AttachmentSchema),
      /** An automatic message (Auto-Submitted, bulk precedence, an autoresponder): never answered. */
      automatic: z.optional(z.boolean()),
      at: z.string(),
    })
    .check(z.meta({ id: 'CaseMessage' })),
);
export type CaseMessage = z.infer<typeof CaseMessageSchema>;

export const CaseViewSchema = z.lazy(() =>
  z.object({ case: CaseSchema, messages: z.array(CaseMessageSchema) }).check(z.meta({ id: 'CaseView' })),
);

const bodyText = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(50_000));

export const NewCaseInputSchema = z.lazy(() =>
  z.strictObject({
    subject: shortText(200),
    email: emailSchema,
    firstName: z.optional(shortText(100)),
    lastName: z.optional(shortText(100)),
    /** The customer's words (what they wrote, or what an agent took down from a call). */
    text: bodyText(),
    priority: z._default(z.enum(CASE_PRIORITIES), 'normal'),
    /** A user's id (a user's email is taken as them); anything else is a 400 `invalid_reference`. */
    assignee: z.optional(shortText(200)),
    tags: z._default(tagListSchema, []),
    /** Opened by another system (`api`) or by an agent in the admin app (`ui`). */
    channel: z._default(z.enum(['api', 'ui']), 'api'),
  }),
);
export type NewCaseInput = z.infer<typeof NewCaseInputSchema>;

export const CasePatchSchema = z.lazy(() =>
  z
    .strictObject({
      status: z.optional(z.enum(CASE_STATUSES)),
      priority: z.optional(z.enum(CASE_PRIORITIES)),
      /**
       * A user's id (a user's email is taken as them; anything else is a 400 `invalid_reference`);
       * null: unassign.
       */
      assignee: z.optional(z.nullable(shortText(200))),
      tags: z.optional(tagListSchema),
      expectedVersion: z.optional(z.int().check(z.gte(1))),
    })
    .check(
      z.refine(
        (p) => Object.keys(p).some((k) => k !== 'expectedVersion'),
        'must change at least one of status, priority, assignee, tags',
      ),
    ),
);
export type CasePatch = z.infer<typeof CasePatchSchema>;

export const ReplyInputSchema = z.lazy(() =>
  z.strictObject({
    text: bodyText(),
    /** Who writes it (shown on the case; the email comes from the workspace's sender). */
    author: z.optional(shortText(200)),
    /** A note stays on the case and is never sent. */
    internal: z._default(z.boolean(), false),
    /** Set the case to this status with the reply (a reply leaves `new` for `open` anyway). */
    status: z.optional(z.enum(['open', 'pending', 'resolved'])),
  }),
);
export type ReplyInput = z.infer<typeof ReplyInputSchema>;
