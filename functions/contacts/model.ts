/**
 * The contact record and its timeline: one zod schema per record; the types derive from it and the
 * same schema describes API responses (OpenAPI), decodes stored items and types the web client.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { validationError } from '#platform/errors.js';
import { canonicalTimeZone } from '#platform/time-zone.js';
import { fieldValueSchema } from '#platform/values.js';

export type FieldValue = string | number | boolean;
export type CustomFields = Record<string, FieldValue>;

/** Standard contact properties an update or an import may set (besides email). */
export const CONTACT_PROPERTIES = [
  'firstName',
  'lastName',
  'phone',
  'company',
  'source',
  'timeZone',
  'owner',
] as const;
export type ContactProperty = (typeof CONTACT_PROPERTIES)[number];

/**
 * Properties only the workspace's people set (the API, an import, the UI), never a public form: a
 * visitor choosing who follows them up would be a hidden field away. A form may not declare them.
 */
export const WORKSPACE_PROPERTIES: readonly string[] = ['owner'];
/** The properties a public form may set. */
export const FORM_PROPERTIES = CONTACT_PROPERTIES.filter((p) => !WORKSPACE_PROPERTIES.includes(p));

/** What a value of the `timeZone` property must be (the message of every path that refuses one). */
export const TIME_ZONE_RULE = 'must be an IANA time zone such as Europe/Paris';

/**
 * A contact property's value as stored: a time zone in the runtime's canonical spelling
 * (`europe/paris` → `Europe/Paris`), any other property as given; undefined when it is no time zone.
 */
export function contactPropertyValue(name: ContactProperty, value: string): string | undefined {
  return name === 'timeZone' ? canonicalTimeZone(value) : value;
}

/**
 * The input with its time zone in the canonical spelling, checked before anything is read or
 * written: a name that is no time zone is a validation error at `timeZone` (null, a clear, stays).
 */
export function withCanonicalTimeZone<T extends { timeZone?: string | null | undefined }>(input: T): T {
  if (typeof input.timeZone !== 'string') return input;
  const timeZone = canonicalTimeZone(input.timeZone.trim());
  if (timeZone === undefined)
    throw validationError('the request body is not valid', [
      { path: 'timeZone', message: TIME_ZONE_RULE, code: 'invalid_time_zone' },
    ]);
  return { ...input, timeZone };
}

/** A time zone in the API: an IANA name, stored in its canonical spelling; anything else is a 400. */
export const timeZoneSchema = z.lazy(() =>
  z.pipe(
    z.string().check(
      z.trim(),
      z.refine((name) => canonicalTimeZone(name) !== undefined, TIME_ZONE_RULE),
    ),
    z.transform((name) => canonicalTimeZone(name) ?? name),
  ),
);

export const ConsentSchema = z.lazy(() =>
  z
    .object({ text: z.string(), givenAt: z.string(), sourceIp: z.string(), formId: z.string() })
    .check(z.meta({ id: 'Consent' })),
);
export type ConsentRecord = z.infer<typeof ConsentSchema>;

/** The lawful basis for emailing a contact, as declared for a list at import; `none`: never marketed to. */
export const EMAIL_BASES = ['consent', 'legitimate_interest', 'contract', 'none'] as const;
export type EmailBasis = (typeof EMAIL_BASES)[number];

export const ContactSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      email: z.string(),
      firstName: z.optional(z.string()),
      lastName: z.optional(z.string()),
      phone: z.optional(z.string()),
      company: z.optional(z.string()),
      source: z.optional(z.string()),
      /**
       * The contact's IANA time zone (`Europe/Paris`), in the runtime's canonical spelling: what a
       * campaign sent "at 09:00 in each contact's time zone" reads. From the API, an import column
       * or a form (the hosted page fills it from the visitor's browser).
       */
      timeZone: z.optional(z.string()),
      /** The person in the workspace who follows the contact up (tasks a workflow creates go to them). */
      owner: z.optional(z.string()),
      fields: z.record(z.string(), fieldValueSchema),
      tags: z.array(z.string()),
      consent: z.optional(ConsentSchema),
      /**
       * Declared when the contact came from an imported list: `none` means no basis to email it, so
       * it is never enrolled into workflows that email or sent marketing email.
       */
      emailBasis: z.optional(z.enum(EMAIL_BASES)),
      /** The import row that last wrote the contact (a retried chunk recognizes its own rows by it). */
      lastImport: z.optional(
        z.object({ importId: z.string(), line: z.int(), result: z.enum(['created', 'updated']) }),
      ),
      /** Set when the contact unsubscribed from marketing email (lifted only by fresh consent). */
      unsubscribedAt: z.optional(z.string()),
      /**
       * The subscription types (workspace email settings) the contact left while staying subscribed
       * to the others: no marketing email of those types is sent to it.
       */
      unsubscribedFrom: z.optional(z.array(z.string())),
      /**
       * Set when the address may not be mailed for another reason: it bounced, its owner
       * complained, or (`unsubscribed`) it was unsubscribed on an earlier record of this address.
       */
      emailSuppression: z.optional(z.object({ reason: z.string(), at: z.string() })),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Contact' })),
);
export type Contact = z.infer<typeof ContactSchema>;

export const MANUAL_ACTIVITY_TYPES = ['note', 'call', 'meeting', 'email', 'purchase'] as const;
/** How a logged call went (a call's `outcome`). */
export const CALL_OUTCOMES = ['connected', 'left_voicemail', 'no_answer', 'busy', 'wrong_number'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
/** Activities Tendril records itself, besides the manual ones. */
export const SYSTEM_ACTIVITY_TYPES = [
  'form_submitted',
  'deal_stage_changed',
  'task_due',
  'event_tracked',
  /** A customer service case opened or written on (service/). */
  'case',
] as const;
export const ACTIVITY_TYPES = [...MANUAL_ACTIVITY_TYPES, ...SYSTEM_ACTIVITY_TYPES] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ActivitySchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      contactId: z.string(),
      type: z.enum(ACTIVITY_TYPES),
      body: z.optional(z.string()),
      amount: z.optional(z.number()),
      currency: z.optional(z.string()),
      /** A call's outcome. */
      outcome: z.optional(z.enum(CALL_OUTCOMES)),
      /** How long a call or a meeting lasted (a meeting: was planned to), in minutes. */
      durationMinutes: z.optional(z.int()),
      /** Who else took part in a meeting, as written (names or addresses). */
      attendees: z.optional(z.array(z.string())),
      occurredAt: z.string(),
      recordedAt: z.string(),
      data: z.optional(z.record(z.string(), z.unknown())),
    })
    .check(z.meta({ id: 'Activity' })),
);
export type Activity = z.infer<typeof ActivitySchema>;

/** A timeline entry Tendril writes itself (a form submission, a stage move, a reminder, an email). */
export function systemActivity(
  deps: { ids: { next(): string } },
  contactId: string,
  type: ActivityType,
  body: string,
  at: string,
  data?: Record<string, unknown>,
): Activity {
  return {
    id: deps.ids.next(),
    contactId,
    type,
    body,
    occurredAt: at,
    recordedAt: at,
    ...(data ? { data } : {}),
  };
}

/** An address Tendril will not send marketing email to, and why (kept when its contact is deleted). */
export const SuppressionSchema = z.lazy(() =>
  z.object({ reason: z.enum(['unsubscribed', 'bounce', 'complaint']), at: z.string() }),
);
export type Suppression = z.infer<typeof SuppressionSchema>;

export const FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A custom field's definition: every write path (API, forms, CSV) validates and converts by it. */
export const FieldDefinitionSchema = z.lazy(() =>
  z
    .object({
      name: z.string(),
      label: z.string(),
      type: z.enum(FIELD_TYPES),
      /** The allowed values of a select field. */
      options: z.optional(z.array(z.string())),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'FieldDefinition' })),
);
export type FieldDefinition = z.infer<typeof FieldDefinitionSchema>;
