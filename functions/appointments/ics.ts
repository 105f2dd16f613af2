/**
 * The calendar invite of an appointment (RFC 5545, by ical-generator): METHOD:REQUEST while it
 * stands, CANCEL once cancelled. The UID is the appointment's, the SEQUENCE its own: a calendar
 * replaces the event on a reschedule and removes it on a cancellation.
 */
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';
import type { Appointment } from './model.js';

export const icsUid = (appointment: Pick<Appointment, 'id'>) => `${appointment.id}@tendril`;

/** A name as a quoted parameter (CN) may hold it: RFC 5545 allows no double quote inside. */
const cn = (name: string) => name.replace(/"/g, "'");

export function appointmentInvite(appointment: Appointment, manageUrl: string, now: Date): string {
  const cancelled = appointment.status === 'cancelled';
  const calendar = ical({
    prodId: { company: 'Tendril', product: 'Appointments', language: 'EN' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: icsUid(appointment),
    sequence: appointment.sequence,
    stamp: now,
    start: new Date(appointment.startsAt),
    end: new Date(appointment.endsAt),
    summary: `${appointment.meetingName} with ${appointment.ownerName}`,
    description: cancelled
      ? `This meeting is cancelled: ${manageUrl}`
      : `${appointment.notes ? `${appointment.notes}\n\n` : ''}Reschedule or cancel: ${manageUrl}`,
    url: manageUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: cn(appointment.ownerName), email: appointment.ownerEmail },
    attendees: [
      {
        name: cn(appointment.name),
        email: appointment.email,
        rsvp: false,
        role: ICalAttendeeRole.REQ,
        status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      },
    ],
  });
  return calendar.toString();
}
