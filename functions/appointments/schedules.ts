/**
 * An appointment's emails as one-time schedules, named by the appointment and its sequence: created
 * before the commit that makes them due and taken back when it fails; the old ones deleted after a
 * change (were a delete lost, the schedule finds the appointment moved on and does nothing).
 */
import { logger } from '#platform/logger.js';
import type { ScheduledAction, Scheduler } from '#platform/scheduler.js';
import type { Appointment, AppointmentEmail } from './model.js';

const MINUTE = 60_000;
/** The first email (confirmation, cancellation) is scheduled this soon: a schedule is never in the past. */
export const FIRST_EMAIL_DELAY_MS = 15_000;

export interface PlannedEmail {
  name: string;
  at: Date;
  action: ScheduledAction;
}

export const scheduleName = (a: Appointment, email: AppointmentEmail, minutes?: number) =>
  `appt-${a.id}-${a.sequence}-${email}${minutes === undefined ? '' : `-${minutes}`}`;

/** The emails of the appointment as it now is: `first` at once, and the reminders still ahead. */
export function emailsOf(a: Appointment, now: Date, first: AppointmentEmail): PlannedEmail[] {
  const planned: PlannedEmail[] = [
    {
      name: scheduleName(a, first),
      at: new Date(now.getTime() + FIRST_EMAIL_DELAY_MS),
      action: {
        kind: 'appointmentEmail',
        appointmentId: a.id,
        email: first,
        sequence: a.sequence,
        plannedAt: now.toISOString(),
      },
    },
  ];
  if (a.status !== 'booked') return planned;
  for (const minutes of a.remindersMinutesBefore) {
    const at = new Date(Date.parse(a.startsAt) - minutes * MINUTE);
    if (at.getTime() < now.getTime() + MINUTE) continue;
    planned.push({
      name: scheduleName(a, 'reminder', minutes),
      at,
      action: {
        kind: 'appointmentEmail',
        appointmentId: a.id,
        email: 'reminder',
        sequence: a.sequence,
        minutesBefore: minutes,
      },
    });
  }
  return planned;
}

/** Schedules `emails`, commits, and takes the schedules back when the commit fails. */
export async function commitWithEmails<T>(
  scheduler: Scheduler,
  emails: PlannedEmail[],
  commit: () => Promise<T>,
): Promise<T> {
  await Promise.all(emails.map((e) => scheduler.scheduleOnce(e.name, e.at, e.action)));
  try {
    return await commit();
  } catch (err) {
    await Promise.all(emails.map((e) => scheduler.cancel(e.name)));
    throw err;
  }
}

/** Deletes the schedules of what an appointment no longer sends (they would find it moved on and do nothing). */
export async function dropEmails(scheduler: Scheduler, previous: Appointment) {
  const names = previous.remindersMinutesBefore.map((m) => scheduleName(previous, 'reminder', m));
  try {
    await Promise.all(names.map((n) => scheduler.cancel(n)));
  } catch (err) {
    logger.warn('old appointment reminders not deleted (they will do nothing)', {
      appointmentId: previous.id,
      error: err as Error,
    });
  }
}
