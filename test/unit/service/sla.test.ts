/**
 * SLA clocks in business hours: adding and counting business minutes across nights, weekends,
 * holidays and a clock change; due times set at opening, moved by a pause (pending) and by a new
 * priority, a new resolution target on reopening.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Case } from '#service/model.js';
import { addBusinessMinutes, applySla, businessMinutesBetween } from '#service/sla.js';
import { DEFAULT_SERVICE_SETTINGS, raised, type ServiceSettings } from '#service/sla-model.js';

const paris: ServiceSettings = {
  ...DEFAULT_SERVICE_SETTINGS,
  timeZone: 'Europe/Paris',
  holidays: ['2026-12-25'],
};
const d = (iso: string) => new Date(iso);

const aCase = (over: Partial<Case> = {}): Case => ({
  id: '01KCASE0000000000000000000',
  ref: '00000000',
  subject: 'Help',
  status: 'new',
  priority: 'high',
  channel: 'email',
  contactId: 'C',
  email: 'a@example.com',
  tags: [],
  messageCount: 1,
  lastMessageFrom: 'in',
  lastMessageAt: '2026-12-07T08:00:00.000Z',
  version: 1,
  createdAt: '2026-12-07T08:00:00.000Z', // Monday 09:00 in Paris
  updatedAt: '2026-12-07T08:00:00.000Z',
  ...over,
});

describe('business time', () => {
  it('adds business minutes across the night, the weekend and a holiday, in the workspace time zone', () => {
    // Monday 16:00 Paris + 2 h → Tuesday 10:00 (17:00 closes).
    assert.equal(
      addBusinessMinutes(paris, d('2026-12-07T15:00:00Z'), 120).toISOString(),
      '2026-12-08T09:00:00.000Z',
    );
    // Friday 16:30 + 1 h → Monday 09:30.
    assert.equal(
      addBusinessMinutes(paris, d('2026-12-11T15:30:00Z'), 60).toISOString(),
      '2026-12-14T08:30:00.000Z',
    );
    // Saturday: the clock starts on Monday 09:00.
    assert.equal(
      addBusinessMinutes(paris, d('2026-12-12T10:00:00Z'), 30).toISOString(),
      '2026-12-14T08:30:00.000Z',
    );
    // Thursday 24 Dec 16:00 + 2 h: Christmas is a holiday → Monday 28 Dec 10:00.
    assert.equal(
      addBusinessMinutes(paris, d('2026-12-24T15:00:00Z'), 120).toISOString(),
      '2026-12-28T09:00:00.000Z',
    );
    // 24/7 without business hours.
    const always = { ...paris, businessHours: [] };
    assert.equal(
      addBusinessMinutes(always, d('2026-12-12T10:00:00Z'), 90).toISOString(),
      '2026-12-12T11:30:00.000Z',
    );
  });

  it('keeps wall-clock hours across a daylight saving change', () => {
    // Friday 27 March 2026 16:30 Paris (UTC+1) + 1 h → Monday 30 March 09:30 Paris (UTC+2) = 07:30Z.
    assert.equal(
      addBusinessMinutes(paris, d('2026-03-27T15:30:00Z'), 60).toISOString(),
      '2026-03-30T07:30:00.000Z',
    );
  });

  it('counts the business minutes between two instants', () => {
    assert.equal(businessMinutesBetween(paris, d('2026-12-11T15:00:00Z'), d('2026-12-14T09:00:00Z')), 120);
    assert.equal(businessMinutesBetween(paris, d('2026-12-12T09:00:00Z'), d('2026-12-13T20:00:00Z')), 0);
    assert.equal(businessMinutesBetween(paris, d('2026-12-14T09:00:00Z'), d('2026-12-11T15:00:00Z')), 0);
  });
});

describe('SLA clocks', () => {
  it('sets both targets when a case opens, and schedules them', () => {
    const { case: c, timers } = applySla(paris, undefined, aCase(), d('2026-12-07T08:00:00Z'));
    // high: 4 business hours to respond, 16 to resolve.
    assert.equal(c.sla?.firstResponseDue, '2026-12-07T12:00:00.000Z');
    assert.equal(c.sla?.resolutionDue, '2026-12-08T16:00:00.000Z');
    assert.deepEqual(
      timers.map((t) => t.target),
      ['first_response', 'resolution'],
    );
  });

  it('pauses the resolution clock while waiting on the customer, and moves it on by the wait', () => {
    const opened = applySla(paris, undefined, aCase(), d('2026-12-07T08:00:00Z')).case;
    const pending = applySla(paris, opened, { ...opened, status: 'pending' }, d('2026-12-07T10:00:00Z'));
    assert.equal(pending.case.sla?.pausedAt, '2026-12-07T10:00:00.000Z');
    assert.deepEqual(pending.timers, []);
    // Waiting from Monday 11:00 to Tuesday 10:00 Paris: 6 + 1 = 7 business hours.
    const back = applySla(
      paris,
      pending.case,
      { ...pending.case, status: 'open' },
      d('2026-12-08T09:00:00Z'),
    );
    assert.equal(back.case.sla?.pausedAt, undefined);
    assert.equal(back.case.sla?.resolutionDue, '2026-12-09T15:00:00.000Z');
    assert.deepEqual(back.timers, [{ target: 'resolution', dueAt: '2026-12-09T15:00:00.000Z' }]);
  });

  it('sets the targets again from the opening on a new priority, and gives a reopened case a new resolution target', () => {
    const opened = applySla(paris, undefined, aCase(), d('2026-12-07T08:00:00Z')).case;
    const urgent = applySla(paris, opened, { ...opened, priority: 'urgent' }, d('2026-12-07T08:30:00Z'));
    assert.equal(urgent.case.sla?.firstResponseDue, '2026-12-07T09:00:00.000Z');
    const answered = {
      ...urgent.case,
      firstResponseAt: '2026-12-07T08:40:00.000Z',
      status: 'resolved' as const,
    };
    const low = applySla(paris, urgent.case, { ...answered, priority: 'low' }, d('2026-12-07T09:00:00Z'));
    assert.deepEqual(low.timers, [], 'a met first response and a resolved case need no timer');
    const reopened = applySla(paris, low.case, { ...low.case, status: 'open' }, d('2026-12-08T08:00:00Z'));
    // low: 80 business hours from Tuesday 09:00 → the 10th business day's end, Monday 21 December 17:00.
    assert.deepEqual(reopened.timers, [{ target: 'resolution', dueAt: '2026-12-21T16:00:00.000Z' }]);
  });

  it('raises a priority one step at a time', () => {
    assert.equal(raised('low'), 'normal');
    assert.equal(raised('high'), 'urgent');
    assert.equal(raised('urgent'), 'urgent');
  });
});
