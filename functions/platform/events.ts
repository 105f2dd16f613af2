/**
 * Event contracts: the one module shared by the publisher, the CDK rules and the local bus.
 * Every event is versioned; `detail.eventId` is stable across redelivery so consumers can dedupe on it.
 */
import * as z from 'zod/mini';
import './zod-messages.js';
import {
  appointmentDetail,
  dealDetail,
  dealPosition,
  EVENT_SOURCES,
  envelope,
  envelopeV2,
  followUpDetail,
  importOrigin,
} from './event-parts.js';
import { companyEventContracts } from './events-companies.js';
import { knowledgeEventContracts } from './events-knowledge.js';
import { marketingEventContracts } from './events-marketing.js';
import { serviceEventContracts } from './events-service.js';

export { DUPLICATE_GUARD_SECONDS, EVENT_SOURCES, REPLAY_WINDOW_DAYS } from './event-parts.js';

/** The version new events of each type are written with (1 unless listed). */
const CURRENT_VERSION: Partial<Record<string, number>> = { ContactCreated: 2, ContactSuppressed: 2 };

export const eventContracts = {
  ContactCreated: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() =>
      z.object({
        ...envelopeV2(),
        contactId: z.string(),
        /** Version 1 only. */
        email: z.optional(z.string()),
        source: z.optional(z.string()),
        ...importOrigin(),
      }),
    ),
  },
  ContactUpdated: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() => z.object({ ...envelope(), contactId: z.string(), changed: z.array(z.string()) })),
  },
  ContactDeleted: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        tags: z.optional(z.array(z.string())),
        /** The lifecycle stage the contact had when erased (absent: none, or an event from before it was sent). */
        lifecycleStage: z.optional(z.string()),
      }),
    ),
  },
  ContactTagged: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() =>
      z.object({ ...envelope(), contactId: z.string(), tag: z.string(), ...importOrigin() }),
    ),
  },
  ContactUntagged: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() => z.object({ ...envelope(), contactId: z.string(), tag: z.string() })),
  },
  ActivityRecorded: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() =>
      z.object({ ...envelope(), contactId: z.string(), activityId: z.string(), type: z.string() }),
    ),
  },
  FormSubmitted: {
    source: EVENT_SOURCES.forms,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        formId: z.string(),
        contactId: z.string(),
        activityId: z.string(),
        created: z.boolean(),
        /** The UTM parameters the submission came with (when it had a source): a marketing touch. */
        utm: z.optional(z.record(z.string(), z.string())),
        /** The site tracking snippet's visitor who submitted it (identified as the contact by it). */
        visitorId: z.optional(z.string()),
      }),
    ),
  },
  /** Another system reported a purchase (POST /v1/purchases): a workflow trigger and revenue. */
  PurchaseMade: {
    source: EVENT_SOURCES.commerce,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        purchaseId: z.string(),
        contactId: z.string(),
        source: z.string(),
        total: z.number(),
        currency: z.string(),
        /** The contact was created by this purchase. */
        created: z.boolean(),
      }),
    ),
  },
  /** Someone booked a meeting on a booking page: a workflow trigger (any, or of one meeting type). */
  AppointmentBooked: {
    source: EVENT_SOURCES.appointments,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        ...appointmentDetail(),
        /** The contact was created by this booking. */
        created: z.boolean(),
      }),
    ),
  },
  /** A booked meeting moved to another time (by the invitee's link). */
  AppointmentRescheduled: {
    source: EVENT_SOURCES.appointments,
    detail: z.lazy(() => z.object({ ...envelope(), ...appointmentDetail(), previousStartsAt: z.string() })),
  },
  /** A booked meeting was cancelled (by the invitee's link or by the owner), or its outcome recorded. */
  AppointmentClosed: {
    source: EVENT_SOURCES.appointments,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        ...appointmentDetail(),
        status: z.enum(['cancelled', 'completed', 'no_show']),
      }),
    ),
  },
  /** A submission dropped as spam (honeypot, token missing or forged, filled too fast): counted per form. */
  FormSubmissionDropped: {
    source: EVENT_SOURCES.forms,
    detail: z.lazy(() =>
      z.object({ ...envelope(), formId: z.string(), submissionId: z.string(), reason: z.string() }),
    ),
  },
  WorkflowPublished: {
    source: EVENT_SOURCES.workflows,
    detail: z.lazy(() => z.object({ ...envelope(), workflowId: z.string(), workflowVersion: z.int() })),
  },
  ContactEnrolled: {
    source: EVENT_SOURCES.workflows,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        workflowId: z.string(),
        workflowVersion: z.int(),
        contactId: z.string(),
        enrollmentId: z.string(),
      }),
    ),
  },
  EnrollmentEnded: {
    source: EVENT_SOURCES.workflows,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        workflowId: z.string(),
        contactId: z.string(),
        enrollmentId: z.string(),
        status: z.string(),
        reason: z.optional(z.string()),
      }),
    ),
  },
  TaskCreated: {
    source: EVENT_SOURCES.tasks,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        taskId: z.string(),
        dueAt: z.string(),
        contactId: z.optional(z.string()),
        owner: z.optional(z.string()),
      }),
    ),
  },
  TaskCompleted: {
    source: EVENT_SOURCES.tasks,
    detail: z.lazy(() => z.object({ ...envelope(), taskId: z.string(), contactId: z.optional(z.string()) })),
  },
  /** The task's due-date reminder fired while it was still open. */
  TaskDue: {
    source: EVENT_SOURCES.tasks,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        taskId: z.string(),
        title: z.string(),
        dueAt: z.string(),
        contactId: z.optional(z.string()),
        owner: z.optional(z.string()),
      }),
    ),
  },
  FollowUpScheduled: {
    source: EVENT_SOURCES.tasks,
    detail: z.lazy(() => z.object({ ...followUpDetail() })),
  },
  /** A follow-up left the schedule: sent, cancelled or skipped (reason says why). */
  FollowUpClosed: {
    source: EVENT_SOURCES.tasks,
    detail: z.lazy(() =>
      z.object({
        ...followUpDetail(),
        status: z.enum(['sent', 'cancelled', 'skipped']),
        reason: z.optional(z.string()),
      }),
    ),
  },
  PipelineCreated: {
    source: EVENT_SOURCES.sales,
    detail: z.lazy(() => z.object({ ...envelope(), pipelineId: z.string(), name: z.string() })),
  },
  /** A pipeline's name or stages were edited: stages renamed, and removed (with where their deals went). */
  PipelineUpdated: {
    source: EVENT_SOURCES.sales,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        pipelineId: z.string(),
        name: z.string(),
        renamed: z.array(z.object({ from: z.string(), to: z.string() })),
        removed: z.array(z.object({ stage: z.string(), movedTo: z.optional(z.string()) })),
      }),
    ),
  },
  /** Deal events carry the deal's position before and after, so projections can move amounts. */
  DealCreated: {
    source: EVENT_SOURCES.sales,
    detail: z.lazy(() => z.object({ ...dealDetail(), current: dealPosition })),
  },
  DealStageChanged: {
    source: EVENT_SOURCES.sales,
    detail: z.lazy(() =>
      z.object({
        ...dealDetail(),
        fromStage: z.string(),
        toStage: z.string(),
        previous: dealPosition,
        current: dealPosition,
      }),
    ),
  },
  /** The amount, the currency or the contact changed without a stage move. */
  DealUpdated: {
    source: EVENT_SOURCES.sales,
    detail: z.lazy(() => z.object({ ...dealDetail(), previous: dealPosition, current: dealPosition })),
  },
  /** A deal was deleted; `previous` is where it stood (projections take it out). */
  DealDeleted: {
    source: EVENT_SOURCES.sales,
    detail: z.lazy(() => z.object({ ...dealDetail(), previous: dealPosition })),
  },
  EmailSent: {
    source: EVENT_SOURCES.email,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        messageId: z.string(),
        templateId: z.string(),
        workflowId: z.optional(z.string()),
        enrollmentId: z.optional(z.string()),
        stepId: z.optional(z.string()),
        campaignId: z.optional(z.string()),
        /** The campaign's A/B test variant. */
        variant: z.optional(z.string()),
      }),
    ),
  },
  EmailEngaged: {
    source: EVENT_SOURCES.email,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        messageId: z.string(),
        type: z.enum(['opened', 'clicked']),
        templateId: z.optional(z.string()),
        workflowId: z.optional(z.string()),
        campaignId: z.optional(z.string()),
        variant: z.optional(z.string()),
      }),
    ),
  },
  /** A contact's first click on one link of a campaign's email (the report's clicks per link). */
  EmailLinkClicked: {
    source: EVENT_SOURCES.email,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        messageId: z.string(),
        campaignId: z.string(),
        link: z.string(),
      }),
    ),
  },
  ContactUnsubscribed: {
    source: EVENT_SOURCES.contacts,
    /**
     * `campaignId`: the campaign whose email's unsubscribe link was used. `subscriptionType`: the
     * contact left that type only (and stays subscribed to the others); absent: all marketing email.
     */
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        campaignId: z.optional(z.string()),
        subscriptionType: z.optional(z.string()),
      }),
    ),
  },
  /** Fresh consent (a form with consent, the person's own link) lifted an unsubscribe or suppression. */
  ContactResubscribed: {
    source: EVENT_SOURCES.contacts,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        source: z.enum(['form', 'link']),
        formId: z.optional(z.string()),
        /** The contact joined this subscription type again (its preferences); absent: all marketing email. */
        subscriptionType: z.optional(z.string()),
      }),
    ),
  },
  ContactSuppressed: {
    source: EVENT_SOURCES.email,
    detail: z.lazy(() =>
      z.object({
        ...envelopeV2(),
        /** Version 1 only. */
        email: z.optional(z.string()),
        reason: z.string(),
        contactId: z.optional(z.string()),
        templateId: z.optional(z.string()),
        workflowId: z.optional(z.string()),
        campaignId: z.optional(z.string()),
      }),
    ),
  },
  ...marketingEventContracts,
  ...serviceEventContracts,
  ...knowledgeEventContracts,
  ...companyEventContracts,
} as const;

export type DetailType = keyof typeof eventContracts;
export type EventDetail<T extends DetailType> = z.infer<(typeof eventContracts)[T]['detail']>;
export type EventPayload<T extends DetailType> = Omit<EventDetail<T>, 'version' | 'eventId' | 'occurredAt'>;

/** One event as written to the outbox and published to the bus. */
export interface EventOf<T extends DetailType> {
  source: (typeof eventContracts)[T]['source'];
  detailType: T;
  detail: EventDetail<T>;
}

/** Any Tendril event; `detailType` narrows it to its own detail. */
export type DomainEvent = { [T in DetailType]: EventOf<T> }[DetailType];

export function makeEvent<T extends DetailType>(
  detailType: T,
  payload: EventPayload<T>,
  meta: { eventId: string; occurredAt: string },
): EventOf<T> {
  const detail = { version: CURRENT_VERSION[detailType] ?? 1, ...meta, ...payload } as EventDetail<T>;
  return { source: eventContracts[detailType].source, detailType, detail };
}

export const isDetailType = (name: string): name is DetailType => Object.hasOwn(eventContracts, name);

/** Validates an event against its contract (the publisher, before anything leaves the outbox; consumers). */
export function parseEvent(detailType: string, detail: unknown): DomainEvent {
  if (!isDetailType(detailType)) throw new Error(`unknown detail-type ${detailType}`);
  const contract = eventContracts[detailType];
  return { source: contract.source, detailType, detail: contract.detail.parse(detail) } as DomainEvent;
}
