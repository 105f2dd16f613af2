/** Dashboard counters under a burst: 1,000 events on one day's bucket, concurrently, lose nothing. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { DomainError } from '#platform/errors.js';
import { makeEvent } from '#platform/events.js';
import { createPipeline } from '#sales/pipelines.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable(() => new Date('2026-06-01T18:00:00.000Z'));
});

/** As the consumer's invocation would be retried (Lambda's async retries) when the table is busy. */
async function project(event: Parameters<typeof projectEvent>[1]) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await projectEvent(t.deps, event);
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === 'busy') || attempt > 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
  }
}

describe('dashboard counters', () => {
  it('count 1,000 concurrent events on one bucket exactly, and a redelivered event once', async () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      makeEvent(
        'ContactCreated',
        { contactId: `c${i}`, source: 'webinar' },
        { eventId: `01JF${String(i).padStart(22, '0')}`, occurredAt: '2026-06-01T12:00:00.000Z' },
      ),
    );
    const outcomes = await Promise.all(events.map(project));
    assert.equal(outcomes.filter((o) => o === 'applied').length, 1000);
    // Redelivered: counted once.
    assert.equal(await project(events[7] as (typeof events)[number]), 'duplicate');
    const board = await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-01' });
    assert.equal(board.leads.total, 1000);
    assert.deepEqual(board.leads.bySource, { webinar: 1000 });
    assert.equal(board.contacts.total, 1000);
    // No single item took the burst: the day's bucket is spread over its shards.
    const items = (await t.items()).filter((i) => i.PK === 'DASH#LEADS');
    assert.ok(items.length >= 12, `${items.length} counter items`);
    assert.ok(items.every((i) => Number(i.count) < 150));
  });

  it('count a deal in a stage whose name holds the key separator under that stage and its currency', async () => {
    const pipeline = await createPipeline(t.deps, {
      name: 'Hash',
      stages: [
        { name: 'Lead', probability: 0.1 },
        { name: 'Won#EUR', probability: 1 },
      ],
    });
    const event = makeEvent(
      'DealCreated',
      { dealId: 'd1', pipelineId: pipeline.id, current: { stage: 'Won#EUR', amount: 120, currency: 'USD' } },
      { eventId: '01JF0000000000000000000D01', occurredAt: '2026-06-01T12:00:00.000Z' },
    );
    assert.equal(await project(event), 'applied');
    const board = await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-01' });
    const stages = board.pipelines.find((p) => p.pipelineId === pipeline.id)?.stages;
    assert.deepEqual(
      stages?.map((s) => [s.stage, s.count, s.values.map((v) => `${v.amount} ${v.currency}`)]),
      [
        ['Lead', 0, []],
        ['Won#EUR', 1, ['120 USD']],
      ],
    );
  });

  it('add purchases per currency exactly (in minor units), never across currencies, and only in the range', async () => {
    const purchase = (i: number, currency: string, total: number, occurredAt = '2026-06-01T09:00:00.000Z') =>
      makeEvent(
        'PurchaseMade',
        { purchaseId: `p${i}`, contactId: `c${i}`, source: 'shop', total, currency, created: false },
        { eventId: `01JP${String(i).padStart(22, '0')}`, occurredAt },
      );
    const events = [
      ...Array.from({ length: 10 }, (_, i) => purchase(i, 'EUR', 0.1)),
      purchase(10, 'KWD', 1.005),
      purchase(11, 'KWD', 2.001),
      purchase(12, 'JPY', 1200),
      purchase(13, 'EUR', 99, '2026-05-01T09:00:00.000Z'),
    ];
    await Promise.all(events.map(project));
    assert.equal(await project(events[0] as (typeof events)[number]), 'duplicate');
    const board = await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-01' });
    assert.deepEqual(board.purchases, [
      { currency: 'EUR', count: 10, total: 1 },
      { currency: 'KWD', count: 2, total: 3.006 },
      { currency: 'JPY', count: 1, total: 1200 },
    ]);
  });
});
