/** Deal moves → stage history counters (in the move's transaction) → the historical forecast, on DynamoDB Local. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DomainError } from '#platform/errors.js';
import { pipelineForecast } from '#sales/forecast.js';
import type { Deal } from '#sales/model.js';
import * as sales from '#sales/pipelines.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

const DAY = 86_400_000;
const start = new Date('2026-11-01T00:00:00.000Z');
let now = start;
const day = (d: number) => {
  now = new Date(start.getTime() + d * DAY);
};
let t: TestTable;

before(async () => {
  t = await createTestTable(() => now);
});

const move = async (deal: Deal, stage: string) => {
  const current = await sales.getDeal(t.deps, deal.id);
  return sales.updateDeal(t.deps, deal.id, { version: current.version, stage });
};

describe('stage history and forecast', () => {
  it('counts moves once (backward moves, reopening, concurrent moves) and forecasts from them', async () => {
    day(0);
    const pipeline = await sales.createPipeline(t.deps, {
      name: 'History',
      stages: [
        { name: 'Lead', probability: 0.1 },
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    const deals: Deal[] = [];
    for (let i = 0; i < 8; i++)
      deals.push(
        await sales.createDeal(t.deps, {
          title: `Deal ${i}`,
          amount: i === 7 ? 500 : 1000,
          currency: i === 7 ? 'USD' : 'EUR',
          pipelineId: pipeline.id,
          stage: 'Lead',
        }),
      );
    const [d0, d1, d2, d3, d4, d5] = deals as [Deal, Deal, Deal, Deal, Deal, Deal];
    assert.equal(d0.stageEnteredAt, start.toISOString());

    // Day 2: six deals leave Lead at once (their counters are sharded: no lost update).
    day(2);
    await Promise.all([d0, d1, d2, d3, d4, d5].map((d) => move(d, 'Proposal')));
    // A stale move is refused and counts nothing.
    await assert.rejects(
      sales.updateDeal(t.deps, d0.id, { version: 1, stage: 'Won' }),
      (err) => err instanceof DomainError && err.code === 'version_conflict',
    );
    // d0 goes back to Lead for a day: one more day in each stage, still one deal each.
    day(3);
    await move(d0, 'Lead');
    day(4);
    await move(d0, 'Proposal');
    day(6);
    for (const d of [d0, d1, d2, d3]) await move(d, 'Won');
    for (const d of [d4, d5]) await move(d, 'Lost');
    // d5 is reopened, then won: counted once, as won.
    day(7);
    await move(d5, 'Proposal');
    day(8);
    const won = await move(d5, 'Won');
    assert.deepEqual(won.stagesLeft, [
      { stage: 'Lead', ms: 2 * DAY },
      { stage: 'Proposal', ms: 5 * DAY },
      { stage: 'Lost', ms: DAY },
    ]);
    assert.equal(won.outcome, 'won');
    assert.equal(won.stageEnteredAt, now.toISOString());

    const stats = await t.deps.store.listStageStats(pipeline.id);
    const of = (stage: string) => {
      const s = stats.find((x) => x.stage === stage);
      return s && [s.left, s.timeMs / DAY, s.won, s.lost];
    };
    assert.deepEqual(of('Lead'), [6, 13, 5, 1]);
    assert.deepEqual(of('Proposal'), [6, 24, 5, 1]);
    assert.deepEqual(of('Lost'), [1, 1, 0, 0]);
    assert.equal(of('Won'), undefined);
    // The six concurrent exits from Lead landed on more than one shard item.
    const items = (await t.items()).filter((i) => i.PK === `STAGESTATS#${pipeline.id}`);
    assert.ok(items.filter((i) => String(i.SK).startsWith('Lead')).length > 1);

    const forecast = await pipelineForecast(t.deps, pipeline.id);
    const lead = forecast.stages[0];
    assert.deepEqual(lead?.history, { left: 6, averageDays: 2.167, won: 5, lost: 1, winRate: 0.8333 });
    assert.equal(lead?.rateSource, 'history');
    assert.deepEqual(
      forecast.deals.map((d) => [d.title, d.winRate, d.rateSource, d.daysInStage, d.expectedCloseDate]),
      [
        // In Lead for 8 days (over its 2.167 average): Proposal's 4 days from now.
        ['Deal 6', 0.8333, 'history', 8, '2026-11-13'],
        ['Deal 7', 0.8333, 'history', 8, '2026-11-13'],
      ],
    );
    assert.deepEqual(forecast.totals, [
      { currency: 'EUR', amount: 7000, weighted: 5100, forecast: 5833.33 },
      { currency: 'USD', amount: 500, weighted: 50, forecast: 416.67 },
    ]);
    // The board's static forecast is the same as the forecast's `weighted`.
    const board = await sales.pipelineBoard(t.deps, pipeline.id);
    assert.deepEqual(
      board.totals.map((x) => x.weighted),
      forecast.totals.map((x) => x.weighted),
    );
  });

  it('answers 404 for an unknown pipeline and a static forecast for a new one', async () => {
    await assert.rejects(
      pipelineForecast(t.deps, '01JF0000000000000000000000'),
      (err) => err instanceof DomainError && err.kind === 'not_found',
    );
    const pipeline = await sales.createPipeline(t.deps, {
      name: 'Fresh',
      stages: [{ name: 'Open', probability: 0.25 }],
    });
    await sales.createDeal(t.deps, {
      title: 'Only',
      amount: 80,
      currency: 'GBP',
      pipelineId: pipeline.id,
      stage: 'Open',
      closeDate: '2027-03-01',
    });
    const forecast = await pipelineForecast(t.deps, pipeline.id);
    assert.deepEqual(forecast.totals, [{ currency: 'GBP', amount: 80, weighted: 20, forecast: 20 }]);
    assert.deepEqual(
      forecast.deals.map((d) => [d.rateSource, d.expectedCloseDate, d.closeDateSource]),
      [['static', '2027-03-01', 'deal']],
    );
  });
});
