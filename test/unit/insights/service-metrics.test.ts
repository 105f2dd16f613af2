import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterDeltas } from '#insights/counters.js';
import {
  DURATION_BOUNDS_MINUTES,
  durationBucket,
  type Histogram,
  histogramOf,
  histogramPercentile,
  minutesBetween,
} from '#insights/service-metrics.js';
import { type DetailType, type EventDetail, makeEvent } from '#platform/events.js';

const meta = { eventId: '01JF00000000000000000000AA', occurredAt: '2026-11-20T10:00:00.000Z' };
const ev = <T extends DetailType>(
  type: T,
  payload: Omit<EventDetail<T>, 'version' | 'eventId' | 'occurredAt'>,
) => makeEvent(type, payload, meta);
const base = { caseId: 'k', contactId: 'c', priority: 'normal', openedAt: '2026-11-19T10:00:00.000Z' };

/** A histogram with these counts in the bounds' order (the last: `more`). */
const hist = (counts: number[]): Histogram => [
  ...DURATION_BOUNDS_MINUTES.map((b, i) => ({ upToMinutes: b as number | null, count: counts[i] ?? 0 })),
  { upToMinutes: null, count: counts[DURATION_BOUNDS_MINUTES.length] ?? 0 },
];

describe('service metrics: the duration histogram', () => {
  it('puts a duration in the smallest bucket whose bound it does not exceed', () => {
    assert.equal(durationBucket(0), '5');
    assert.equal(durationBucket(5), '5');
    assert.equal(durationBucket(5.01), '15');
    assert.equal(durationBucket(60), '60');
    assert.equal(durationBucket(61), '120');
    assert.equal(durationBucket(1440), '1440');
    assert.equal(durationBucket(20160), '20160');
    assert.equal(durationBucket(20161), 'more');
  });

  it('measures minutes between instants, never negative', () => {
    assert.equal(minutesBetween('2026-11-20T10:00:00.000Z', '2026-11-20T11:30:00.000Z'), 90);
    assert.equal(minutesBetween('2026-11-20T10:00:00.000Z', '2026-11-20T09:59:00.000Z'), 0);
  });

  it('reads the median and p90 by nearest rank as the bucket’s upper bound', () => {
    // 10 values: 3 ≤ 5 m, 4 ≤ 15 m, 2 ≤ 1 h, 1 ≤ 1 d.
    const h = hist([3, 4, 0, 2, 0, 0, 0, 1]);
    assert.deepEqual(histogramPercentile(h, 0.5), { minutes: 15, over: false }); // rank 5
    assert.deepEqual(histogramPercentile(h, 0.9), { minutes: 60, over: false }); // rank 9
    assert.deepEqual(histogramPercentile(h, 1), { minutes: 1440, over: false });
    // rank 3 is the last value of the first bucket: ⌈0.3·10⌉ = 3.
    assert.deepEqual(histogramPercentile(h, 0.3), { minutes: 5, over: false });
    assert.deepEqual(histogramPercentile(h, 0.31), { minutes: 15, over: false });
  });

  it('takes one value as every percentile, and nothing as none', () => {
    const one = hist([0, 0, 0, 0, 1]);
    assert.deepEqual(histogramPercentile(one, 0.5), { minutes: 120, over: false });
    assert.deepEqual(histogramPercentile(one, 0.9), { minutes: 120, over: false });
    assert.equal(histogramPercentile(hist([]), 0.5), undefined);
  });

  it('says “over” the last bound when the percentile falls in the overflow bucket', () => {
    const h = hist([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    assert.deepEqual(histogramPercentile(h, 0.5), { minutes: 20160, over: true });
    assert.deepEqual(histogramPercentile(h, 0.1), { minutes: 5, over: false });
  });

  it('reads a histogram from counter fields, ignoring other fields and negatives', () => {
    const h = histogramOf(
      { 'firstResponse#5': 2, 'firstResponse#more': 1, 'resolution#5': 7, 'firstResponse#60': -1 },
      'firstResponse',
    );
    assert.equal(h.length, DURATION_BOUNDS_MINUTES.length + 1);
    assert.deepEqual(
      h.filter((b) => b.count > 0),
      [
        { upToMinutes: 5, count: 2 },
        { upToMinutes: null, count: 1 },
      ],
    );
  });
});

describe('service metrics: counter deltas, one bounded update per event', () => {
  it('counts a new case per day and in the backlog by status and agent', () => {
    assert.deepEqual(counterDeltas(ev('CaseCreated', { ...base, channel: 'api' })), [
      { group: 'SERVICE', bucket: '2026-11-20', deltas: { opened: 1 } },
      { group: 'SERVICE_BACKLOG', bucket: 'status', deltas: { new: 1 } },
      { group: 'SERVICE_BACKLOG', bucket: 'agent#', deltas: { count: 1 } },
    ]);
  });

  it('adds a first response (not a later reply) and a resolution to the day’s histograms', () => {
    assert.deepEqual(counterDeltas(ev('CaseReplied', { ...base, messageId: 'm', first: true })), [
      { group: 'SERVICE', bucket: '2026-11-20', deltas: { 'firstResponse#1440': 1 } },
    ]);
    assert.deepEqual(counterDeltas(ev('CaseReplied', { ...base, messageId: 'm', first: false })), []);
    assert.deepEqual(counterDeltas(ev('CaseResolved', { ...base, openedAt: '2026-11-20T09:50:00.000Z' })), [
      { group: 'SERVICE', bucket: '2026-11-20', deltas: { 'resolution#15': 1 } },
    ]);
  });

  it('counts SLA breaches per target', () => {
    assert.deepEqual(
      counterDeltas(ev('CaseSlaBreached', { ...base, target: 'first_response', dueAt: meta.occurredAt })),
      [{ group: 'SERVICE', bucket: '2026-11-20', deltas: { 'breached#first_response': 1 } }],
    );
  });

  it('moves a case between status gauges; leaving or re-entering the active ones moves its agent’s', () => {
    assert.deepEqual(
      counterDeltas(ev('CaseStatusChanged', { ...base, assignee: 'ada', from: 'new', to: 'open' })),
      [{ group: 'SERVICE_BACKLOG', bucket: 'status', deltas: { new: -1, open: 1 } }],
    );
    assert.deepEqual(
      counterDeltas(ev('CaseStatusChanged', { ...base, assignee: 'ada', from: 'pending', to: 'resolved' })),
      [
        { group: 'SERVICE_BACKLOG', bucket: 'status', deltas: { pending: -1 } },
        { group: 'SERVICE_BACKLOG', bucket: 'agent#ada', deltas: { count: -1 } },
      ],
    );
    assert.deepEqual(counterDeltas(ev('CaseStatusChanged', { ...base, from: 'closed', to: 'open' })), [
      { group: 'SERVICE_BACKLOG', bucket: 'status', deltas: { open: 1 } },
      { group: 'SERVICE_BACKLOG', bucket: 'agent#', deltas: { count: 1 } },
    ]);
    assert.deepEqual(counterDeltas(ev('CaseStatusChanged', { ...base, from: 'resolved', to: 'closed' })), []);
  });

  it('moves an active case between agents, and leaves a done one alone', () => {
    assert.deepEqual(
      counterDeltas(ev('CaseAssigned', { ...base, assignee: 'grace', status: 'open', to: 'grace' })),
      [
        { group: 'SERVICE_BACKLOG', bucket: 'agent#', deltas: { count: -1 } },
        { group: 'SERVICE_BACKLOG', bucket: 'agent#grace', deltas: { count: 1 } },
      ],
    );
    assert.deepEqual(
      counterDeltas(ev('CaseAssigned', { ...base, status: 'resolved', from: 'grace', to: 'ada' })),
      [],
    );
  });

  it('adds a rating to its case’s opening day and agent; a changed one replaces the previous', () => {
    assert.deepEqual(counterDeltas(ev('CaseRated', { ...base, assignee: 'ada', rating: 5 })), [
      {
        group: 'SERVICE_CSAT',
        bucket: '2026-11-19#ada',
        deltas: { count: 1, sum: 5, satisfied: 1 },
      },
    ]);
    assert.deepEqual(counterDeltas(ev('CaseRated', { ...base, rating: 2, previous: 5 })), [
      { group: 'SERVICE_CSAT', bucket: '2026-11-19#', deltas: { count: 0, sum: -3, satisfied: -1 } },
    ]);
  });
});
