/**
 * Customer service metrics on DynamoDB Local: case events projected into the counters (in any order,
 * one redelivered, one rating changed) and read back through the dashboard.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { type DetailType, type EventPayload, makeEvent, parseEvent } from '#platform/events.js';
import { openCase, updateCase } from '#service/cases.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable(() => new Date('2026-06-03T18:00:00.000Z'));
});

let seq = 0;
const event = <T extends DetailType>(type: T, occurredAt: string, payload: EventPayload<T>) =>
  makeEvent(type, payload, { eventId: `01JS${String(++seq).padStart(22, '0')}`, occurredAt });
const opened = '2026-06-01T08:00:00.000Z';
const kase = (caseId: string, assignee?: string) => ({
  caseId,
  contactId: `c-${caseId}`,
  priority: 'normal',
  openedAt: opened,
  ...(assignee ? { assignee } : {}),
});

describe('service metrics on the dashboard', () => {
  it('project response and resolution times, SLA breaches, CSAT and the backlog, each event once', async () => {
    const assigned = event('CaseAssigned', '2026-06-01T08:01:00.000Z', {
      ...kase('k2', 'grace'),
      status: 'new',
      to: 'grace',
    });
    const events = [
      // k1: unassigned, first response in 4 minutes, resolved after an hour, rated 5 then 3.
      event('CaseCreated', opened, { ...kase('k1'), channel: 'api' }),
      event('CaseStatusChanged', '2026-06-01T08:04:00.000Z', { ...kase('k1'), from: 'new', to: 'open' }),
      event('CaseReplied', '2026-06-01T08:04:00.000Z', { ...kase('k1'), messageId: 'm1', first: true }),
      event('CaseReplied', '2026-06-01T08:30:00.000Z', { ...kase('k1'), messageId: 'm2', first: false }),
      event('CaseStatusChanged', '2026-06-01T09:00:00.000Z', { ...kase('k1'), from: 'open', to: 'resolved' }),
      event('CaseResolved', '2026-06-01T09:00:00.000Z', kase('k1')),
      event('CaseRated', '2026-06-01T10:00:00.000Z', { ...kase('k1'), rating: 5 }),
      event('CaseRated', '2026-06-02T10:00:00.000Z', { ...kase('k1'), rating: 3, previous: 5 }),
      // k2: assigned to grace, first response after 2½ hours, past its SLA target; still open.
      event('CaseCreated', opened, { ...kase('k2'), channel: 'email' }),
      assigned,
      event('CaseSlaBreached', '2026-06-01T09:00:00.000Z', {
        ...kase('k2', 'grace'),
        target: 'first_response',
        dueAt: '2026-06-01T09:00:00.000Z',
      }),
      event('CaseStatusChanged', '2026-06-01T10:30:00.000Z', {
        ...kase('k2', 'grace'),
        from: 'new',
        to: 'open',
      }),
      event('CaseReplied', '2026-06-01T10:30:00.000Z', {
        ...kase('k2', 'grace'),
        messageId: 'm3',
        first: true,
        late: true,
      }),
      // k3: ada's, pending, resolved two days later past its resolution target, rated 4, reopened by
      // the customer and then closed.
      event('CaseCreated', opened, { ...kase('k3', 'ada'), channel: 'ui' }),
      event('CaseStatusChanged', '2026-06-01T08:10:00.000Z', {
        ...kase('k3', 'ada'),
        from: 'new',
        to: 'pending',
      }),
      event('CaseReplied', '2026-06-01T08:10:00.000Z', {
        ...kase('k3', 'ada'),
        messageId: 'm4',
        first: true,
      }),
      event('CaseSlaBreached', '2026-06-02T08:00:00.000Z', {
        ...kase('k3', 'ada'),
        target: 'resolution',
        dueAt: '2026-06-02T08:00:00.000Z',
      }),
      event('CaseStatusChanged', '2026-06-03T09:00:00.000Z', {
        ...kase('k3', 'ada'),
        from: 'pending',
        to: 'resolved',
      }),
      event('CaseResolved', '2026-06-03T09:00:00.000Z', { ...kase('k3', 'ada'), late: true }),
      event('CaseRated', '2026-06-03T10:00:00.000Z', { ...kase('k3', 'ada'), rating: 4 }),
      event('CaseStatusChanged', '2026-06-03T11:00:00.000Z', {
        ...kase('k3', 'ada'),
        from: 'resolved',
        to: 'open',
      }),
      event('CaseStatusChanged', '2026-06-03T12:00:00.000Z', {
        ...kase('k3', 'ada'),
        from: 'open',
        to: 'closed',
      }),
      // k5 (opened before the range): its first response target missed, and never answered.
      event('CaseSlaBreached', '2026-06-02T09:00:00.000Z', {
        ...kase('k5'),
        target: 'first_response',
        dueAt: '2026-06-02T09:00:00.000Z',
      }),
      // k4: ada's, new, moved from ada to grace and back.
      event('CaseCreated', opened, { ...kase('k4', 'ada'), channel: 'ui' }),
      event('CaseAssigned', '2026-06-03T12:00:00.000Z', {
        ...kase('k4', 'grace'),
        status: 'new',
        from: 'ada',
        to: 'grace',
      }),
      event('CaseAssigned', '2026-06-03T13:00:00.000Z', {
        ...kase('k4', 'ada'),
        status: 'new',
        from: 'grace',
        to: 'ada',
      }),
    ];
    // The bus keeps no order: applied last to first, the gauges come out the same.
    for (const e of [...events].reverse()) await projectEvent(t.deps, e);
    // Redelivered: counted once.
    assert.equal(await projectEvent(t.deps, assigned), 'duplicate');

    const board = await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-03' });
    const s = board.service;
    assert.equal(s.opened, 4);
    // First responses: 4 m (≤ 5 m), 2½ h (≤ 4 h), 10 m (≤ 15 m): median rank 2, p90 rank 3.
    assert.equal(s.firstResponse.count, 3);
    assert.deepEqual(s.firstResponse.median, { minutes: 15, over: false });
    assert.deepEqual(s.firstResponse.p90, { minutes: 240, over: false });
    assert.deepEqual(
      s.firstResponse.histogram.filter((b) => b.count > 0),
      [
        { upToMinutes: 5, count: 1 },
        { upToMinutes: 15, count: 1 },
        { upToMinutes: 240, count: 1 },
      ],
    );
    // Resolutions: 1 h (≤ 1 h) and 49 h (≤ 3 d).
    assert.equal(s.resolution.count, 2);
    assert.deepEqual(s.resolution.median, { minutes: 60, over: false });
    assert.deepEqual(s.resolution.p90, { minutes: 4320, over: false });
    // Of the first response targets decided (3 answered, k5 missed and not answered), 2 in time; a
    // late answer and its breach count once.
    assert.deepEqual(s.sla, {
      firstResponse: { total: 3, breached: 2, late: 1, withinPercent: 50 },
      resolution: { total: 2, breached: 1, late: 1, withinPercent: 50 },
    });
    // k1's 5 became a 3; k3 got a 4.
    assert.deepEqual(s.csat, {
      count: 2,
      average: 3.5,
      satisfiedPercent: 50,
      byAssignee: [
        { count: 1, average: 3, satisfiedPercent: 0 },
        { assignee: 'ada', count: 1, average: 4, satisfiedPercent: 100 },
      ],
    });
    assert.deepEqual(s.backlog, {
      total: 2,
      byStatus: { new: 1, open: 1, pending: 0 },
      byAssignee: [
        { assignee: 'ada', count: 1 },
        { assignee: 'grace', count: 1 },
      ],
    });

    // One day: only that day's responses and resolutions (the backlog is now, whatever the range).
    const first = (await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-01' })).service;
    assert.equal(first.resolution.count, 1);
    assert.deepEqual(first.resolution.p90, { minutes: 60, over: false });
    assert.deepEqual(first.sla.resolution, { total: 1, breached: 0, late: 0, withinPercent: 100 });
    assert.equal(first.backlog.total, 2);
    const later = (await dashboard(t.deps, { from: '2026-06-04', to: '2026-06-05' })).service;
    assert.equal(later.firstResponse.count, 0);
    assert.equal(later.firstResponse.median, undefined);
    assert.deepEqual(later.sla.firstResponse, { total: 0, breached: 0, late: 0 });
    assert.deepEqual(later.csat, { count: 0, byAssignee: [] });
  });

  it('keep the backlog right when one change moves a case’s status and agent', async () => {
    // A table of its own: the gauges count every case in it.
    const own = await createTestTable(() => new Date('2026-06-03T18:00:00.000Z'));
    const c = await openCase(own.deps, {
      subject: 'Refund',
      email: 'ines@example.com',
      priority: 'normal',
      channel: 'api',
      tags: [],
      message: { kind: 'inbound', text: 'Please refund me.', attachments: [] },
    });
    await updateCase(own.deps, c.id, { assignee: 'ada' });
    // Resolved and handed to grace at once, then reopened: grace's, open.
    await updateCase(own.deps, c.id, { status: 'resolved', assignee: 'grace' });
    await updateCase(own.deps, c.id, { status: 'open' });
    const other = await openCase(own.deps, {
      subject: 'Login',
      email: 'omar@example.com',
      priority: 'high',
      channel: 'api',
      assignee: 'ada',
      tags: [],
      message: { kind: 'inbound', text: 'Cannot log in.', attachments: [] },
    });
    // Answered, set pending and unassigned at once.
    await updateCase(own.deps, other.id, { status: 'pending', assignee: null });
    const events = (await outboxEvents(own)).map((e) => parseEvent(e.detailType, e.detail));
    for (const e of events.reverse()) await projectEvent(own.deps, e);
    const s = (await dashboard(own.deps, { from: '2026-06-03', to: '2026-06-03' })).service;
    assert.deepEqual(s.backlog, {
      total: 2,
      byStatus: { new: 0, open: 1, pending: 1 },
      byAssignee: [{ count: 1 }, { assignee: 'grace', count: 1 }],
    });
    assert.equal(s.opened, 2);
    assert.equal(s.resolution.count, 1);
  });
});
