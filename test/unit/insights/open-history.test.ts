/**
 * The point-in-time figures at the end of past days (insights/open-history.ts): now less the net
 * changes of the days after, known only from the day counting began.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changesToRead, MAX_DAYS_BACK, openHistory } from '#insights/open-history.js';

const deal = (day: string, currency: string, count: number, amount: number) => ({
  bucket: `${day}#deals#${currency}`,
  values: { count, amount },
});
const cases = (day: string, open: number) => ({ bucket: `${day}#cases`, values: { open } });

// Now: 3 EUR deals worth 1,700.50 and 1 USD deal of 800 open, 4 open cases; counting began on Nov 3.
const now = {
  pipeline: [
    { currency: 'EUR', count: 3, amount: 1700.5 },
    { currency: 'USD', count: 1, amount: 800 },
  ],
  cases: 4,
};
const changes = [
  deal('2026-11-04', 'EUR', 2, 1000),
  cases('2026-11-04', 3),
  deal('2026-11-08', 'GBP', 1, 60),
  deal('2026-11-09', 'GBP', -1, -60),
  deal('2026-11-10', 'EUR', 1, 700.5),
  deal('2026-11-10', 'USD', 1, 800),
  cases('2026-11-10', 2),
  cases('2026-11-12', -1),
];

describe('the open figures at the end of past days', () => {
  it('counts back from now, per currency, and compares the ends of the two periods', () => {
    const h = openHistory({
      range: { from: '2026-11-07', to: '2026-11-12' },
      today: '2026-11-12',
      since: '2026-11-03',
      now,
      changes,
    });
    assert.equal(h.since, '2026-11-03');
    // GBP was open on Nov 8 only: listed (at 0 at both ends), never added to the euros.
    assert.deepEqual(h.openPipeline, [
      { currency: 'EUR', count: { current: 3, previous: 2 }, amount: { current: 1700.5, previous: 1000 } },
      { currency: 'GBP', count: { current: 0, previous: 0 }, amount: { current: 0, previous: 0 } },
      { currency: 'USD', count: { current: 1, previous: 0 }, amount: { current: 800, previous: 0 } },
    ]);
    assert.deepEqual(h.openCases, { current: 4, previous: 3 });
    assert.deepEqual(
      h.byDay.map((d) => [
        d.date,
        d.openCases,
        d.openPipeline?.map((p) => `${p.currency} ${p.count} ${p.amount}`),
      ]),
      [
        ['2026-11-07', 3, ['EUR 2 1000', 'GBP 0 0', 'USD 0 0']],
        ['2026-11-08', 3, ['EUR 2 1000', 'GBP 1 60', 'USD 0 0']],
        ['2026-11-09', 3, ['EUR 2 1000', 'GBP 0 0', 'USD 0 0']],
        ['2026-11-10', 5, ['EUR 3 1700.5', 'GBP 0 0', 'USD 1 800']],
        ['2026-11-11', 5, ['EUR 3 1700.5', 'GBP 0 0', 'USD 1 800']],
        ['2026-11-12', 4, ['EUR 3 1700.5', 'GBP 0 0', 'USD 1 800']],
      ],
    );
  });

  it('gives a past range’s end, and nothing before the day counting began', () => {
    const h = openHistory({
      range: { from: '2026-11-02', to: '2026-11-05' },
      today: '2026-11-12',
      since: '2026-11-03',
      now,
      changes,
    });
    // The end of Nov 5 is known; the previous period ended on Nov 1, before counting began.
    assert.deepEqual(h.openCases, { current: 3 });
    assert.deepEqual(
      h.openPipeline.map((p) => [p.currency, p.count, p.amount]),
      [['EUR', { current: 2 }, { current: 1000 }]],
    );
    assert.deepEqual(
      h.byDay.map((d) => [d.date, d.openCases, d.openPipeline?.length ?? null]),
      [
        ['2026-11-02', null, null],
        ['2026-11-03', 0, 1],
        ['2026-11-04', 3, 1],
        ['2026-11-05', 3, 1],
      ],
    );
    // A range starting on the first day: its previous period ends before it, so no change is given.
    const first = openHistory({
      range: { from: '2026-11-03', to: '2026-11-12' },
      today: '2026-11-12',
      since: '2026-11-03',
      now,
      changes,
    });
    assert.deepEqual(first.openCases, { current: 4 });
    const second = openHistory({
      range: { from: '2026-11-04', to: '2026-11-12' },
      today: '2026-11-12',
      since: '2026-11-03',
      now,
      changes,
    });
    assert.deepEqual(second.openCases, { current: 4, previous: 0 });
  });

  it('knows only now when nothing was counted yet', () => {
    const h = openHistory({
      range: { from: '2026-11-06', to: '2026-11-12' },
      today: '2026-11-12',
      since: undefined,
      now,
      changes: [],
    });
    assert.equal(h.since, undefined);
    assert.deepEqual(h.openCases, { current: 4 });
    assert.deepEqual(
      h.byDay.filter((d) => d.openCases !== null).map((d) => d.date),
      ['2026-11-12'],
    );
    assert.deepEqual(
      h.openPipeline.map((p) => [p.currency, p.amount]),
      [
        ['EUR', { current: 1700.5 }],
        ['USD', { current: 800 }],
      ],
    );
  });

  it('reads the net changes from the range’s first day (or the day after counting began) to today', () => {
    assert.deepEqual(changesToRead({ from: '2026-11-07', to: '2026-11-12' }, '2026-11-12', '2026-11-03'), {
      from: '2026-11-07',
      to: '2026-11-12\uffff',
    });
    assert.deepEqual(changesToRead({ from: '2026-10-01', to: '2026-10-31' }, '2026-11-12', '2026-11-03'), {
      from: '2026-11-04',
      to: '2026-11-12\uffff',
    });
    // Nothing to read: nothing counted, or a range after today.
    assert.equal(changesToRead({ from: '2026-11-07', to: '2026-11-12' }, '2026-11-12', undefined), undefined);
    assert.equal(
      changesToRead({ from: '2026-11-13', to: '2026-11-20' }, '2026-11-12', '2026-11-03'),
      undefined,
    );
    // At most MAX_DAYS_BACK days back: a range older than that is not read.
    const window = changesToRead({ from: '2020-01-01', to: '2020-12-31' }, '2026-11-12', '2020-01-01');
    assert.equal(window?.from, '2024-11-11');
    assert.equal(MAX_DAYS_BACK, 732);
    const old = openHistory({
      range: { from: '2020-01-01', to: '2020-12-31' },
      today: '2026-11-12',
      since: '2020-01-01',
      now,
      changes: [],
    });
    assert.deepEqual(old.openCases, {});
    assert.equal(
      old.byDay.every((d) => d.openCases === null && d.openPipeline === null),
      true,
    );
  });
});
