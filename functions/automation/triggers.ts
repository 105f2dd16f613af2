/**
 * What enrolls a contact in a workflow: one event about the contact (docs/workflows.md, "Triggers").
 * Each trigger is matched by the enrollment rule (infra) and the enroller (enrollment.ts).
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { ULID_PATTERN } from '#platform/ids.js';
import { fieldKeySchema, fieldValueSchema, shortText, tagSchema } from '#platform/values.js';

export const ulid = z.lazy(() => z.string().check(z.regex(ULID_PATTERN, 'must be a 26-character ULID')));

export const triggerSchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('tagAdded'), tag: tagSchema }),
    z.strictObject({ type: z.literal('formSubmitted'), formId: ulid }),
    /** A contact starts to match a segment (its membership is tracked while the workflow is active). */
    z.strictObject({ type: z.literal('segmentEntered'), segmentId: ulid }),
    /** Another system reported a purchase (any, or only from `source`: POST /v1/purchases). */
    z.strictObject({
      type: z.literal('purchaseMade'),
      source: z.optional(
        z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a purchase source such as shop')),
      ),
    }),
    /** Someone booked a meeting (of any meeting type, or of `meetingTypeId`). */
    z.strictObject({ type: z.literal('appointmentBooked'), meetingTypeId: z.optional(ulid) }),
    /** A contact's lead score reaches the workspace's threshold (PUT /v1/scoring). */
    z.strictObject({ type: z.literal('scoreReached') }),
    /** A contact enters a lifecycle stage (by a rule or by hand). */
    z.strictObject({ type: z.literal('lifecycleStageChanged'), stage: z.enum(LIFECYCLE_STAGES) }),
    /** A customer service case was opened for the contact (from any channel, or from `channel`). */
    z.strictObject({
      type: z.literal('caseCreated'),
      channel: z.optional(z.enum(['email', 'api', 'ui', 'form'])),
    }),
    /** One of the contact's cases moved to `status` (by an agent, or reopened by the customer's email). */
    z.strictObject({
      type: z.literal('caseStatusChanged'),
      status: z.enum(['new', 'open', 'pending', 'resolved', 'closed']),
    }),
    /** One of the contact's cases was resolved. */
    z.strictObject({ type: z.literal('caseResolved') }),
    /** One of the contact's deals moved to `stage` of pipeline `pipelineId`. */
    z.strictObject({ type: z.literal('dealStageChanged'), pipelineId: ulid, stage: shortText(100) }),
    /** A property or custom field of the contact changed (to `value`, when given). */
    z.strictObject({
      type: z.literal('fieldChanged'),
      field: fieldKeySchema,
      value: z.optional(fieldValueSchema),
    }),
    /**
     * A day relative to a date field of the contact (`days` before it when negative, after it when
     * positive), at `time` in the workflow's time zone (date-trigger.ts).
     */
    z.strictObject({
      type: z.literal('dateReached'),
      field: fieldKeySchema,
      days: z._default(z.int().check(z.minimum(-365), z.maximum(365)), 0),
      time: z._default(
        z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')),
        '09:00',
      ),
    }),
    /** The contact clicked a link in an email (any, or one made from `templateId`). */
    z.strictObject({ type: z.literal('emailClicked'), templateId: z.optional(ulid) }),
  ]),
);
