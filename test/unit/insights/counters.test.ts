import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterDeltas } from '#insights/counters.js';
import { dayRange } from '#insights/dashboard.js';
import { sourceDeltas } from '#insights/source-revenue.js';
import { DomainError } from '#platform/errors.js';
import { type DetailType, type EventDetail, makeEvent } from '#platform/events.js';

const meta = { eventId: '01JF00000000000000000000AA', occurredAt: '2026-11-20T10:00:00.000Z' };
const ev = <T extends DetailType>(
  type: T,
  payload: Omit<EventDetail<T>, 'version' | 'eventId' | 'occurredAt'>,
) => makeEvent(type, payload, meta);

describe('dashboard counters', () => {
  it('counts a new contact per day and source, and in the total', () => {
    assert.deepEqual(
      counterDeltas(ev('ContactCreated', { contactId: 'c', email: 'a@b.c', source: 'webinar' })),
      [
        { group: 'LEADS', bucket: '2026-11-20#webinar', deltas: { count: 1 } },
        { group: 'TOTALS', bucket: 'contacts', deltas: { count: 1 } },
      ],
    );
  });

  it('takes a deleted contact out of the total and of each of its tags', () => {
    assert.deepEqual(counterDeltas(ev('ContactDeleted', { contactId: 'c', tags: ['a', 'b'] })), [
      { group: 'TOTALS', bucket: 'contacts', deltas: { count: -1 } },
      { group: 'TAGS', bucket: 'a', deltas: { count: -1 } },
      { group: 'TAGS', bucket: 'b', deltas: { count: -1 } },
    ]);
  });

  it('takes an erased contact out of its lifecycle stage when the event says which', () => {
    assert.deepEqual(
      counterDeltas(
        ev('ContactDeleted', { contactId: 'c', tags: [], lifecycleStage: 'marketing_qualified_lead' }),
      ),
      [
        { group: 'TOTALS', bucket: 'contacts', deltas: { count: -1 } },
        { group: 'STAGES', bucket: 'marketing_qualified_lead', deltas: { count: -1 } },
      ],
    );
  });

  it('moves a deal amount between stages, and merges deltas on one bucket', () => {
    const moved = counterDeltas(
      ev('DealStageChanged', {
        dealId: 'd',
        pipelineId: 'p',
        fromStage: 'A',
        toStage: 'B',
        previous: { stage: 'A', amount: 100.1, currency: 'EUR' },
        current: { stage: 'B', amount: 100.1, currency: 'EUR' },
      }),
    );
    assert.deepEqual(moved, [
      { group: 'PIPELINE#p', bucket: 'A#EUR', deltas: { count: -1, amount: -100.1 } },
      { group: 'PIPELINE#p', bucket: 'B#EUR', deltas: { count: 1, amount: 100.1 } },
    ]);
    const repriced = counterDeltas(
      ev('DealUpdated', {
        dealId: 'd',
        pipelineId: 'p',
        previous: { stage: 'A', amount: 0.1, currency: 'EUR' },
        current: { stage: 'A', amount: 0.3, currency: 'EUR' },
      }),
    );
    assert.deepEqual(repriced, [{ group: 'PIPELINE#p', bucket: 'A#EUR', deltas: { count: 0, amount: 0.2 } }]);
  });

  it('counts email sends, engagement and bounces per template and workflow; transient events count nothing', () => {
    assert.deepEqual(
      counterDeltas(
        ev('EmailEngaged', {
          contactId: 'c',
          messageId: 'm',
          type: 'clicked',
          templateId: 't',
          workflowId: 'w',
        }),
      ),
      [
        { group: 'EMAIL', bucket: '2026-11-20#template#t', deltas: { clicked: 1 } },
        { group: 'EMAIL', bucket: '2026-11-20#workflow#w', deltas: { clicked: 1 } },
      ],
    );
    assert.deepEqual(counterDeltas(ev('ContactSuppressed', { email: 'a@b.c', reason: 'complaint' })), []);
    assert.deepEqual(counterDeltas(ev('ContactUpdated', { contactId: 'c', changed: ['x'] })), []);
  });

  it('moves a contact between lifecycle stages, and credits a won deal to its touches’ sources and campaigns', () => {
    assert.deepEqual(
      counterDeltas(
        ev('LifecycleStageChanged', {
          contactId: 'c',
          fromStage: 'lead',
          toStage: 'customer',
          reason: 'deal_won',
        }),
      ),
      [
        { group: 'STAGES', bucket: 'lead', deltas: { count: -1 } },
        { group: 'STAGES', bucket: 'customer', deltas: { count: 1 } },
        // The day's moves into the stage (the tiles' MQLs and other movements).
        { group: 'STAGE_MOVES', bucket: '2026-11-20#customer', deltas: { count: 1 } },
      ],
    );
    const touch = (source: string, campaign?: string) => ({
      source,
      ...(campaign ? { campaign } : {}),
      at: meta.occurredAt,
      via: 'form' as const,
    });
    assert.deepEqual(
      sourceDeltas({ first: touch('linkedin', 'spring'), last: undefined }, 100, 'EUR', meta.occurredAt),
      [
        {
          group: 'SOURCE_REVENUE',
          bucket: '2026-11-20#linkedin',
          deltas: { 'revenueFirst#EUR': 100, wonFirst: 1 },
        },
        {
          group: 'UTM_REVENUE',
          bucket: '2026-11-20#spring',
          deltas: { 'revenueFirst#EUR': 100, wonFirst: 1 },
        },
        {
          group: 'SOURCE_REVENUE',
          bucket: '2026-11-20#direct',
          deltas: { 'revenueLast#EUR': 100, wonLast: 1 },
        },
      ],
    );
    assert.deepEqual(
      sourceDeltas({ first: touch('google'), last: touch('google') }, 50, 'USD', meta.occurredAt),
      [
        {
          group: 'SOURCE_REVENUE',
          bucket: '2026-11-20#google',
          deltas: { 'revenueFirst#USD': 50, wonFirst: 1, 'revenueLast#USD': 50, wonLast: 1 },
        },
      ],
      'one source both first and last: one update',
    );
  });

  it('resolves report ranges: last 30 days by default, at most 366 days, from before to', () => {
    assert.deepEqual(dayRange({}, new Date('2026-11-23T12:00:00Z')), {
      from: '2026-10-25',
      to: '2026-11-23',
    });
    assert.throws(() => dayRange({ from: '2026-01-02', to: '2026-01-01' }, new Date()), DomainError);
    assert.throws(() => dayRange({ from: '2025-01-01', to: '2026-11-01' }, new Date()), DomainError);
  });
});
