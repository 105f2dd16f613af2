/**
 * Booking pages and bookings (changes.ts moves, cancels and closes them). A booking claims the owner's calendar
 * blocks in the transaction that writes it (store-dynamo.ts), so of two requests for overlapping times
 * one books and the other gets `slot_taken`. Its emails are one-time schedules (schedules.ts).
 */

import { createHash } from 'node:crypto';
import { type Activity, systemActivity } from '#contacts/model.js';
import { getContact, upsertContactWrites } from '#contacts/rules.js';
import { conflict, DomainError, invalid, notFound } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { canonicalTimeZone } from '#platform/time-zone.js';
import { normalizeEmail } from '#platform/values.js';
import type { CrmTask } from '#sales/model.js';
import type { Appointment, MeetingType } from './model.js';
import { commitWithEmails, emailsOf } from './schedules.js';
import { blocksOf, type DaySlots, formatStart, freeSlots, isOffered } from './slots.js';
import type { AppointmentsDeps } from './store.js';

const MINUTE = 60_000;

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

/** The owner's held blocks from now to the page's horizon (and its last day's end). */
const busyUntilHorizon = (deps: AppointmentsDeps, type: MeetingType, now: Date) =>
  deps.store.busyBlocks(type.ownerEmail, now, new Date(now.getTime() + (type.horizonDays + 1) * 86_400_000));

export async function bookingPage(
  deps: AppointmentsDeps,
  slug: string,
): Promise<{ type: MeetingType; days: DaySlots[] }> {
  const type = await pageType(deps, slug);
  const now = deps.clock.now();
  return { type, days: freeSlots(type, await busyUntilHorizon(deps, type, now), now) };
}

/** Times another appointment may move to: its page's free slots (its own blocks count as free). */
export async function rescheduleOptions(
  deps: AppointmentsDeps,
  appointment: Appointment,
): Promise<DaySlots[]> {
  const type = await deps.store.getMeetingType(appointment.meetingTypeId);
  if (!type?.active) return [];
  const now = deps.clock.now();
  const busy = await busyUntilHorizon(deps, type, now);
  for (const block of appointment.blocks) busy.delete(block);
  return freeSlots(type, busy, now).map((day) => ({
    ...day,
    starts: day.starts.filter((s) => s !== appointment.startsAt),
  }));
}

export const slotTaken = () =>
  conflict('slot_taken', 'That time was just booked by someone else: please choose another time.');

export const when = (a: Pick<Appointment, 'startsAt' | 'timeZone'>) => formatStart(a.startsAt, a.timeZone);

export const meetingActivity = (deps: AppointmentsDeps, a: Appointment, body: string, at: string): Activity =>
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

/** Posts (bookings, moves, cancels) one visitor's address may make to the booking pages in a minute. */
export const POSTS_PER_IP_PER_MINUTE = 20;
const RATE_WINDOW_MS = 60_000;

/** Takes a slot of the visitor's per-minute window; a full window is a 429 with the seconds until it ends. */
export async function takeVisitorSlot(deps: AppointmentsDeps, sourceIp: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % RATE_WINDOW_MS);
  const windowEnd = new Date(windowStart + RATE_WINDOW_MS);
  const ip = createHash('sha256').update(sourceIp).digest('base64url');
  if (!(await deps.store.takeRateSlot(`booking:${ip}:${windowStart}`, POSTS_PER_IP_PER_MINUTE, windowEnd)))
    throw new DomainError(
      'rate_limited',
      'too_many_bookings',
      'too many attempts from your address; please try again in a minute',
      [],
      Math.max(1, Math.ceil((windowEnd.getTime() - now) / 1000)),
    );
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
