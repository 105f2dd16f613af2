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
      spam: z.object({ minFillSeconds: z.number(), requireToken: z.boolean() }),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Form' })),
);
export type Form = z.infer<typeof FormSchema>;

/** A record kept to answer a repeated submission with the first answer. */
export const IdempotencyRecordSchema = z.lazy(() =>
  z.object({ contactId: z.string(), createdAt: z.string() }),
);
export type IdempotencyRecord = z.infer<typeof IdempotencyRecordSchema>;
