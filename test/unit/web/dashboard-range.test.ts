/** The dashboard's date range (web/src/dashboard-range.ts): presets, the hash query, changes against the previous period. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  change,
  customProblem,
  parseRange,
  rangeDays,
  rangeQuery,
  rateChange,
} from '../../../web/src/dashboard-range.js';

describe('dashboard range', () => {
  it('turns presets into days ending today, both ends included', () => {
    assert.deepEqual(rangeDays({ preset: '7d' }, '2026-12-02'), { from: '2026-11-26', to: '2026-12-02' });
    assert.deepEqual(rangeDays({ preset: '30d' }, '2026-03-01'), { from: '2026-01-31', to: '2026-03-01' });
    assert.deepEqual(rangeDays({ preset: '90d' }, '2026-12-02'), { from: '2026-09-04', to: '2026-12-02' });
    assert.deepEqual(rangeDays({ preset: 'month' }, '2026-12-02'), { from: '2026-12-01', to: '2026-12-02' });
    assert.deepEqual(rangeDays({ preset: 'custom', from: '2026-01-01', to: '2026-01-31' }, '2026-12-02'), {
      from: '2026-01-01',
      to: '2026-01-31',
    });
    assert.equal(addDays('2028-03-01', -1), '2028-02-29');
  });

  it('keeps the range in the hash query, and reads back only what is valid', () => {
    for (const choice of [
      { preset: '7d' as const },
      { preset: '90d' as const },
      { preset: 'month' as const },
      { preset: 'custom' as const, from: '2026-10-01', to: '2026-10-15' },
    ])
      assert.deepEqual(parseRange(`#/dashboard${rangeQuery(choice)}`), choice);
    assert.equal(rangeQuery({ preset: '30d' }), '');
    assert.deepEqual(parseRange('#/dashboard'), { preset: '30d' });
    assert.deepEqual(parseRange('#/dashboard?range=forever'), { preset: '30d' });
    assert.deepEqual(parseRange('#/dashboard?from=2026-10-15&to=2026-10-01'), { preset: '30d' });
    assert.deepEqual(parseRange('#/dashboard?from=2026-02-30&to=2026-03-01'), { preset: '30d' });
    assert.deepEqual(parseRange('#/dashboard?from=2020-01-01&to=2026-01-01'), { preset: '30d' });
  });

  it('says why a custom range cannot be used', () => {
    assert.equal(customProblem('2026-10-01', '2026-10-31'), undefined);
    assert.equal(customProblem('', '2026-10-31'), 'Enter both dates.');
    assert.equal(customProblem('2026-11-01', '2026-10-31'), 'The start must not be after the end.');
    assert.equal(customProblem('2025-01-01', '2026-10-31'), 'A range can be at most 366 days.');
  });

  it('compares a figure with the previous period', () => {
    assert.deepEqual(change(15, 12), { trend: 'up', text: '+25 %' });
    assert.deepEqual(change(6, 12), { trend: 'down', text: '−50 %' });
    assert.deepEqual(change(3, 0), { trend: 'up', text: 'up from 0' });
    assert.deepEqual(change(0, 0), { trend: 'flat', text: 'no change' });
    assert.deepEqual(change(0, 4), { trend: 'down', text: '−100 %' });
    assert.deepEqual(rateChange(40, 25), { trend: 'up', text: '+15 pts' });
    assert.deepEqual(rateChange(20.5, 25), { trend: 'down', text: '−4.5 pts' });
    assert.equal(rateChange(40, undefined), undefined);
  });
});
