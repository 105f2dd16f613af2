/**
 * Booking, rescheduling, cancelling and closing appointments. A booking claims the owner's calendar
 * blocks in the transaction that writes it (store-dynamo.ts), so of two requests for overlapping times
 * one books and the other gets `slot_taken`. Its emails (confirmation, reminders, cancellation) are
 * one-time schedules created before the commit under names derived from the appointment, and
 * cancelled if the commit fails: a schedule that finds its appointment moved on does nothing.
 */
import { type Activity, systemActivity } from '#contacts/model.js';
import { getContact, upsertContactWrites } from '#contacts/rules.js';
import { conflict, invalid, notFound } from '#platform/errors.js';
import { logger } from '#platform/logger.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { ScheduledAction, Scheduler } from '#platform/scheduler.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { canonicalTimeZone } from '#platform/time-zone.js';
import { normalizeEmail } from '#platform/values.js';
import type { CrmTask } from '#sales/model.js';
import type { Appointment, AppointmentEmail, MeetingType } from './model.js';
import { blocksOf, type DaySlots, formatStart, freeSlots, isOffered } from './slots.js';
import type { AppointmentsDeps, AppointmentsWrite } from './store.js';

const MINUTE = 60_000;
/** The first email (confirmation, cancellation) is scheduled this soon: a schedule is never in the past. */
export const FIRST_EMAIL_DELAY_MS = 15_000;

export interface BookingInput {
  startsAt: string;
  firstName: string;
  lastName?: string | undefined;
  email: string;
  notes?: string | undefined;
  timeZone?: string | undefined;
}

/** The page of an active meeting type (a 404 for one that does not exist or is switched off). */
async function pageType(deps: AppointmentsDeps, slug: string): Promise<MeetingType> {
  const type = await deps.store.getMeetingTypeBySlug(slug);
  if (!type?.active) throw notFound('booking page', slug);
  return type;
}

export async function bookingPage(
  deps: AppointmentsDeps,
  slug: string,
): Promise<{ type: MeetingType; days: DaySlots[] }> {
  const type = await pageType(deps, slug);
  const now = deps.clock.now();
  const busy = await deps.store.busyBlocks(
    type.ownerEmail,
    now,
    new Date(now.getTime() + (type.horizonDays + 1) * 86_400_000),
  );
  return { type, days: freeSlots(type, busy, now) };
}

/** Times another appointment may move to: its page's free slots (its own blocks count as free). */
export async function rescheduleOptions(
  deps: AppointmentsDeps,
  appointment: Appointment,
): Promise<DaySlots[]> {
  const type = await deps.store.getMeetingType(appointment.meetingTypeId);
  if (!type?.active) return [];
  const now = deps.clock.now();
  const busy = await deps.store.busyBlocks(
    type.ownerEmail,
    now,
    new Date(now.getTime() + (type.horizonDays + 1) * 86_400_000),
  );
  for (const block of appointment.blocks) busy.delete(block);
  return freeSlots(type, busy, now).map((day) => ({
    ...day,
    starts: day.starts.filter((s) => s !== appointment.startsAt),
  }));
}

interface PlannedEmail {
  name: string;
  at: Date;
  action: ScheduledAction;
}

const scheduleName = (a: Appointment, email: AppointmentEmail, minutes?: number) =>
  `appt-${a.id}-${a.sequence}-${email}${minutes === undefined ? '' : `-${minutes}`}`;

/** The emails of the appointment as it now is: `first` at once, and the reminders still ahead. */
function emailsOf(a: Appointment, now: Date, first: AppointmentEmail): PlannedEmail[] {
  const planned: PlannedEmail[] = [
    {
      name: scheduleName(a, first),
      at: new Date(now.getTime() + FIRST_EMAIL_DELAY_MS),
      action: { kind: 'appointmentEmail', appointmentId: a.id, email: first, sequence: a.sequence },
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
async function commitWithEmails<T>(
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
async function dropEmails(scheduler: Scheduler, previous: Appointment) {
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

const slotTaken = () =>
  conflict('slot_taken', 'That time was just booked by someone else: please choose another time.');

const when = (a: Pick<Appointment, 'startsAt' | 'timeZone'>) => formatStart(a.startsAt, a.timeZone);

const meetingActivity = (deps: AppointmentsDeps, a: Appointment, body: string, at: string): Activity =>
  systemActivity(deps, a.contactId, 'meeting', body, at, {
    appointmentId: a.id,
    startsAt: a.startsAt,
    status: a.status,
  });

export async function book(
  deps: AppointmentsDeps,
  scheduler: Scheduler,
  slug: string,
  input: BookingInput,
): Promise<Appointment> {
  const type = await pageType(deps, slug);
  const start = new Date(input.startsAt);
  if (Number.isNaN(start.getTime()) || !isOffered(type, start, deps.clock.now()))
    throw invalid('slot_unavailable', 'That time is not offered: please choose one of the times shown.', [
      { path: 'startsAt', message: 'is not one of the offered times', code: 'slot_unavailable' },
    ]);
  const id = deps.ids.next();
  const taskId = deps.ids.next();
  const email = normalizeEmail(input.email);
  const inviteeTimeZone = input.timeZone ? canonicalTimeZone(input.timeZone) : undefined;
  const first = deps.clock.now();
  const draft = (contactId: string, at: string): Appointment => ({
    id,
    meetingTypeId: type.id,
    meetingName: type.name,
    contactId,
    name: [input.firstName, input.lastName].filter(Boolean).join(' '),
    email,
    ...(input.notes ? { notes: input.notes } : {}),
    ownerName: type.ownerName,
    ownerEmail: type.ownerEmail,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + type.durationMinutes * MINUTE).toISOString(),
    timeZone: type.timeZone,
    ...(inviteeTimeZone ? { inviteeTimeZone } : {}),
    blocks: blocksOf(start, type.durationMinutes, type.bufferMinutes),
    bufferMinutes: type.bufferMinutes,
    remindersMinutesBefore: type.remindersMinutesBefore,
    status: 'booked',
    taskId,
    sequence: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  // The schedules are named by the appointment: made once, whatever the commit's retries.
  const emails = emailsOf(draft('', first.toISOString()), first, 'confirmation');
  try {
    return await commitWithEmails(scheduler, emails, () =>
      withOptimisticRetry(
        async () => {
          const now = deps.clock.now();
          const at = now.toISOString();
          const existingId = await deps.store.findContactIdByEmail(email);
          const existing = existingId ? await deps.store.getContact(existingId) : undefined;
          const suppression = existing ? undefined : await deps.store.getSuppression(email);
          const contact = upsertContactWrites(
            deps,
            existing,
            {
              email,
              firstName: input.firstName,
              ...(input.lastName ? { lastName: input.lastName } : {}),
              ...(inviteeTimeZone ? { timeZone: inviteeTimeZone } : {}),
              source: `booking:${type.slug}`,
            },
            now,
            undefined,
            suppression,
          );
          const appointment = draft(contact.contactId, at);
          const task: CrmTask = {
            id: taskId,
            title: `${type.name} with ${appointment.name}`,
            dueAt: appointment.startsAt,
            status: 'open',
            contactId: contact.contactId,
            owner: type.ownerEmail,
            version: 1,
            createdAt: at,
            updatedAt: at,
          };
          await deps.store.commit([
            ...contact.writes,
            { kind: 'bookAppointment', appointment },
            { kind: 'putTask', task },
            {
              kind: 'putActivity',
              activity: meetingActivity(
                deps,
                appointment,
                `Booked "${type.name}" with ${type.ownerName} for ${when(appointment)}`,
                at,
              ),
              checkContact: false,
            },
            emit(deps, now, 'AppointmentBooked', {
              appointmentId: id,
              meetingTypeId: type.id,
              contactId: contact.contactId,
              startsAt: appointment.startsAt,
              created: contact.created,
            }),
          ]);
          return appointment;
        },
        (c) => c.part !== 'slot' && c.part !== 'appointment',
      ),
    );
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'slot') throw slotTaken();
    throw err;
  }
}

export async function getAppointment(deps: AppointmentsDeps, id: string): Promise<Appointment> {
  const appointment = await deps.store.getAppointment(id);
  if (!appointment) throw notFound('appointment', id);
  return appointment;
}

export async function listContactAppointments(
  deps: AppointmentsDeps,
  contactId: string,
  options: ListOptions,
): Promise<Page<Appointment>> {
  await getContact(deps, contactId);
  return deps.store.listContactAppointments(contactId, options);
}

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

const refuseUnlessBooked = (a: Appointment) => {
  if (a.status !== 'booked')
    throw conflict('appointment_closed', `this appointment is ${a.status.replace('_', '-')} already`, {
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
