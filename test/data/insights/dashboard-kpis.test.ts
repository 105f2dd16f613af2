/**
 * The dashboard's tiles on DynamoDB Local: deals won per day and currency (won, repriced, reopened,
 * deleted; each event once however often it is delivered), lifecycle moves per day, and an erased
 * contact counted out of its stage once.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { countWonDeal } from '#insights/deals-won.js';
import { makeEvent } from '#platform/events.js';
import { createPipeline } from '#sales/pipelines.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
let pipelineId: string;
before(async () => {
  t = await createTestTable(() => new Date('2026-06-30T18:00:00.000Z'));
  const pipeline = await createPipeline(t.deps, {
    name: 'Sales',
    stages: [
      { name: 'Lead', probability: 0.2 },
      { name: 'Won', probability: 1 },
      { name: 'Lost', probability: 0 },
    ],
  });
  pipelineId = pipeline.id;
});

let seq = 0;
const meta = (occurredAt: string) => ({
  eventId: `01JK${String(++seq).padStart(22, '0')}`,
  occurredAt,
});
const position = (stage: string, amount: number, currency: string) => ({ stage, amount, currency });

describe('dashboard tiles', () => {
  it('count deals won per day and currency, once per event, and take back a reopened or deleted one', async () => {
    const won = (dealId: string, amount: number, currency: string, day: string) =>
      makeEvent(
        'DealStageChanged',
        {
          dealId,
          pipelineId,
          fromStage: 'Lead',
          toStage: 'Won',
          previous: position('Lead', amount, currency),
          current: position('Won', amount, currency),
        },
        meta(`${day}T10:00:00.000Z`),
      );
    const eur = won('d-eur', 1200.5, 'EUR', '2026-06-20');
    const usd = won('d-usd', 800, 'USD', '2026-06-21');
    const gbp = won('d-gbp', 50, 'GBP', '2026-06-22');
    const old = won('d-old', 300, 'EUR', '2026-05-25'); // the previous period (June 1–30 ← May 2–31)
    for (const e of [eur, usd, gbp, old]) assert.equal(await countWonDeal(t.deps, e), 'won');
    // Redelivered: counted once.
    assert.equal(await countWonDeal(t.deps, eur), 'unchanged');
    // A deal created straight in the won stage counts too.
    const created = makeEvent(
      'DealCreated',
      { dealId: 'd-new', pipelineId, current: position('Won', 99.99, 'EUR') },
      meta('2026-06-20T12:00:00.000Z'),
    );
    assert.equal(await countWonDeal(t.deps, created), 'won');
    // Repriced after the win: moved within the day it was won.
    const repriced = makeEvent(
      'DealUpdated',
      {
        dealId: 'd-usd',
        pipelineId,
        previous: position('Won', 800, 'USD'),
        current: position('Won', 850, 'USD'),
      },
      meta('2026-06-25T10:00:00.000Z'),
    );
    assert.equal(await countWonDeal(t.deps, repriced), 'repriced');
    // Redelivered: the record already says 850, nothing is moved again.
    assert.equal(await countWonDeal(t.deps, repriced), 'unchanged');
    // Reopened: taken back on the day it was won, once.
    const reopened = makeEvent(
      'DealStageChanged',
      {
        dealId: 'd-gbp',
        pipelineId,
        fromStage: 'Won',
        toStage: 'Lead',
        previous: position('Won', 50, 'GBP'),
        current: position('Lead', 50, 'GBP'),
      },
      meta('2026-06-28T10:00:00.000Z'),
    );
    assert.equal(await countWonDeal(t.deps, reopened), 'withdrawn');
    assert.equal(await countWonDeal(t.deps, reopened), 'unchanged');
    // The win redelivered after the reopening: its marker keeps it from counting again.
    assert.equal(await countWonDeal(t.deps, gbp), 'duplicate');
    // A deal moving between open stages is not won.
    const moved = makeEvent(
      'DealCreated',
      { dealId: 'd-open', pipelineId, current: position('Lead', 5000, 'EUR') },
      meta('2026-06-20T12:00:00.000Z'),
    );
    assert.equal(await countWonDeal(t.deps, moved), 'unchanged');
    // A won deal deleted leaves the figures of its day.
    const deleted = makeEvent(
      'DealDeleted',
      { dealId: 'd-new', pipelineId, previous: position('Won', 99.99, 'EUR') },
      meta('2026-06-29T10:00:00.000Z'),
    );
    assert.equal(await countWonDeal(t.deps, deleted), 'withdrawn');

    const board = await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-30' });
    assert.deepEqual(board.kpis.dealsWon.count, { current: 2, previous: 1 });
    assert.deepEqual(board.kpis.dealsWon.byCurrency, [
      { currency: 'EUR', count: { current: 1, previous: 1 }, amount: { current: 1200.5, previous: 300 } },
      { currency: 'USD', count: { current: 1, previous: 0 }, amount: { current: 850, previous: 0 } },
    ]);
    assert.equal(board.series.length, 30);
    assert.deepEqual(
      board.series.filter((d) => d.dealsWon !== 0),
      [
        { date: '2026-06-20', newContacts: 0, dealsWon: 1 },
        { date: '2026-06-21', newContacts: 0, dealsWon: 1 },
      ],
    );
    assert.deepEqual(board.previous, { from: '2026-05-02', to: '2026-05-31', days: 30 });
  });

  it('count moves into each lifecycle stage per day, and an erased contact out of its stage once', async () => {
    const moved = (contactId: string, toStage: 'lead' | 'marketing_qualified_lead', day: string) =>
      makeEvent(
        'LifecycleStageChanged',
        {
          contactId,
          ...(toStage === 'lead' ? {} : { fromStage: 'lead' as const }),
          toStage,
          reason: 'score',
        },
        meta(`${day}T08:00:00.000Z`),
      );
    const events = [
      moved('c1', 'lead', '2026-06-02'),
      moved('c2', 'lead', '2026-06-02'),
      moved('c1', 'marketing_qualified_lead', '2026-06-10'),
      moved('c2', 'marketing_qualified_lead', '2026-05-10'),
    ];
    for (const e of events) assert.equal(await projectEvent(t.deps, e), 'applied');
    const erased = makeEvent(
      'ContactDeleted',
      { contactId: 'c1', tags: [], lifecycleStage: 'marketing_qualified_lead' },
      meta('2026-06-29T08:00:00.000Z'),
    );
    assert.equal(await projectEvent(t.deps, erased), 'applied');
    assert.equal(await projectEvent(t.deps, erased), 'duplicate');
    // An erase from before the field was sent counts the total only.
    const older = makeEvent(
      'ContactDeleted',
      { contactId: 'c9', tags: [] },
      meta('2026-06-29T08:00:00.000Z'),
    );
    assert.equal(await projectEvent(t.deps, older), 'applied');

    const board = await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-30' });
    const mql = board.kpis.stageMoves.find((m) => m.stage === 'marketing_qualified_lead');
    assert.deepEqual(mql, { stage: 'marketing_qualified_lead', current: 1, previous: 1 });
    assert.deepEqual(
      board.funnel.filter((f) => f.count !== 0),
      // Two reached MQL, one of them was erased; both left lead.
      [{ stage: 'marketing_qualified_lead', count: 1 }],
    );
  });
});
