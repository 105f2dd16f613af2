/** Lead capture's records: forms and what a submission leaves behind. One zod schema per record. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

export const FORM_FIELD_TYPES = ['email', 'text', 'tel', 'textarea', 'number', 'checkbox', 'hidden'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const FormFieldSchema = z.lazy(() =>
  z
    .object({ name: z.string(), label: z.string(), type: z.enum(FORM_FIELD_TYPES), required: z.boolean() })
    .check(z.meta({ id: 'FormField' })),
);
export type FormField = z.infer<typeof FormFieldSchema>;

/** The priorities of a case (customer service's `CASE_PRIORITIES`: capture does not build on service). */
export const FORM_CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * A support form: each submission opens a customer service case (channel `form`) for its contact,
 * its subject and first message from two of the form's own fields (a text field, a textarea).
 */
export const FormCaseSchema = z.lazy(() =>
  z
    .object({
      subjectField: z.string(),
      messageField: z.string(),
      priority: z.enum(FORM_CASE_PRIORITIES),
    })
    .check(z.meta({ id: 'FormCase' })),
);
export type FormCase = z.infer<typeof FormCaseSchema>;

export const FormSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      fields: z.array(FormFieldSchema),
      tags: z.array(z.string()),
      redirectUrl: z.optional(z.string()),
      allowedOrigins: z.optional(z.array(z.string())),
      consent: z.optional(z.object({ text: z.string(), required: z.boolean() })),
      /** A support form: each submission opens a case (absent: a lead form). */
      case: z.optional(FormCaseSchema),
      spam: z.object({
        minFillSeconds: z.number(),
        requireToken: z.boolean(),
        /** Submissions accepted per minute from one IP address and in all (defaults: 20 and 1,200). */
        rateLimits: z.optional(z.object({ perIpPerMinute: z.int(), perFormPerMinute: z.int() })),
      }),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Form' })),
);
export type Form = z.infer<typeof FormSchema>;

/** A record kept to answer a repeated submission with the first answer. */
export const IdempotencyRecordSchema = z.lazy(() =>
  z.object({
    contactId: z.string(),
    /** The first submission's id (absent on records written before submission ids existed). */
    submissionId: z.optional(z.string()),
    createdAt: z.string(),
  }),
);
export type IdempotencyRecord = z.infer<typeof IdempotencyRecordSchema>;

/** Why a submission was dropped without a word to the sender (bots must not learn what gave them away). */
export const DROP_REASONS = ['honeypot', 'token_missing', 'token_invalid', 'too_fast'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** A submission dropped as spam, kept for 30 days so a marketer can see what was lost and why. */
export const DroppedSubmissionSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      formId: z.string(),
      reason: z.enum(DROP_REASONS),
      email: z.optional(z.string()),
      values: z.record(z.string(), z.string()),
      sourceIp: z.string(),
      userAgent: z.optional(z.string()),
      droppedAt: z.string(),
    })
    .check(z.meta({ id: 'DroppedSubmission' })),
);
export type DroppedSubmission = z.infer<typeof DroppedSubmissionSchema>;
