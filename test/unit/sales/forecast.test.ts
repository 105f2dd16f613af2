/** The historical forecast: rates with their static fallback, expected close dates, totals per currency. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecastOf, MIN_HISTORY, rateOf, stageHistory } from '#sales/forecast.js';
import type { Deal, Pipeline } from '#sales/model.js';
import type { StageCounters } from '#sales/stage-history.js';

const DAY = 86_400_000;
const now = new Date('2026-12-01T12:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY).toISOString();

const pipeline: Pipeline = {
  id: 'p1',
  name: 'Sales',
  stages: [
    { name: 'Lead', probability: 0.1 },
    { name: 'Proposal', probability: 0.5 },
    { name: 'Won', probability: 1 },
    { name: 'Lost', probability: 0 },
  ],
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};

let n = 0;
const deal = (stage: string, amount: number, currency: string, extra: Partial<Deal> = {}): Deal => ({
  id: `d${++n}`,
  title: `Deal ${n}`,
  amount,
  currency,
  pipelineId: pipeline.id,
  stage,
  version: 1,
  createdAt: daysAgo(30),
  updatedAt: daysAgo(1),
  ...extra,
});

const counters = (stage: string, c: Partial<StageCounters>): StageCounters => ({
  stage,
  left: 0,
  timeMs: 0,
  won: 0,
  lost: 0,
  ...c,
});

describe('stage history and rates', () => {
  it('derives the average days and the win rate from the counters', () => {
    assert.deepEqual(stageHistory(counters('Lead', { left: 4, timeMs: 10 * DAY, won: 1, lost: 3 })), {
      left: 4,
      averageDays: 2.5,
      won: 1,
      lost: 3,
      winRate: 0.25,
    });
    assert.deepEqual(stageHistory(undefined), { left: 0, won: 0, lost: 0 });
  });

  it(`uses the static probability below ${MIN_HISTORY} closed deals, the history from then on`, () => {
    const below = stageHistory(counters('Lead', { won: 1, lost: MIN_HISTORY - 2 }));
    assert.deepEqual(rateOf(0.1, below), { winRate: 0.1, rateSource: 'static' });
    const enough = stageHistory(counters('Lead', { won: 2, lost: MIN_HISTORY - 2 }));
    assert.deepEqual(rateOf(0.1, enough), { winRate: 0.4, rateSource: 'history' });
    // A won or lost stage keeps its probability.
    assert.deepEqual(rateOf(1, enough), { winRate: 1, rateSource: 'static' });
    // Money is weighted by the exact rate (6 of 9: 23,000 → 15,333.33), only the rate shown is rounded.
    const twoThirds = stageHistory(counters('Lead', { won: 6, lost: 3 }));
    assert.equal(twoThirds.winRate, 0.6667);
    assert.equal(Math.round(23_000 * rateOf(0.1, twoThirds).winRate * 100) / 100, 15_333.33);
  });
});

describe('forecast', () => {
  const stats = [
    // Lead: 10 closed (3 won), deals stay 4 days; Proposal: 4 closed only (static), 6 days.
    counters('Lead', { left: 10, timeMs: 40 * DAY, won: 3, lost: 7 }),
    counters('Proposal', { left: 6, timeMs: 36 * DAY, won: 3, lost: 1 }),
  ];

  it('weights each open deal by its rate, per currency, beside the static forecast', () => {
    const f = forecastOf(
      pipeline,
      [
        deal('Lead', 1000, 'EUR', { stageEnteredAt: daysAgo(1) }),
        deal('Lead', 500, 'USD', { stageEnteredAt: daysAgo(10) }),
        deal('Proposal', 2000, 'EUR', { stageEnteredAt: daysAgo(2), closeDate: '2027-01-15' }),
        deal('Won', 300, 'EUR'),
        deal('Lost', 700, 'EUR'),
      ],
      stats,
      now,
    );
    const lead = f.stages[0];
    assert.equal(lead?.rateSource, 'history');
    assert.equal(lead?.winRate, 0.3);
    assert.deepEqual(lead?.totals, [
      { currency: 'EUR', amount: 1000, weighted: 100, forecast: 300 },
      { currency: 'USD', amount: 500, weighted: 50, forecast: 150 },
    ]);
    const proposal = f.stages[1];
    assert.equal(proposal?.rateSource, 'static');
    assert.equal(proposal?.history.winRate, 0.75);
    assert.equal(proposal?.winRate, 0.5);
    // Pipeline totals: EUR 1000×0.3 + 2000×0.5 + 300 won; USD apart.
    assert.deepEqual(f.totals, [
      { currency: 'EUR', amount: 4000, weighted: 1400, forecast: 1600 },
      { currency: 'USD', amount: 500, weighted: 50, forecast: 150 },
    ]);
    // Only open deals are forecast one by one.
    assert.deepEqual(
      f.deals.map((d) => [d.stage, d.amount, d.winRate, d.rateSource]),
      [
        ['Lead', 1000, 0.3, 'history'],
        ['Lead', 500, 0.3, 'history'],
        ['Proposal', 2000, 0.5, 'static'],
      ],
    );
  });

  it('expects the close after the rest of the current stage and the average of each stage ahead', () => {
    const f = forecastOf(
      pipeline,
      [
        deal('Lead', 1, 'EUR', { stageEnteredAt: daysAgo(1) }),
        deal('Lead', 1, 'EUR', { stageEnteredAt: daysAgo(10) }),
        deal('Proposal', 1, 'EUR', { stageEnteredAt: daysAgo(2), closeDate: '2027-01-15' }),
        deal('Proposal', 1, 'EUR', { stageEnteredAt: daysAgo(2) }),
      ],
      stats,
      now,
    );
    const [fresh, late, proposal, undated] = f.deals;
    // 3 days left in Lead, then Proposal's 6.
    assert.equal(fresh?.expectedCloseDate, '2026-12-10');
    assert.equal(fresh?.closeDateSource, 'history');
    assert.equal(fresh?.daysInStage, 1);
    // Over Lead's average already: Proposal's 6 days from now.
    assert.equal(late?.expectedCloseDate, '2026-12-07');
    // Proposal has 6 deals that left it: 4 days left.
    assert.equal(proposal?.expectedCloseDate, '2026-12-05');
    assert.equal(undated?.closeDateSource, 'history');
  });

  it("falls back to the deal's close date while a stage ahead has too little history", () => {
    const thin = [
      counters('Lead', { left: 10, timeMs: 40 * DAY }),
      counters('Proposal', { left: 2, timeMs: 4 * DAY }),
    ];
    const f = forecastOf(
      pipeline,
      [
        deal('Lead', 1, 'EUR', { stageEnteredAt: daysAgo(1), closeDate: '2027-02-01' }),
        deal('Proposal', 1, 'EUR'),
      ],
      thin,
      now,
    );
    assert.deepEqual(
      f.deals.map((d) => [d.expectedCloseDate, d.closeDateSource]),
      [
        ['2027-02-01', 'deal'],
        [undefined, 'none'],
      ],
    );
    assert.equal(f.stages[1]?.history.averageDays, 2);
  });

  it('forecasts an empty pipeline with zero counts and no totals', () => {
    const f = forecastOf(pipeline, [], [], now);
    assert.deepEqual(f.totals, []);
    assert.deepEqual(f.deals, []);
    assert.deepEqual(
      f.stages.map((s) => [s.name, s.kind, s.count, s.rateSource]),
      [
        ['Lead', 'open', 0, 'static'],
        ['Proposal', 'open', 0, 'static'],
        ['Won', 'won', 0, 'static'],
        ['Lost', 'lost', 0, 'static'],
      ],
    );
  });
});
