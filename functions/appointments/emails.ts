/**
 * An appointment's emails, sent when their schedule fires (the scheduled-action Lambda): the
 * confirmation (on booking and on each reschedule), the reminders, and the cancellation, each with
 * the calendar invite. They are transactional: sent once per (appointment, email, sequence) through
 * the tracked sender's claim, to any contact whose address is not suppressed.
 */

import type { EmailContext } from '#messaging/sender.js';
import { sendTrackedEmail } from '#messaging/sender.js';
import type { MessagingStore } from '#messaging/store.js';
import { RetryableError } from '#platform/errors.js';
import { escapeHtml } from '#platform/http/html.js';
import type { Deps } from '#platform/store.js';
import { appointmentInvite } from './ics.js';
import { manageUrl } from './manage-token.js';
import type { Appointment, AppointmentEmail } from './model.js';
import { formatStart } from './slots.js';
import type { AppointmentsReads } from './store.js';

/** How long an email may wait for the commit its schedule was made for. */
const COMMIT_GRACE_MS = 5 * 60_000;

export type AppointmentEmailDeps = Deps<MessagingStore & Pick<AppointmentsReads, 'getAppointment'>>;

export interface AppointmentEmailAction {
  appointmentId: string;
  email: AppointmentEmail;
  sequence: number;
  minutesBefore?: number | undefined;
  plannedAt?: string | undefined;
}

const formatWhen = (a: Appointment, timeZone: string) => formatStart(a.startsAt, timeZone);

/** The email's lines: subject, then paragraphs (the link last). */
export function appointmentEmailContent(a: Appointment, email: AppointmentEmail, link: string) {
  const title = `${a.meetingName} with ${a.ownerName}`;
  const times = [formatWhen(a, a.timeZone)];
  if (a.inviteeTimeZone && a.inviteeTimeZone !== a.timeZone) times.unshift(formatWhen(a, a.inviteeTimeZone));
  const subject =
    email === 'cancellation'
      ? `Cancelled: ${title}`
      : email === 'reminder'
        ? `Reminder: ${title}, ${times[0]}`
        : a.sequence > 0
          ? `Moved: ${title}, now ${times[0]}`
          : `Confirmed: ${title}, ${times[0]}`;
  const opening =
    email === 'cancellation'
      ? `Your meeting "${title}" on ${times.join(' / ')} is cancelled.`
      : email === 'reminder'
        ? `This is a reminder of your meeting "${title}".`
        : a.sequence > 0
          ? `Your meeting "${title}" has moved to a new time.`
          : `Your meeting "${title}" is booked.`;
  const paragraphs = [
    `Hello ${a.name},`,
    opening,
    ...(email === 'cancellation' ? [] : [`When: ${times.join(' / ')}`]),
    ...(a.notes && email !== 'cancellation' ? [`Your notes: ${a.notes}`] : []),
    email === 'cancellation'
      ? 'The attached invite removes it from your calendar.'
      : 'The attached invite adds it to your calendar.',
  ];
  const linkLabel = email === 'cancellation' ? 'See the cancelled meeting' : 'Reschedule or cancel';
  const html = `<!doctype html><html><body>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p><a href="${escapeHtml(link)}">${linkLabel}</a></p></body></html>`;
  const text = `${paragraphs.join('\n\n')}\n\n${linkLabel}: ${link}\n`;
  return { subject, html, text };
}

export async function fireAppointmentEmail(
  deps: AppointmentEmailDeps,
  ctx: EmailContext,
  action: AppointmentEmailAction,
): Promise<string> {
  const appointment = await deps.store.getAppointment(action.appointmentId);
  // The first email's schedule is made just before the commit that makes it due, and may fire
  // before that commit lands (a slow commit, or a scaled local clock): tried again for a while, then
  // taken as a commit that failed (its schedule's delete failed too).
  const notYet = (what: string) => {
    const planned = action.plannedAt ? Date.parse(action.plannedAt) : Number.NaN;
    if (deps.clock.now().getTime() - planned < COMMIT_GRACE_MS)
      throw new RetryableError(`appointment ${action.appointmentId}: its ${what} is not committed yet`);
    return `ignored: its ${what} was never committed`;
  };
  if (!appointment) return notYet('booking');
  if (appointment.sequence < action.sequence) return notYet('change');
  // Moved or cancelled since: this email was about a time that no longer stands.
  if (appointment.sequence > action.sequence) return 'ignored: superseded';
  if (action.email !== 'cancellation' && appointment.status !== 'booked')
    return `ignored: ${appointment.status}`;
  const contact = await deps.store.getContact(appointment.contactId);
  if (!contact) return 'ignored: contact erased';
  const now = deps.clock.now();
  const link = manageUrl(ctx.publicUrl, await ctx.signingSecret(), appointment.id);
  const method = appointment.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const step = [action.email, action.sequence, action.minutesBefore].filter((p) => p !== undefined).join('.');
  const outcome = await sendTrackedEmail(deps, ctx, {
    contact: { ...contact, email: appointment.email },
    template: {
      id: `appointment-${action.email}`,
      prepared: appointmentEmailContent(appointment, action.email, link),
      attachments: [
        {
          filename: 'invite.ics',
          contentType: `text/calendar; charset=utf-8; method=${method}`,
          content: appointmentInvite(appointment, link, now),
        },
      ],
    },
    slot: { enrollmentId: 'APPOINTMENT', stepId: `${appointment.id}.${step}` },
    tags: { appointmentId: appointment.id },
  });
  return outcome.status === 'blocked' ? `skipped: ${outcome.reason}` : outcome.status;
}
