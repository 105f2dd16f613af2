/**
 * The public booking pages: a page's free times and its form (POST books), and an appointment's own
 * page from its signed link (reschedule, cancel, the invite). Browsers get HTML (a refused form comes
 * back with its problems at their fields); JSON clients get JSON.
 */
import type * as z from 'zod/mini';
import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import * as booking from '#appointments/booking.js';
import { renderAppointmentPage, renderBookingPage } from '#appointments/booking-page.js';
import * as changes from '#appointments/changes.js';
import { manageUrl, verifyManageToken } from '#appointments/manage-token.js';
import type { Appointment } from '#appointments/model.js';
import { BookingFields, RescheduleFields, bookingRoutes as routes } from '#appointments/routes.js';
import { appointmentsStore } from '#appointments/store-dynamo.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { requireEnv } from '#platform/config.js';
import { DomainError, type ErrorDetail, forbidden, invalid } from '#platform/errors.js';
import { clientIp } from '#platform/http/client-ip.js';
import { type HttpResult, httpHandler, operation, wantsHtml } from '#platform/http/handler.js';
import { canonicalTimeZone } from '#platform/time-zone.js';

const deps = depsOf(appointmentsStore);
const publicUrl = () => requireEnv('PUBLIC_API_URL').replace(/\/$/, '');

/** Form fields as strings, an empty one left out (an optional field left blank). */
function filled(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body))
    if (typeof v === 'string' && v.trim() !== '') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
  return out;
}

/** What a visitor is told about a field of the pages' forms (not the validator's own words). */
const MESSAGES: Record<string, string> = {
  startsAt: 'Please choose a time',
  firstName: 'Please enter your first name (up to 100 characters)',
  lastName: 'Please keep your last name to 100 characters',
  email: 'Please enter your email address, such as name@example.com',
  notes: 'Please keep your notes to 1,000 characters',
  tz: 'Please choose a time zone from the list',
  action: 'Please choose to move or to cancel the meeting',
  confirm: 'Tick “Yes, cancel this meeting” to cancel it.',
};

function parse<T extends z.ZodMiniType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const out = schema.safeParse(filled(body));
  if (out.success) return out.data;
  const details: ErrorDetail[] = out.error.issues.map((i) => ({
    path: i.path.join('.'),
    message: MESSAGES[String(i.path[0])] ?? i.message,
    code: i.code,
  }));
  throw invalid('validation_error', 'Please check the highlighted fields.', details);
}

const zoneOf = (given: string | undefined, fallback: string) =>
  (given && canonicalTimeZone(given)) || fallback;

async function appointmentOf(token: string) {
  const id = verifyManageToken(await signingSecret(), token);
  if (!id)
    throw forbidden(
      'invalid_token',
      'This link is not valid: it may be cut short. Use the link in your confirmation email.',
    );
  return booking.getAppointment(deps, id);
}

const noStore = { 'cache-control': 'no-store' };

/** What the appointment's page says after a change (`?done=`). */
const NEWS: Record<string, string> = {
  booked: 'Booked. A confirmation with a calendar invite is on its way to your inbox.',
  moved: 'Moved. A new calendar invite is on its way to your inbox.',
  cancelled: 'Cancelled. We have emailed you the cancellation.',
};

async function appointmentPage(
  appointment: Appointment,
  self: string,
  status: number,
  view: { note?: string; warning?: boolean; from?: string | undefined },
): Promise<HttpResult> {
  const tz = appointment.inviteeTimeZone ?? appointment.timeZone;
  const options = await booking.rescheduleOptions(deps, appointment);
  return {
    status,
    html: renderAppointmentPage(appointment, options, self, tz, deps.clock.now(), view),
    headers: noStore,
  };
}

export const handler = httpHandler([
  operation(routes.showBookingPage, async ({ params, query, event }) => {
    const { type, days } = await booking.bookingPage(deps, params.slug);
    const tz = zoneOf(query.tz, type.timeZone);
    return {
      status: 200,
      html: renderBookingPage(type, days, event.rawPath, tz, {}, query.from),
      headers: noStore,
    };
  }),
  operation(routes.book, async ({ params, body, mediaType, event }): Promise<HttpResult> => {
    // A browser's form post (it asks for HTML back); any other client gets JSON.
    const browser = mediaType === 'application/x-www-form-urlencoded' && wantsHtml(event.headers);
    await booking.takeVisitorSlot(deps, clientIp(event));
    try {
      const input = parse(BookingFields, body);
      const appointment = await booking.book(deps, scheduler, params.slug, { ...input, timeZone: input.tz });
      const url = manageUrl(publicUrl(), await signingSecret(), appointment.id);
      if (browser) return { status: 303, headers: { location: `${new URL(url).pathname}?done=booked` } };
      return { status: 201, body: { appointmentId: appointment.id, manageUrl: url } };
    } catch (err) {
      if (!browser || !(err instanceof DomainError) || (err.kind !== 'invalid' && err.kind !== 'conflict'))
        throw err;
      // The form again, with its problems at their fields, the input kept and the times as they now are.
      const { type, days } = await booking.bookingPage(deps, params.slug);
      const values = filled(body);
      const tz = zoneOf(values.tz, type.timeZone);
      const errors = Array.isArray(err.details) ? (err.details as ErrorDetail[]) : [];
      const html = renderBookingPage(type, days, event.rawPath, tz, {
        values: err.kind === 'conflict' ? { ...values, startsAt: '' } : values,
        errors,
        message: err.message,
      });
      return { status: err.kind === 'conflict' ? 409 : 400, html, headers: noStore };
    }
  }),
  operation(routes.showAppointment, async ({ params, query, event }) => {
    const appointment = await appointmentOf(params.token);
    const done = query.done === undefined ? undefined : NEWS[query.done];
    return appointmentPage(appointment, event.rawPath, 200, {
      ...(done ? { note: done } : {}),
      from: query.from,
    });
  }),
  operation(routes.appointmentInvite, async ({ params }) => {
    const appointment = await appointmentOf(params.token);
    // The calendar library is loaded by the one route that needs it, not at every cold start.
    const { appointmentInvite } = await import('#appointments/ics.js');
    const url = manageUrl(publicUrl(), await signingSecret(), appointment.id);
    return {
      status: 200,
      ics: { body: appointmentInvite(appointment, url, deps.clock.now()), filename: 'invite.ics' },
    };
  }),
  operation(routes.changeAppointment, async ({ params, body, mediaType, event }): Promise<HttpResult> => {
    await booking.takeVisitorSlot(deps, clientIp(event));
    const current = await appointmentOf(params.token);
    // A browser's form post (it asks for HTML back); any other client gets JSON.
    const browser = mediaType === 'application/x-www-form-urlencoded' && wantsHtml(event.headers);
    try {
      const change = parse(RescheduleFields, body);
      const changed =
        change.action === 'cancel'
          ? await changes.cancel(deps, scheduler, current.id, 'invitee')
          : await changes.reschedule(deps, scheduler, current.id, change.startsAt);
      const done = change.action === 'cancel' ? 'cancelled' : 'moved';
      // Post, then redirect: reloading the page does not post the change again.
      if (browser) return { status: 303, headers: { location: `${event.rawPath}?done=${done}` } };
      return {
        status: 200,
        body: { appointmentId: changed.id, status: changed.status, startsAt: changed.startsAt },
      };
    } catch (err) {
      if (!browser || !(err instanceof DomainError) || (err.kind !== 'invalid' && err.kind !== 'conflict'))
        throw err;
      // A form's own field problem (the time, the box) in the visitor's words; else the refusal itself.
      const detail =
        err.code === 'validation_error' && Array.isArray(err.details)
          ? (err.details as ErrorDetail[])[0]?.message
          : undefined;
      const appointment = await booking.getAppointment(deps, current.id);
      return appointmentPage(appointment, event.rawPath, err.kind === 'conflict' ? 409 : 400, {
        note: detail ?? err.message,
        warning: true,
      });
    }
  }),
]);
