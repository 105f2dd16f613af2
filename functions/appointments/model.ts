/**
 * Appointments: meeting types an owner publishes as booking pages, and the appointments booked on
 * them. One schema per record. Times are ISO instants (UTC); working hours are wall-clock times in the
 * meeting type's own time zone.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

/**
 * Appointments start on this grid (minutes past the hour), and an owner's calendar is held in blocks
 * of it: durations and buffers are multiples of it, so two bookings overlap exactly when they share a
 * block (the blocks are the items a booking claims, see store-dynamo.ts).
 */
export const BLOCK_MINUTES = 15;
export const MAX_DURATION_MINUTES = 240;
export const MAX_BUFFER_MINUTES = 120;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WorkingHoursSchema = z.lazy(() =>
  z
    .object({ day: z.enum(WEEKDAYS), start: z.string(), end: z.string() })
    .check(z.meta({ id: 'WorkingHours' })),
);
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

export const MeetingTypeSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      /** The booking page's address: `/m/<slug>`. */
      slug: z.string(),
      name: z.string(),
      description: z.optional(z.string()),
      /** Who meets: their name on the page and the invite, their email as the invite's organizer. */
      ownerName: z.string(),
      ownerEmail: z.string(),
      durationMinutes: z.int(),
      /** Kept free after each meeting. */
      bufferMinutes: z.int(),
      /** A slot must start at least this long after the booking. */
      minNoticeMinutes: z.int(),
      /** How many days ahead slots are offered. */
      horizonDays: z.int(),
      timeZone: z.string(),
      workingHours: z.array(WorkingHoursSchema),
      /** Reminder emails, this many minutes before the start (each one still ahead at booking). */
      remindersMinutesBefore: z.array(z.int()),
      /** An inactive page shows no slots and takes no bookings; its appointments stand. */
      active: z.boolean(),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'MeetingType' })),
);
export type MeetingType = z.infer<typeof MeetingTypeSchema>;

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'completed', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** What the owner records after the meeting. */
export const APPOINTMENT_OUTCOMES = ['completed', 'no_show'] as const;

export const AppointmentSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      meetingTypeId: z.string(),
      meetingName: z.string(),
      contactId: z.string(),
      /** The invitee as they booked. */
      name: z.string(),
      email: z.string(),
      notes: z.optional(z.string()),
      ownerName: z.string(),
      ownerEmail: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      /** The meeting type's time zone, which the emails show times in. */
      timeZone: z.string(),
      /** The invitee's time zone, when their browser or the page's picker said. */
      inviteeTimeZone: z.optional(z.string()),
      /** The instants of the calendar blocks held (the meeting and its buffer). */
      blocks: z.array(z.string()),
      bufferMinutes: z.int(),
      remindersMinutesBefore: z.array(z.int()),
      status: z.enum(APPOINTMENT_STATUSES),
      /** The owner's task for the meeting. */
      taskId: z.string(),
      /** The calendar invite's SEQUENCE: one more for each reschedule and for the cancellation. */
      sequence: z.int(),
      rescheduledAt: z.optional(z.string()),
      cancelledAt: z.optional(z.string()),
      cancelledBy: z.optional(z.enum(['invitee', 'owner'])),
      outcomeAt: z.optional(z.string()),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Appointment' })),
);
export type Appointment = z.infer<typeof AppointmentSchema>;

/** The emails an appointment sends (scheduled-action `appointmentEmail`). */
export const APPOINTMENT_EMAILS = ['confirmation', 'reminder', 'cancellation'] as const;
export type AppointmentEmail = (typeof APPOINTMENT_EMAILS)[number];
