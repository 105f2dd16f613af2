/** The stage history rules: time in stage, win/lost counts, and no double counting on backward moves or reopening. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deal, Pipeline } from '#sales/model.js';
import { enteredHistory, moveHistory, type StageDeltas } from '#sales/stage-history.js';

const DAY = 86_400_000;
const t0 = new Date('2026-11-01T00:00:00.000Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

const pipeline: Pipeline = {
  id: 'p1',
  name: 'Sales',
  stages: [
    { name: 'Lead', probability: 0.1 },
    { name: 'Proposal', probability: 0.5 },
    { name: 'Won', probability: 1 },
    { name: 'Lost', probability: 0 },
  ],
  createdAt: t0.toISOString(),
  updatedAt: t0.toISOString(),
};

const newDeal = (id: string, stage: string, day = 0): Deal => ({
  id,
  title: id,
  amount: 100,
  currency: 'EUR',
  pipelineId: pipeline.id,
  stage,
  ...enteredHistory(pipeline, stage, at(day).toISOString()),
  version: 1,
  createdAt: at(day).toISOString(),
  updatedAt: at(day).toISOString(),
});

type Counters = Map<string, Required<StageDeltas>>;

/** Moves a deal, adding the deltas to `counters`, as the transaction does. */
function move(counters: Counters, deal: Deal, stage: string, day: number): Deal {
  const change = moveHistory(pipeline, deal, stage, at(day));
  for (const [name, d] of change.deltas) {
    const c = counters.get(name) ?? { left: 0, timeMs: 0, won: 0, lost: 0 };
    for (const key of ['left', 'timeMs', 'won', 'lost'] as const) c[key] += d[key] ?? 0;
    counters.set(name, c);
  }
  const { outcome: _, ...rest } = deal;
  return { ...rest, ...change.deal, stage };
}

const zero = { left: 0, timeMs: 0, won: 0, lost: 0 };
const of = (counters: Counters, stage: string) => counters.get(stage) ?? zero;

describe('stage history', () => {
  it('records when a deal entered its stage, and its time in a stage when it leaves', () => {
    const counters: Counters = new Map();
    let deal = newDeal('d1', 'Lead');
    assert.equal(deal.stageEnteredAt, t0.toISOString());
    assert.deepEqual(deal.stagesLeft, []);
    deal = move(counters, deal, 'Proposal', 2);
    assert.equal(deal.stageEnteredAt, at(2).toISOString());
    assert.deepEqual(deal.stagesLeft, [{ stage: 'Lead', ms: 2 * DAY }]);
    assert.deepEqual(of(counters, 'Lead'), { left: 1, timeMs: 2 * DAY, won: 0, lost: 0 });
    assert.deepEqual(of(counters, 'Proposal'), zero);
  });

  it('counts a deal that moves back and forth once per stage, adding all its time', () => {
    const counters: Counters = new Map();
    let deal = newDeal('d1', 'Lead');
    deal = move(counters, deal, 'Proposal', 1); // Lead 1 day
    deal = move(counters, deal, 'Lead', 4); // Proposal 3 days, back
    deal = move(counters, deal, 'Proposal', 6); // Lead 2 more days
    assert.deepEqual(of(counters, 'Lead'), { left: 1, timeMs: 3 * DAY, won: 0, lost: 0 });
    assert.deepEqual(of(counters, 'Proposal'), { left: 1, timeMs: 3 * DAY, won: 0, lost: 0 });
    assert.deepEqual(deal.stagesLeft, [
      { stage: 'Lead', ms: 3 * DAY },
      { stage: 'Proposal', ms: 3 * DAY },
    ]);
    deal = move(counters, deal, 'Won', 10);
    // Won once, in each open stage it went through (however often), never in the won stage itself.
    assert.equal(of(counters, 'Lead').won, 1);
    assert.equal(of(counters, 'Proposal').won, 1);
    assert.deepEqual(of(counters, 'Won'), zero);
    assert.equal(deal.outcome, 'won');
  });

  it('takes a reopened deal out of the counts, and counts its next close once', () => {
    const counters: Counters = new Map();
    let deal = newDeal('d1', 'Lead');
    deal = move(counters, deal, 'Proposal', 1);
    deal = move(counters, deal, 'Won', 2);
    deal = move(counters, deal, 'Proposal', 3); // reopened
    assert.equal(deal.outcome, undefined);
    assert.equal(of(counters, 'Lead').won, 0);
    assert.equal(of(counters, 'Proposal').won, 0);
    deal = move(counters, deal, 'Lost', 5);
    assert.deepEqual(
      ['Lead', 'Proposal'].map((s) => [of(counters, s).won, of(counters, s).lost]),
      [
        [0, 1],
        [0, 1],
      ],
    );
    // From lost straight to won: moved from one count to the other.
    deal = move(counters, deal, 'Won', 6);
    assert.deepEqual(
      ['Lead', 'Proposal'].map((s) => [of(counters, s).won, of(counters, s).lost]),
      [
        [1, 0],
        [1, 0],
      ],
    );
    // Proposal was left twice (to Won, and from its second stint to Lost): one deal, 1 + 2 days.
    assert.deepEqual(of(counters, 'Proposal'), { left: 1, timeMs: 3 * DAY, won: 1, lost: 0 });
    // Time in the closed stages is recorded too (reopening left them), not a conversion.
    assert.deepEqual(of(counters, 'Won'), { left: 1, timeMs: DAY, won: 0, lost: 0 });
  });

  it('counts nothing for a deal created closed, and nothing twice when it is reopened', () => {
    const counters: Counters = new Map();
    let deal = newDeal('d1', 'Won');
    assert.equal(deal.outcome, 'won');
    deal = move(counters, deal, 'Lead', 1);
    assert.equal(of(counters, 'Lead').won, 0);
    deal = move(counters, deal, 'Won', 2);
    assert.deepEqual(of(counters, 'Lead'), { left: 1, timeMs: DAY, won: 1, lost: 0 });
  });

  it('does not time a stint of a deal from before the history, and counts it at its first timed exit', () => {
    const counters: Counters = new Map();
    const { stageEnteredAt: _, stagesLeft: __, ...legacy } = newDeal('d1', 'Lead');
    let deal: Deal = legacy;
    deal = move(counters, deal, 'Proposal', 2);
    assert.deepEqual(of(counters, 'Lead'), zero);
    assert.deepEqual(deal.stagesLeft, [{ stage: 'Lead' }]);
    deal = move(counters, deal, 'Lead', 3);
    deal = move(counters, deal, 'Proposal', 5);
    assert.deepEqual(of(counters, 'Lead'), { left: 1, timeMs: 2 * DAY, won: 0, lost: 0 });
    deal = move(counters, deal, 'Lost', 6);
    assert.equal(of(counters, 'Lead').lost, 1);
  });

  it('keeps every counter equal to a recount of the deals, whatever the moves (random walks)', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const names = pipeline.stages.map((s) => s.name);
    const counters: Counters = new Map();
    const deals: Deal[] = [];
    for (let d = 0; d < 40; d++) {
      let deal = newDeal(`d${d}`, names[Math.floor(random() * names.length)] ?? 'Lead');
      let day = 0;
      for (let m = 0; m < 12; m++) {
        const to = names[Math.floor(random() * names.length)] ?? 'Lead';
        day += Math.floor(random() * 5) + 1;
        if (to !== deal.stage) deal = move(counters, deal, to, day);
      }
      deals.push(deal);
    }
    const open = new Set(['Lead', 'Proposal']);
    for (const name of names) {
      const passed = deals.filter((d) => d.stagesLeft?.some((s) => s.stage === name));
      const expected = {
        left: passed.length,
        timeMs: passed.reduce((n, d) => n + (d.stagesLeft?.find((s) => s.stage === name)?.ms ?? 0), 0),
        won: open.has(name) ? passed.filter((d) => d.outcome === 'won').length : 0,
        lost: open.has(name) ? passed.filter((d) => d.outcome === 'lost').length : 0,
      };
      assert.deepEqual(of(counters, name), expected, name);
    }
    assert.ok(deals.some((d) => d.outcome === 'won') && deals.some((d) => d.outcome === 'lost'));
  });
});
