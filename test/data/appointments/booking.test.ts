/**
 * Appointments on DynamoDB Local: a booking page offers its owner's free times; a booking claims
 * them (of concurrent bookings of one time, one wins), lands on the contact's timeline and the owner's
 * tasks as AppointmentBooked, and schedules its emails; rescheduling and cancelling give the time
 * back; the emails go once each, with the calendar invite, and a superseded one does nothing.
 */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import * as booking from '#appointments/booking.js';
import * as changes from '#appointments/changes.js';
import { fireAppointmentEmail } from '#appointments/emails.js';
import { verifyManageToken } from '#appointments/manage-token.js';
import { createMeetingType, type MeetingTypeInput, updateMeetingType } from '#appointments/meeting-types.js';
import type { MeetingType } from '#appointments/model.js';
import { FIRST_EMAIL_DELAY_MS } from '#appointments/schedules.js';
import { triggersOf } from '#automation/enrollment.js';
import { createWorkflow } from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import { unsubscribe } from '#messaging/feedback.js';
import { DomainError, RetryableError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
let now = new Date('2026-12-07T08:00:00Z'); // a Monday; 09:00 in Paris
let scheduler: RecordingScheduler;
const SECRET = 'appointments-secret-appointments-secret';

const input = (over: Partial<MeetingTypeInput> = {}): MeetingTypeInput => ({
  slug: `intro-${Math.random().toString(36).slice(2, 8)}`,
  name: 'Intro call',
  ownerName: 'Ada Owner',
  ownerEmail: `owner-${Math.random().toString(36).slice(2, 8)}@example.com`,
  durationMinutes: 30,
  bufferMinutes: 15,
  minNoticeMinutes: 60,
  horizonDays: 14,
  timeZone: 'Europe/Paris',
  workingHours: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({
    day: day as MeetingType['workingHours'][number]['day'],
    start: '09:00',
    end: '17:00',
  })),
  remindersMinutesBefore: [1440, 60],
  active: true,
  ...over,
});
const person = (n: number | string, startsAt: string) => ({
  startsAt,
  firstName: `Guest${n}`,
  email: `guest${n}@example.com`,
});
const rejects = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: DomainError) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    return true;
  });
const offered = async (slug: string) =>
  (await booking.bookingPage(t.deps, slug)).days.flatMap((d) => d.starts);

before(async () => {
  t = await createTestTable(() => now);
});
beforeEach(() => {
  now = new Date('2026-12-07T08:00:00Z');
  scheduler = new RecordingScheduler();
});

describe('booking pages', () => {
  it('offers the working hours in the page’s time zone, after the notice, on the meeting’s grid', async () => {
    const type = await createMeetingType(t.deps, input());
    const starts = await offered(type.slug);
    // 10:00 Paris (09:00 UTC) is the first time an hour's notice leaves on Monday; 16:30 the last.
    assert.equal(starts[0], '2026-12-07T09:00:00.000Z');
    assert.ok(starts.includes('2026-12-07T15:30:00.000Z'));
    assert.ok(!starts.includes('2026-12-07T16:00:00.000Z'), 'a 30-minute meeting ends by 17:00');
    assert.ok(!starts.some((s) => s.startsWith('2026-12-12') || s.startsWith('2026-12-13')), 'no weekend');
    assert.ok(starts.every((s) => Date.parse(s) <= now.getTime() + 14 * 86_400_000));
  });

  it('refuses hours off the quarter hour, hours out of order and a taken slug, at their fields', async () => {
    await assert.rejects(
      createMeetingType(t.deps, input({ workingHours: [{ day: 'mon', start: '09:10', end: '08:00' }] })),
      (err: DomainError) => {
        assert.deepEqual(
          (err.details as Array<{ path: string }>).map((d) => d.path),
          ['workingHours.0.start', 'workingHours.0.end'],
        );
        return true;
      },
    );
    await assert.rejects(
      createMeetingType(t.deps, input({ workingHours: [{ day: 'mon', start: '09:00', end: '09:15' }] })),
      (err: DomainError) => {
        assert.match(
          JSON.stringify(err.details),
          /"path":"workingHours.0","message":"is shorter than the meeting/,
        );
        return true;
      },
    );
    const type = await createMeetingType(t.deps, input());
    await rejects(createMeetingType(t.deps, input({ slug: type.slug })), 'slug_taken');
    const other = await createMeetingType(t.deps, input());
    await rejects(updateMeetingType(t.deps, other.id, input({ slug: type.slug }), 1), 'slug_taken');
    await rejects(updateMeetingType(t.deps, other.id, input(), 7), 'version_conflict');
  });
});

describe('booking', () => {
  it('books a time: the contact, the timeline, the owner’s task, AppointmentBooked, the emails; the time is taken', async () => {
    const type = await createMeetingType(t.deps, input());
    const slot = '2026-12-08T10:00:00.000Z';
    const a = await booking.book(t.deps, scheduler, type.slug, {
      ...person('a', slot),
      timeZone: 'America/New_York',
    });
    assert.equal(a.status, 'booked');
    assert.equal(a.endsAt, '2026-12-08T10:30:00.000Z');
    assert.deepEqual(a.blocks, [
      '2026-12-08T10:00:00.000Z',
      '2026-12-08T10:15:00.000Z',
      '2026-12-08T10:30:00.000Z',
    ]);
    const contact = await t.deps.store.getContact(a.contactId);
    assert.equal(contact?.email, 'guesta@example.com');
    assert.equal(contact?.timeZone, 'America/New_York');
    const task = await t.deps.store.getTask(a.taskId);
    assert.equal(task?.owner, type.ownerEmail);
    assert.equal(task?.dueAt, slot);
    const timeline = await contacts.listActivities(t.deps, a.contactId, { limit: 10 });
    assert.ok(timeline.items.some((x) => x.type === 'meeting' && x.body?.includes('Intro call')));
    const events = (await outboxEvents(t)).filter((e) => e.detail.appointmentId === a.id);
    assert.deepEqual(
      events.map((e) => e.detailType),
      ['AppointmentBooked'],
    );
    const event = parseEvent('AppointmentBooked', events[0]?.detail);
    assert.deepEqual(
      triggersOf(event).map((x) => x.triggerKey),
      ['appointment', `appointment:${type.id}`],
    );
    // A workflow may be triggered by this page, not by one that does not exist.
    const workflow = (meetingTypeId: string) => ({
      name: 'On booking',
      trigger: { type: 'appointmentBooked', meetingTypeId },
      steps: [{ id: 'tag', type: 'addTag', tag: 'booked' }],
    });
    assert.equal((await createWorkflow(t.deps, workflow(type.id))).status, 'draft');
    await assert.rejects(
      createWorkflow(t.deps, workflow('01JF0000000000000000000099')),
      (err: DomainError) => {
        assert.match(JSON.stringify(err.details), /trigger\.meetingTypeId/);
        return true;
      },
    );
    assert.deepEqual(
      [...scheduler.schedules.values()].map((s) => [
        s.action.kind === 'appointmentEmail' && s.action.email,
        s.at.toISOString(),
      ]),
      [
        ['confirmation', new Date(now.getTime() + FIRST_EMAIL_DELAY_MS).toISOString()],
        ['reminder', '2026-12-07T10:00:00.000Z'],
        ['reminder', '2026-12-08T09:00:00.000Z'],
      ],
    );
    const starts = await offered(type.slug);
    // The meeting and its buffer: 09:30 (ends 10:00, buffer to 10:15) and 10:30 (its buffer) are taken.
    assert.ok(!starts.includes(slot));
    assert.ok(!starts.includes('2026-12-08T09:30:00.000Z'));
    assert.ok(!starts.includes('2026-12-08T10:30:00.000Z'));
    assert.ok(starts.includes('2026-12-08T11:00:00.000Z'));
    await rejects(booking.book(t.deps, scheduler, type.slug, person('b', slot)), 'slot_taken');
  });

  it('books one of twelve concurrent requests for one time (two meeting types of one owner), and schedules only its emails', async () => {
    const owner = `busy-${Date.now()}@example.com`;
    const short = await createMeetingType(t.deps, input({ ownerEmail: owner }));
    const long = await createMeetingType(
      t.deps,
      input({ ownerEmail: owner, durationMinutes: 60, bufferMinutes: 0 }),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        booking.book(
          t.deps,
          scheduler,
          i % 2 ? short.slug : long.slug,
          person(`c${i}`, '2026-12-09T13:00:00.000Z'),
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results)
      if (r.status === 'rejected')
        assert.equal((r.reason as DomainError).code, 'slot_taken', String(r.reason));
    const appointments = (await t.items()).filter(
      (i) => String(i.SK).startsWith('APPOINTMENT#') && i.ownerEmail === owner,
    );
    assert.equal(appointments.length, 1);
    const winner = won[0]?.status === 'fulfilled' ? won[0].value : undefined;
    assert.ok([...scheduler.schedules.keys()].every((name) => name.includes(String(winner?.id))));
    // Overlapping, not equal: the 60-minute meeting at 12:30 would cover 13:00.
    await rejects(
      booking.book(t.deps, scheduler, long.slug, person('late', '2026-12-09T12:30:00.000Z')),
      'slot_taken',
    );
  });

  it('refuses a time the page does not offer (off the grid, before the notice, outside the hours)', async () => {
    const type = await createMeetingType(t.deps, input());
    for (const startsAt of [
      '2026-12-08T10:10:00.000Z',
      '2026-12-07T08:30:00.000Z',
      '2026-12-08T20:00:00.000Z',
    ])
      await rejects(booking.book(t.deps, scheduler, type.slug, person('x', startsAt)), 'slot_unavailable');
    await updateMeetingType(t.deps, type.id, input({ slug: type.slug, active: false }), 1);
    await rejects(booking.bookingPage(t.deps, type.slug), 'not_found');
  });
});

describe('a visitor’s posts', () => {
  it('are limited per address and minute (429 with the seconds left), another address unaffected', async () => {
    for (let i = 0; i < booking.POSTS_PER_IP_PER_MINUTE; i++)
      await booking.takeVisitorSlot(t.deps, '203.0.113.7');
    await assert.rejects(booking.takeVisitorSlot(t.deps, '203.0.113.7'), (err: DomainError) => {
      assert.equal(err.code, 'too_many_bookings');
      assert.equal(err.kind, 'rate_limited');
      assert.ok((err.retryAfterSeconds ?? 0) >= 1 && (err.retryAfterSeconds ?? 0) <= 60);
      return true;
    });
    await booking.takeVisitorSlot(t.deps, '203.0.113.8');
    now = new Date(now.getTime() + 60_000);
    await booking.takeVisitorSlot(t.deps, '203.0.113.7');
  });
});

describe('changing an appointment', () => {
  it('moves it (overlapping its old time), gives the old time back and counts the invite’s sequence', async () => {
    const type = await createMeetingType(t.deps, input({ durationMinutes: 60, bufferMinutes: 0 }));
    const a = await booking.book(t.deps, scheduler, type.slug, person('m', '2026-12-08T10:00:00.000Z'));
    const moved = await changes.reschedule(t.deps, scheduler, a.id, '2026-12-08T10:30:00.000Z');
    assert.equal(moved.sequence, 1);
    assert.equal(moved.endsAt, '2026-12-08T11:30:00.000Z');
    const starts = await offered(type.slug);
    assert.ok(starts.includes('2026-12-08T09:00:00.000Z'), 'the old time is free again');
    assert.ok(!starts.includes('2026-12-08T11:00:00.000Z'));
    assert.equal((await t.deps.store.getTask(a.taskId))?.dueAt, '2026-12-08T10:30:00.000Z');
    assert.ok(scheduler.cancelled.includes(`appt-${a.id}-0-reminder-60`));
    assert.ok(scheduler.schedules.has(`appt-${a.id}-1-confirmation`));
    // Someone else can book the time it left.
    await booking.book(t.deps, scheduler, type.slug, person('n', '2026-12-08T09:00:00.000Z'));
  });

  it('cancels: the time is free, the task done, AppointmentClosed; then neither cancel nor move again', async () => {
    const type = await createMeetingType(t.deps, input());
    const a = await booking.book(t.deps, scheduler, type.slug, person('k', '2026-12-10T10:00:00.000Z'));
    const cancelled = await changes.cancel(t.deps, scheduler, a.id, 'invitee');
    assert.equal(cancelled.status, 'cancelled');
    assert.ok((await offered(type.slug)).includes('2026-12-10T10:00:00.000Z'));
    assert.equal((await t.deps.store.getTask(a.taskId))?.status, 'done');
    const closed = (await outboxEvents(t))
      .filter((e) => e.detail.appointmentId === a.id)
      .map((e) => e.detailType);
    assert.deepEqual(closed, ['AppointmentBooked', 'AppointmentClosed']);
    await rejects(changes.cancel(t.deps, scheduler, a.id, 'owner'), 'appointment_closed');
    await rejects(
      changes.reschedule(t.deps, scheduler, a.id, '2026-12-10T11:00:00.000Z'),
      'appointment_closed',
    );
    // The freed time books again.
    await booking.book(t.deps, scheduler, type.slug, person('k2', '2026-12-10T10:00:00.000Z'));
  });

  it('records the outcome only once the meeting has started', async () => {
    const type = await createMeetingType(t.deps, input());
    const a = await booking.book(t.deps, scheduler, type.slug, person('o', '2026-12-08T12:00:00.000Z'));
    await rejects(changes.recordOutcome(t.deps, scheduler, a.id, 'no_show'), 'appointment_not_started');
    now = new Date('2026-12-08T12:40:00Z');
    await rejects(changes.cancel(t.deps, scheduler, a.id, 'invitee'), 'appointment_started');
    const done = await changes.recordOutcome(t.deps, scheduler, a.id, 'no_show');
    assert.equal(done.status, 'no_show');
    assert.equal((await t.deps.store.getTask(a.taskId))?.status, 'done');
  });
});

describe('an email whose schedule fires before its commit', () => {
  const ctx = { mailer: new RecordingMailer(), signingSecret: async () => SECRET, publicUrl: 'https://x' };

  it('is tried again for a while (the booking or change may still land), then dropped', async () => {
    const unknown = {
      appointmentId: '01JF0000000000000000000077',
      email: 'confirmation' as const,
      sequence: 0,
    };
    await assert.rejects(
      fireAppointmentEmail(t.deps, ctx, { ...unknown, plannedAt: now.toISOString() }),
      (err: Error) => err instanceof RetryableError,
    );
    const old = new Date(now.getTime() - 10 * 60_000).toISOString();
    assert.equal(
      await fireAppointmentEmail(t.deps, ctx, { ...unknown, plannedAt: old }),
      'ignored: its booking was never committed',
    );
    // A change's email (sequence 1) before the change commits: tried again too.
    const type = await createMeetingType(t.deps, input());
    const a = await booking.book(t.deps, scheduler, type.slug, person('early', '2026-12-08T13:00:00.000Z'));
    await assert.rejects(
      fireAppointmentEmail(t.deps, ctx, {
        appointmentId: a.id,
        email: 'confirmation',
        sequence: 1,
        plannedAt: now.toISOString(),
      }),
      (err: Error) => err instanceof RetryableError,
    );
    assert.equal(ctx.mailer.sent.length, 0);
  });
});

describe('appointment emails', () => {
  const ctx = (mailer: RecordingMailer) => ({
    mailer,
    signingSecret: async () => SECRET,
    publicUrl: 'https://crm.example.com',
  });

  it('sends each once with the invite, also to a contact unsubscribed from marketing; a superseded one does nothing', async () => {
    const type = await createMeetingType(t.deps, input());
    const a = await booking.book(t.deps, scheduler, type.slug, person('e', '2026-12-11T14:00:00.000Z'));
    await unsubscribe(t.deps, a.contactId, 'link');
    assert.ok((await t.deps.store.getContact(a.contactId))?.unsubscribedAt);
    const mailer = new RecordingMailer();
    const action = { appointmentId: a.id, email: 'confirmation' as const, sequence: 0 };
    assert.equal(await fireAppointmentEmail(t.deps, ctx(mailer), action), 'sent');
    assert.equal(await fireAppointmentEmail(t.deps, ctx(mailer), action), 'already_sent');
    assert.equal(mailer.sent.length, 1);
    const [email] = mailer.sent;
    assert.match(email?.subject ?? '', /^Confirmed: Intro call with Ada Owner/);
    assert.equal(email?.headers['List-Unsubscribe'], undefined);
    const invite = email?.attachments?.[0];
    assert.equal(invite?.filename, 'invite.ics');
    assert.match(invite?.contentType ?? '', /method=REQUEST/);
    assert.match(invite?.content ?? '', /METHOD:REQUEST/);
    assert.match(invite?.content ?? '', new RegExp(`UID:${a.id}@tendril`));
    assert.match(invite?.content ?? '', /DTSTART:20261211T140000Z/);
    assert.match(invite?.content ?? '', /SEQUENCE:0/);
    const link = /https:\/\/crm\.example\.com\/m\/a\/(\S+)"/.exec(email?.html ?? '')?.[1];
    assert.equal(verifyManageToken(SECRET, String(link)), a.id);

    await changes.reschedule(t.deps, scheduler, a.id, '2026-12-11T15:00:00.000Z');
    assert.equal(
      await fireAppointmentEmail(t.deps, ctx(mailer), { ...action, email: 'reminder', minutesBefore: 60 }),
      'ignored: superseded',
    );
    await changes.cancel(t.deps, scheduler, a.id, 'owner');
    assert.equal(
      await fireAppointmentEmail(t.deps, ctx(mailer), {
        appointmentId: a.id,
        email: 'cancellation',
        sequence: 2,
      }),
      'sent',
    );
    const cancellation = mailer.sent.at(-1);
    assert.match(cancellation?.subject ?? '', /^Cancelled:/);
    assert.match(
      cancellation?.attachments?.[0]?.content ?? '',
      /METHOD:CANCEL[\s\S]*SEQUENCE:2[\s\S]*STATUS:CANCELLED/,
    );
  });
});
