/**
 * The parts event contracts (events.ts) are made of: the sources, the envelope every detail carries,
 * and the detail fields several events share.
 */
import * as z from 'zod/mini';
import './zod-messages.js';

export const EVENT_SOURCES = {
  contacts: 'tendril.contacts',
  forms: 'tendril.forms',
  workflows: 'tendril.workflows',
  email: 'tendril.email',
  sales: 'tendril.sales',
  tasks: 'tendril.tasks',
  imports: 'tendril.imports',
  bulk: 'tendril.bulk',
  segments: 'tendril.segments',
  commerce: 'tendril.commerce',
  appointments: 'tendril.appointments',
  scoring: 'tendril.scoring',
  tracking: 'tendril.tracking',
  service: 'tendril.service',
  knowledge: 'tendril.knowledge',
  companies: 'tendril.companies',
} as const;

export const envelope = () => ({
  version: z.literal(1),
  eventId: z.string().check(z.minLength(1)),
  occurredAt: z.iso.datetime(),
});
/**
 * Version 2 of an event drops the email address: events are archived for replay, and personal data
 * stays out of them unless a consumer needs it (consumers address the contact by id). Version 1
 * events, still in an outbox or the archive, are read as well.
 */
export const envelopeV2 = () => ({ ...envelope(), version: z.union([z.literal(1), z.literal(2)]) });

/** How long the bus archive keeps events for replay; every duplicate guard outlives it (by a day). */
export const REPLAY_WINDOW_DAYS = 14;
export const DUPLICATE_GUARD_SECONDS = (REPLAY_WINDOW_DAYS + 1) * 24 * 3600;

/** Events of contacts written by an import: which one, and whether they may trigger workflows. */
export const importOrigin = () => ({
  /** The import that wrote the contact (its counts reach the dashboard once, with ImportCompleted). */
  fromImport: z.optional(z.string()),
  /** The import asked not to trigger automations: no workflow enrolls on this event. */
  silent: z.optional(z.boolean()),
});

export const followUpDetail = () => ({
  ...envelope(),
  followUpId: z.string(),
  contactId: z.string(),
  templateId: z.string(),
  sendAt: z.string(),
});

export const dealPosition = z.lazy(() =>
  z.object({ stage: z.string(), amount: z.number(), currency: z.string() }),
);
export const dealDetail = () => ({
  ...envelope(),
  dealId: z.string(),
  pipelineId: z.string(),
  contactId: z.optional(z.string()),
});

/** What every appointment event says: which appointment, of which booking page and contact, when. */
export const appointmentDetail = () => ({
  appointmentId: z.string(),
  meetingTypeId: z.string(),
  contactId: z.string(),
  startsAt: z.string(),
});
