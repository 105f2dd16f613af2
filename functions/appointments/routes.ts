/** Appointment routes: booking pages' settings and appointments (appointments-api), the public pages (booking). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  ErrorSchema,
  idParams,
  listQuery,
  optionalText,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { emailSchema, shortText } from '#platform/values.js';
import {
  APPOINTMENT_OUTCOMES,
  AppointmentSchema,
  BLOCK_MINUTES,
  MAX_BUFFER_MINUTES,
  MAX_DURATION_MINUTES,
  MeetingTypeSchema,
  WEEKDAYS,
} from './model.js';

const clock = () => z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (24 h)'));
const onGrid = (max: number, min = 0) =>
  z.int().check(
    z.minimum(min),
    z.maximum(max),
    z.refine((n) => n % BLOCK_MINUTES === 0, `must be a multiple of ${BLOCK_MINUTES} minutes`),
  );

const meetingTypeFields = () => ({
  /** The page's address, `/m/<slug>`: lower-case letters, digits and dashes. */
  slug: z.string().check(
    z.maxLength(60),
    z.regex(
      /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
      'must be lower-case letters, digits and dashes, such as intro-call',
    ),
    // `/m/a/…` are the appointments' own pages.
    z.refine((s) => s !== 'a', 'is reserved: choose another address'),
  ),
  name: shortText(120),
  description: optionalText(1000),
  ownerName: shortText(120),
  ownerEmail: emailSchema,
  durationMinutes: onGrid(MAX_DURATION_MINUTES, BLOCK_MINUTES),
  bufferMinutes: z._default(onGrid(MAX_BUFFER_MINUTES), 0),
  minNoticeMinutes: z._default(z.int().check(z.minimum(0), z.maximum(30 * 24 * 60)), 240),
  horizonDays: z._default(z.int().check(z.minimum(1), z.maximum(90)), 30),
  timeZone: shortText(64),
  workingHours: z
    .array(z.strictObject({ day: z.enum(WEEKDAYS), start: clock(), end: clock() }))
    .check(z.minLength(1), z.maxLength(21)),
  remindersMinutesBefore: z._default(
    z.array(z.int().check(z.minimum(5), z.maximum(7 * 24 * 60))).check(z.maxLength(3)),
    [1440],
  ),
  active: z._default(z.boolean(), true),
});

export const MeetingTypeBody = z.lazy(() => z.strictObject(meetingTypeFields()));

export const appointmentRoutes = {
  createMeetingType: route({
    method: 'POST',
    path: '/v1/meeting-types',
    fn: 'appointments-api',
    auth: 'admin',
    summary:
      'Publish a booking page: a meeting type with its owner, length, buffer, notice, horizon and working hours',
    body: MeetingTypeBody,
    responses: { 201: MeetingTypeSchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
  listMeetingTypes: route({
    method: 'GET',
    path: '/v1/meeting-types',
    fn: 'appointments-api',
    auth: 'admin',
    summary: 'Booking pages, newest first',
    query: listQuery,
    responses: { 200: page(MeetingTypeSchema) },
  }),
  getMeetingType: route({
    method: 'GET',
    path: '/v1/meeting-types/{id}',
    fn: 'appointments-api',
    auth: 'admin',
    summary: 'A booking page’s settings',
    params: idParams,
    responses: { 200: MeetingTypeSchema, 404: ErrorSchema },
  }),
  updateMeetingType: route({
    method: 'PUT',
    path: '/v1/meeting-types/{id}',
    fn: 'appointments-api',
    auth: 'admin',
    summary:
      'Replace a booking page’s settings at its current `version` (409 otherwise); booked appointments stay',
    params: idParams,
    body: z.lazy(() => z.strictObject({ ...meetingTypeFields(), version: z.int().check(z.minimum(1)) })),
    responses: { 200: MeetingTypeSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteMeetingType: route({
    method: 'DELETE',
    path: '/v1/meeting-types/{id}',
    fn: 'appointments-api',
    auth: 'admin',
    summary: 'Delete a booking page (its appointments stand)',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  listContactAppointments: route({
    method: 'GET',
    path: '/v1/contacts/{id}/appointments',
    fn: 'appointments-api',
    auth: 'admin',
    summary: 'A contact’s appointments, newest booked first',
    params: idParams,
    query: listQuery,
    responses: { 200: page(AppointmentSchema), 404: ErrorSchema },
  }),
  closeAppointment: route({
    method: 'POST',
    path: '/v1/appointments/{id}/close',
    fn: 'appointments-api',
    auth: 'admin',
    summary:
      'Close a booked appointment: `cancelled` (before its outcome; the invitee is told), or after it started `completed` or `no_show`',
    params: idParams,
    body: z.lazy(() => z.strictObject({ status: z.enum(['cancelled', ...APPOINTMENT_OUTCOMES]) })),
    responses: { 200: AppointmentSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;

/** The booking form's fields (urlencoded or JSON; an empty optional field is as absent). */
export const BookingFields = z.lazy(() =>
  z.object({
    startsAt: z.iso.datetime({ offset: true }),
    firstName: shortText(100),
    lastName: optionalText(100),
    email: emailSchema,
    notes: optionalText(1000),
    tz: optionalText(64),
  }),
);
export const RescheduleFields = z.lazy(() =>
  z.discriminatedUnion('action', [
    z.object({
      action: z.literal('reschedule'),
      startsAt: z.iso.datetime({ offset: true }),
      tz: optionalText(64),
    }),
    /** The page's "Yes, cancel this meeting" box. */
    z.object({ action: z.literal('cancel'), confirm: z.literal('yes'), tz: optionalText(64) }),
  ]),
);

const slugParams = z.lazy(() =>
  z.strictObject({ slug: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/, 'is not a booking page address')) }),
);
/** Any token up to a sane length: a cut or forged one is the page's friendly 403, not a 400. */
const tokenParams = z.lazy(() =>
  z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) }),
);
/** Page views take their query leniently: a bad `tz` falls back to the page's zone, a bad `from` to the first day. */
const lenient = () => z.optional(z.string().check(z.maxLength(100)));
const formBody = z.lazy(() => z.record(z.string(), z.unknown()));
const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/json'] as const;

export const bookingRoutes = {
  showBookingPage: route({
    method: 'GET',
    path: '/m/{slug}',
    fn: 'booking',
    auth: 'public',
    summary: 'A booking page (HTML, no JavaScript needed): the free times, day by day, and the booking form',
    params: slugParams,
    /** `tz`: the visitor's time zone; `from`: the first day (their date) of the page of times. */
    query: z.lazy(() => z.object({ tz: lenient(), from: lenient() })),
    responses: { 200: 'html', 404: ErrorSchema },
  }),
  book: route({
    method: 'POST',
    path: '/m/{slug}',
    fn: 'booking',
    auth: 'public',
    summary:
      'Book a time (startsAt, firstName, lastName, email, notes, tz): a browser is sent to the appointment’s page (303); JSON gets 201 {appointmentId, manageUrl}; 409 `slot_taken` when it was just booked',
    params: slugParams,
    body: formBody,
    bodyTypes: FORM_TYPES,
    responses: {
      201: z.lazy(() => z.object({ appointmentId: z.string(), manageUrl: z.string() })),
      303: 'redirect',
      400: ErrorSchema,
      404: ErrorSchema,
      409: ErrorSchema,
    },
  }),
  showAppointment: route({
    method: 'GET',
    path: '/m/a/{token}',
    fn: 'booking',
    auth: 'public',
    summary:
      'An appointment’s page from its signed link: its time, the invite, and forms to reschedule or cancel',
    params: tokenParams,
    /** `done`: the change just made (booked, moved, cancelled); `from`: the first day of the times to move to. */
    query: z.lazy(() => z.object({ done: lenient(), from: lenient() })),
    responses: { 200: 'html', 403: ErrorSchema, 404: ErrorSchema },
  }),
  appointmentInvite: route({
    method: 'GET',
    path: '/m/a/{token}/invite.ics',
    fn: 'booking',
    auth: 'public',
    summary: 'The appointment’s calendar invite (text/calendar)',
    params: tokenParams,
    responses: { 200: 'ics', 403: ErrorSchema, 404: ErrorSchema },
  }),
  changeAppointment: route({
    method: 'POST',
    path: '/m/a/{token}',
    fn: 'booking',
    auth: 'public',
    summary:
      'Reschedule (`action=reschedule`, startsAt) or cancel (`action=cancel`, `confirm=yes`) from the signed link: a browser is sent back to the page (303, `?done=`), a refusal shows it with the reason; JSON gets 200 {appointmentId, status, startsAt}',
    params: tokenParams,
    body: formBody,
    bodyTypes: FORM_TYPES,
    responses: {
      200: z.lazy(() => z.object({ appointmentId: z.string(), status: z.string(), startsAt: z.string() })),
      303: 'redirect',
      400: ErrorSchema,
      403: ErrorSchema,
      404: ErrorSchema,
      409: ErrorSchema,
    },
  }),
} as const satisfies Record<string, RouteDef>;
