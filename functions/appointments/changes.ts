/**
 * Changes of a booked appointment: moved to another offered time, cancelled (by the invitee's link or
 * the owner), or closed with its outcome. Each commits the appointment (its blocks released or
 * claimed), the owner's task, a timeline entry and its event together, retried on races.
 */
import { conflict, invalid } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict, emit } from '#platform/store.js';
import type { CrmTask } from '#sales/model.js';
import { getAppointment, meetingActivity, slotTaken, when } from './booking.js';
import type { Appointment, AppointmentEmail, MeetingType } from './model.js';
import { commitWithEmails, dropEmails, emailsOf } from './schedules.js';
import { blocksOf, isOffered } from './slots.js';
import type { AppointmentsDeps, AppointmentsWrite } from './store.js';

const MINUTE = 60_000;

/** Commits a change of a booked appointment with its task, a timeline entry and its event; retried on races. */
async function change(
  deps: AppointmentsDeps,
  scheduler: Scheduler,
  id: string,
  make: (
    current: Appointment,
    now: Date,
  ) => {
    next: Appointment;
    task: (t: CrmTask) => CrmTask;
    activity: string;
    event: AppointmentsWrite;
    email?: AppointmentEmail;
  },
): Promise<Appointment> {
  let previous: Appointment | undefined;
  try {
    const next = await withOptimisticRetry(
      async () => {
        const current = await getAppointment(deps, id);
        previous = current;
        const now = deps.clock.now();
        const at = now.toISOString();
        const made = make(current, now);
        const task = await deps.store.getTask(current.taskId);
        const writes: AppointmentsWrite[] = [
          {
            kind: 'updateAppointment',
            appointment: made.next,
            expectedVersion: current.version,
            previousBlocks: current.blocks,
          },
          ...(task
            ? [
                {
                  kind: 'putTask' as const,
                  task: made.task({ ...task, version: task.version + 1, updatedAt: at }),
                  expectedVersion: task.version,
                },
              ]
            : []),
          {
            kind: 'putActivity',
            activity: meetingActivity(deps, made.next, made.activity, at),
            checkContact: false,
          },
          made.event,
        ];
        const emails = made.email ? emailsOf(made.next, now, made.email) : [];
        await commitWithEmails(scheduler, emails, () => deps.store.commit(writes));
        return made.next;
      },
      (c) => c.part !== 'slot',
    );
    if (previous && previous.sequence !== next.sequence) await dropEmails(scheduler, previous);
    return next;
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'slot') throw slotTaken();
    throw err;
  }
}

const CLOSED: Partial<Record<Appointment['status'], string>> = {
  cancelled: 'This meeting is cancelled already.',
  completed: 'This meeting took place already.',
  no_show: 'This meeting was marked as missed already.',
};

const refuseUnlessBooked = (a: Appointment) => {
  if (a.status !== 'booked')
    throw conflict('appointment_closed', CLOSED[a.status] ?? 'this meeting is closed already', {
      status: a.status,
    });
};

/** Moves a booked meeting that has not started to another offered time (the invitee's link). */
export function reschedule(deps: AppointmentsDeps, scheduler: Scheduler, id: string, startsAt: string) {
  return withType(deps, id, (type) =>
    change(deps, scheduler, id, (a, now) => {
      refuseUnlessBooked(a);
      if (Date.parse(a.startsAt) <= now.getTime())
        throw conflict('appointment_started', 'this meeting has started already: it cannot be moved');
      const start = new Date(startsAt);
      if (Number.isNaN(start.getTime()) || !isOffered(type, start, now) || start.toISOString() === a.startsAt)
        throw invalid('slot_unavailable', 'That time is not offered: please choose one of the times shown.', [
          { path: 'startsAt', message: 'is not one of the offered times', code: 'slot_unavailable' },
        ]);
      const duration = Date.parse(a.endsAt) - Date.parse(a.startsAt);
      const at = now.toISOString();
      const next: Appointment = {
        ...a,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + duration).toISOString(),
        blocks: blocksOf(start, duration / MINUTE, a.bufferMinutes),
        sequence: a.sequence + 1,
        rescheduledAt: at,
        version: a.version + 1,
        updatedAt: at,
      };
      return {
        next,
        task: (t) => ({ ...t, dueAt: next.startsAt }),
        activity: `Rescheduled "${a.meetingName}" from ${when(a)} to ${when(next)}`,
        event: emit(deps, now, 'AppointmentRescheduled', {
          appointmentId: a.id,
          meetingTypeId: a.meetingTypeId,
          contactId: a.contactId,
          startsAt: next.startsAt,
          previousStartsAt: a.startsAt,
        }),
        email: 'confirmation',
      };
    }),
  );
}

async function withType<T>(deps: AppointmentsDeps, id: string, run: (type: MeetingType) => Promise<T>) {
  const appointment = await getAppointment(deps, id);
  const type = await deps.store.getMeetingType(appointment.meetingTypeId);
  if (!type?.active)
    throw conflict('booking_page_closed', 'this booking page takes no bookings now: contact the organizer');
  return run(type);
}

/** Cancels a booked meeting: the invitee before it starts, the owner any time before its outcome. */
export function cancel(deps: AppointmentsDeps, scheduler: Scheduler, id: string, by: 'invitee' | 'owner') {
  return change(deps, scheduler, id, (a, now) => {
    refuseUnlessBooked(a);
    if (by === 'invitee' && Date.parse(a.startsAt) <= now.getTime())
      throw conflict('appointment_started', 'this meeting has started already: it cannot be cancelled here');
    const at = now.toISOString();
    const next: Appointment = {
      ...a,
      status: 'cancelled',
      blocks: [],
      cancelledAt: at,
      cancelledBy: by,
      sequence: a.sequence + 1,
      version: a.version + 1,
      updatedAt: at,
    };
    return {
      next,
      task: (t) => ({ ...t, title: `Cancelled: ${t.title}`, status: 'done', completedAt: at }),
      activity: `Cancelled "${a.meetingName}" of ${when(a)} (by the ${by})`,
      event: closedEvent(deps, now, next),
      email: 'cancellation',
    };
  });
}

function closedEvent(deps: AppointmentsDeps, now: Date, a: Appointment) {
  return emit(deps, now, 'AppointmentClosed', {
    appointmentId: a.id,
    meetingTypeId: a.meetingTypeId,
    contactId: a.contactId,
    startsAt: a.startsAt,
    status: a.status as 'cancelled' | 'completed' | 'no_show',
  });
}

/** The owner records how a meeting that has started went: it took place, or the invitee did not come. */
export function recordOutcome(
  deps: AppointmentsDeps,
  scheduler: Scheduler,
  id: string,
  outcome: 'completed' | 'no_show',
) {
  return change(deps, scheduler, id, (a, now) => {
    refuseUnlessBooked(a);
    if (Date.parse(a.startsAt) > now.getTime())
      throw conflict('appointment_not_started', 'this meeting has not started yet: cancel it instead');
    const at = now.toISOString();
    const next: Appointment = { ...a, status: outcome, outcomeAt: at, version: a.version + 1, updatedAt: at };
    return {
      next,
      task: (t) => ({ ...t, status: 'done', completedAt: t.completedAt ?? at }),
      activity:
        outcome === 'completed' ? `Met: "${a.meetingName}"` : `No-show: "${a.meetingName}" of ${when(a)}`,
      event: closedEvent(deps, now, next),
    };
  });
}
