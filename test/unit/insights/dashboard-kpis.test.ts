/** The dashboard's tiles: range math, the previous period, per-currency figures, and the won-deal plan. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wonPlan } from '#insights/deals-won.js';
import { daysIn, eachDay, type KpiCounters, kpisOf, openPipeline, previousRange } from '#insights/kpis.js';
import type { Dashboard } from '#insights/model.js';

const c = (bucket: string, values: Record<string, number>) => ({ bucket, values });
const none: KpiCounters = { leads: [], imported: [], email: [], stageMoves: [], dealsWon: [], service: [] };

describe('dashboard ranges', () => {
  it('takes the period of equal length right before the range, across months and leap days', () => {
    assert.deepEqual(previousRange({ from: '2026-11-01', to: '2026-11-30' }), {
      from: '2026-10-02',
      to: '2026-10-31',
    });
    assert.deepEqual(previousRange({ from: '2028-03-01', to: '2028-03-07' }), {
      from: '2028-02-23',
      to: '2028-02-29',
    });
    assert.deepEqual(previousRange({ from: '2026-01-05', to: '2026-01-05' }), {
      from: '2026-01-04',
      to: '2026-01-04',
    });
    assert.equal(daysIn({ from: '2026-10-26', to: '2026-11-01' }), 7);
    // Days, not hours: a DST change in between does not shorten the list.
    assert.deepEqual(eachDay({ from: '2026-10-24', to: '2026-10-27' }), [
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
    ]);
  });
});

describe('dashboard tiles', () => {
  const range = { from: '2026-11-08', to: '2026-11-14' };

  it('counts each figure in the range and in the previous 7 days, and nothing outside both', () => {
    const { kpis, series } = kpisOf(
      {
        ...none,
        leads: [
          c('2026-11-01#web', { count: 3 }), // the previous period
          c('2026-11-07#web', { count: 2 }),
          c('2026-10-31#web', { count: 50 }), // before both
          c('2026-11-08#web', { count: 4 }),
          c('2026-11-08#fair', { count: 1 }),
          c('2026-11-14#web', { count: 5 }),
        ],
        imported: [c('2026-11-09', { count: 10 }), c('2026-11-02', { count: 1 })],
        email: [
          c('2026-11-09#template#t1', { sent: 10, opened: 4, clicked: 1 }),
          // The same emails again in their workflow's bucket: not counted twice.
          c('2026-11-09#workflow#w1', { sent: 10, opened: 4, clicked: 1 }),
          c('2026-11-03#template#t1', { sent: 4, opened: 1, clicked: 0 }),
        ],
        stageMoves: [
          c('2026-11-10#marketing_qualified_lead', { count: 3 }),
          c('2026-11-05#marketing_qualified_lead', { count: 1 }),
          c('2026-11-10#customer', { count: 2 }),
        ],
        service: [c('2026-11-10', { opened: 2, firstResponse: 1 }), c('2026-11-01', { opened: 5 })],
      },
      range,
      [],
      4,
    );
    assert.deepEqual(kpis.newContacts, {
      current: 20,
      previous: 6,
      imported: { current: 10, previous: 1 },
    });
    assert.deepEqual(
      kpis.stageMoves.find((m) => m.stage === 'marketing_qualified_lead'),
      { stage: 'marketing_qualified_lead', current: 3, previous: 1 },
    );
    assert.deepEqual(
      kpis.stageMoves.find((m) => m.stage === 'customer'),
      {
        stage: 'customer',
        current: 2,
        previous: 0,
      },
    );
    assert.deepEqual(kpis.email.sent, { current: 10, previous: 4 });
    assert.deepEqual(kpis.email.openRate, { current: 40, previous: 25 });
    assert.deepEqual(kpis.email.clickRate, { current: 10, previous: 0 });
    assert.deepEqual(kpis.cases, { open: 4, opened: { current: 2, previous: 5 } });
    // Every day of the range, zeros included.
    assert.equal(series.length, 7);
    assert.deepEqual(series[0], { date: '2026-11-08', newContacts: 5, dealsWon: 0 });
    assert.deepEqual(series[1], { date: '2026-11-09', newContacts: 10, dealsWon: 0 });
    assert.deepEqual(series[6], { date: '2026-11-14', newContacts: 5, dealsWon: 0 });
  });

  it('keeps deals won one figure per currency, never added across currencies', () => {
    const { kpis, series } = kpisOf(
      {
        ...none,
        dealsWon: [
          c('2026-11-08#EUR', { count: 2, amount: 1000.1 }),
          c('2026-11-09#USD', { count: 1, amount: 700 }),
          c('2026-11-12#EUR', { count: 1, amount: 0.2 }),
          c('2026-11-02#USD', { count: 3, amount: 900 }),
          // A win taken back: the day it was won nets to nothing.
          c('2026-11-13#JPY', { count: 0, amount: 0 }),
        ],
      },
      range,
      [],
      0,
    );
    assert.deepEqual(kpis.dealsWon.count, { current: 4, previous: 3 });
    assert.deepEqual(kpis.dealsWon.byCurrency, [
      { currency: 'EUR', count: { current: 3, previous: 0 }, amount: { current: 1000.3, previous: 0 } },
      { currency: 'USD', count: { current: 1, previous: 3 }, amount: { current: 700, previous: 900 } },
    ]);
    assert.equal(series.find((d) => d.date === '2026-11-08')?.dealsWon, 2);
    // No email sent: no rate (not 0 %, not NaN).
    assert.deepEqual(kpis.email.openRate, {});
  });

  it('adds the open pipeline per currency over open stages only, every pipeline', () => {
    const stage = (name: string, probability: number, values: Array<[string, number, number]>) => ({
      stage: name,
      probability,
      count: values.reduce((sum, [, count]) => sum + count, 0),
      values: values.map(([currency, count, amount]) => ({
        currency,
        count,
        amount,
        weighted: amount * probability,
      })),
    });
    const pipelines: Dashboard['pipelines'] = [
      {
        pipelineId: 'p1',
        name: 'Sales',
        stages: [
          stage('Lead', 0.1, [
            ['EUR', 2, 1000],
            ['USD', 1, 500],
          ]),
          stage('Proposal', 0.5, [['EUR', 1, 2000]]),
          stage('Won', 1, [['EUR', 5, 99999]]),
          stage('Lost', 0, [['USD', 3, 88888]]),
        ],
      },
      { pipelineId: 'p2', name: 'Renewals', stages: [stage('Open', 0.4, [['USD', 2, 300]])] },
    ];
    assert.deepEqual(openPipeline(pipelines), [
      { currency: 'EUR', count: 3, amount: 3000, weighted: 1100 },
      { currency: 'USD', count: 3, amount: 800, weighted: 170 },
    ]);
  });
});

describe('deals won', () => {
  const at = '2026-11-10T09:00:00.000Z';
  const later = '2026-11-12T09:00:00.000Z';
  const kept = { dealId: 'd', wonAt: at, amount: 100, currency: 'EUR' };

  it('counts a win on its day and currency, and takes back exactly that on the day it was won', () => {
    assert.deepEqual(wonPlan('d', undefined, { amount: 100, currency: 'EUR' }, at), {
      outcome: 'won',
      counters: [{ group: 'DEALS_WON', bucket: '2026-11-10#EUR', deltas: { count: 1, amount: 100 } }],
      write: { kind: 'putWonDeal', won: kept },
    });
    assert.deepEqual(wonPlan('d', kept, undefined, later), {
      outcome: 'withdrawn',
      counters: [{ group: 'DEALS_WON', bucket: '2026-11-10#EUR', deltas: { count: -1, amount: -100 } }],
      write: { kind: 'deleteWonDeal', expected: kept },
    });
  });

  it('moves a won deal repriced in another currency between currencies, on the day it was won', () => {
    assert.deepEqual(wonPlan('d', kept, { amount: 90, currency: 'USD' }, later), {
      outcome: 'repriced',
      counters: [
        { group: 'DEALS_WON', bucket: '2026-11-10#EUR', deltas: { count: -1, amount: -100 } },
        { group: 'DEALS_WON', bucket: '2026-11-10#USD', deltas: { count: 1, amount: 90 } },
      ],
      write: { kind: 'putWonDeal', won: { ...kept, amount: 90, currency: 'USD' }, expected: kept },
    });
  });

  it('changes nothing for a deal never won, the same figure again, or an event older than the win', () => {
    assert.equal(wonPlan('d', undefined, undefined, at), undefined);
    assert.equal(wonPlan('d', kept, { amount: 100, currency: 'EUR' }, later), undefined);
    assert.equal(wonPlan('d', kept, undefined, '2026-11-09T09:00:00.000Z'), undefined);
  });
});
