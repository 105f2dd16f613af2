/**
 * Appointments' pure parts: the times a page offers (working hours in its time zone across a clock
 * change, midnight as an end, notice, horizon, held blocks with buffers), the blocks a meeting holds,
 * the calendar invite, and the signed link's token.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appointmentInvite } from '#appointments/ics.js';
import { signManageToken, verifyManageToken } from '#appointments/manage-token.js';
import type { Appointment, MeetingType } from '#appointments/model.js';
import { blocksOf, freeSlots, isOffered } from '#appointments/slots.js';

const type = (over: Partial<MeetingType> = {}): MeetingType => ({
  id: '01JF0000000000000000000000',
  slug: 'intro',
  name: 'Intro',
  ownerName: 'Ada',
  ownerEmail: 'ada@example.com',
  durationMinutes: 30,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 3,
  timeZone: 'Europe/Paris',
  workingHours: [{ day: 'sun', start: '01:00', end: '04:00' }],
  remindersMinutesBefore: [],
  active: true,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});
const starts = (t: MeetingType, now: Date, busy: string[] = []) =>
  freeSlots(t, new Set(busy), now).flatMap((d) => d.starts);

describe('the times a booking page offers', () => {
  it('follow the wall clock of the page’s zone across a clock change (02:00–03:00 skipped in Paris)', () => {
    // Sunday 29 March 2026: clocks go from 02:00 to 03:00 in Paris.
    const offered = starts(type(), new Date('2026-03-28T12:00:00Z'));
    assert.deepEqual(offered, [
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T00:30:00.000Z', // 01:30 CET
      // 02:00 does not exist: read as 03:00 CEST (01:00Z), as calendars do.
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z', // 03:30 CEST, the last to end by 04:00
    ]);
  });

  it('take 24:00 as the end of the day, and leave out what starts before the notice or after the horizon', () => {
    const t = type({
      timeZone: 'UTC',
      durationMinutes: 60,
      minNoticeMinutes: 90,
      horizonDays: 1,
      workingHours: ['mon', 'tue'].map((day) => ({ day: day as 'mon', start: '22:00', end: '24:00' })),
    });
    const offered = starts(t, new Date('2026-12-07T21:00:00Z')); // a Monday
    // 22:00 is within the 90 minutes' notice; 23:00 ends at midnight; Tuesday's 22:00 is past the
    // horizon (a day: until Tuesday 21:00).
    assert.deepEqual(offered, ['2026-12-07T22:30:00.000Z', '2026-12-07T23:00:00.000Z']);
  });

  it('leave out every start whose meeting or buffer would touch a held block, and nothing else', () => {
    const t = type({
      timeZone: 'UTC',
      bufferMinutes: 15,
      workingHours: [{ day: 'mon', start: '09:00', end: '12:00' }],
    });
    const now = new Date('2026-12-07T00:00:00Z');
    const all = starts(t, now);
    const held = blocksOf(new Date('2026-12-07T10:00:00Z'), 30, 15);
    assert.deepEqual(held, [
      '2026-12-07T10:00:00.000Z',
      '2026-12-07T10:15:00.000Z',
      '2026-12-07T10:30:00.000Z',
    ]);
    const free = starts(t, now, held);
    // 09:30 (+15 min buffer reaches 10:00… 10:15) and 10:00 and 10:30 go; 09:00 and 11:00 stay.
    assert.deepEqual(
      all.filter((s) => !free.includes(s)),
      ['2026-12-07T09:30:00.000Z', '2026-12-07T10:00:00.000Z', '2026-12-07T10:30:00.000Z'],
    );
    assert.equal(isOffered(t, new Date('2026-12-07T10:10:00Z'), now), false, 'off the grid');
    assert.equal(isOffered(t, new Date('2026-12-07T11:30:00Z'), now), true);
    assert.deepEqual(starts(type({ active: false }), now), []);
  });
});

describe('the calendar invite', () => {
  const appointment: Appointment = {
    id: '01JF0000000000000000000001',
    meetingTypeId: '01JF0000000000000000000000',
    meetingName: 'Intro; call, with "quotes"',
    contactId: '01JF0000000000000000000002',
    name: 'Grace Hopper',
    email: 'grace@example.com',
    ownerName: 'Ada Owner',
    ownerEmail: 'ada@example.com',
    startsAt: '2026-12-08T10:00:00.000Z',
    endsAt: '2026-12-08T10:30:00.000Z',
    timeZone: 'Europe/Paris',
    blocks: [],
    bufferMinutes: 0,
    remindersMinutesBefore: [],
    status: 'booked',
    taskId: '01JF0000000000000000000003',
    sequence: 2,
    version: 3,
    createdAt: '2026-12-01T00:00:00Z',
    updatedAt: '2026-12-01T00:00:00Z',
  };
  const now = new Date('2026-12-01T12:00:00Z');

  it('is a REQUEST with the appointment’s UID and SEQUENCE, UTC times, escaped text and CRLF lines', () => {
    const ics = appointmentInvite(appointment, 'https://crm.example.com/m/a/token', now);
    assert.ok(ics.split('\r\n').length > 10, 'CRLF line ends');
    for (const line of [
      'METHOD:REQUEST',
      `UID:${appointment.id}@tendril`,
      'SEQUENCE:2',
      'DTSTART:20261208T100000Z',
      'DTEND:20261208T103000Z',
      'STATUS:CONFIRMED',
    ])
      assert.ok(ics.split('\r\n').includes(line), line);
    assert.match(ics, /SUMMARY:Intro\\; call\\, with "quotes" with Ada Owner/);
    assert.match(ics, /ORGANIZER;CN="Ada Owner":mailto:ada@example\.com/);
    assert.ok(
      ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75),
      'folded at 75 octets',
    );
  });

  it('is a CANCEL once the appointment is cancelled', () => {
    const ics = appointmentInvite({ ...appointment, status: 'cancelled', sequence: 3 }, 'https://x', now);
    for (const line of ['METHOD:CANCEL', 'STATUS:CANCELLED', 'SEQUENCE:3'])
      assert.ok(ics.includes(line), line);
    assert.match(ics, /DESCRIPTION:This meeting is cancelled/);
  });

  it('keeps double quotes out of a quoted name (RFC 5545 has no escape for them there)', () => {
    const ics = appointmentInvite(
      { ...appointment, ownerName: 'Dr. "Q", Jr', name: 'Eve "E" Doe' },
      'x',
      now,
    );
    assert.match(ics, /ORGANIZER;CN="Dr\. 'Q', Jr":mailto:/);
    assert.match(ics.replace(/\r\n /g, ''), /ATTENDEE;[^\r]*CN="Eve 'E' Doe"/);
  });
});

describe('the signed link’s token', () => {
  it('names its appointment, and nothing for a forged, cut or other key’s token', () => {
    const id = '01JF0000000000000000000001';
    const token = signManageToken('secret-one', id);
    assert.equal(verifyManageToken('secret-one', token), id);
    assert.equal(verifyManageToken('secret-two', token), undefined);
    assert.equal(verifyManageToken('secret-one', token.slice(0, -1)), undefined);
    assert.equal(
      verifyManageToken('secret-one', `01JF0000000000000000000009.${token.split('.')[1]}`),
      undefined,
    );
    assert.equal(verifyManageToken('secret-one', `${token}.x`), undefined);
    assert.equal(verifyManageToken('secret-one', ''), undefined);
  });
});
