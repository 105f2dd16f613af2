/** A customer's churn risk: falling engagement (30 days against the 60 before) and silence, explained. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { churnRisk } from '#predictions/churn.js';

const now = new Date('2026-12-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
/** `n` times spread evenly between `from` and `to` days ago. */
const spread = (n: number, from: number, to: number) =>
  Array.from({ length: n }, (_, i) => daysAgo(from + ((to - from) * (i + 0.5)) / n));

describe('churn risk', () => {
  it('is low for a customer as engaged as before and active today', () => {
    const r = churnRisk(
      {
        email: [...spread(4, 0, 30), ...spread(8, 30, 90)],
        pages: [],
        events: [],
        lastActivityAt: daysAgo(0),
      },
      now,
    );
    assert.equal(r.recentEngagement, 4);
    assert.equal(r.previousEngagement, 4);
    assert.equal(r.risk, 0);
    assert.equal(r.level, 'low');
  });

  it('is high when engagement stopped a while ago, each part a factor', () => {
    const r = churnRisk(
      { email: spread(6, 31, 90), pages: spread(12, 31, 90), events: [], lastActivityAt: daysAgo(45) },
      now,
    );
    // Drop: 0.6 × (9 − 0) / 9 = 0.6, emails 0.6 × 3/9 = 0.2, pages 0.6 × 6/9 = 0.4; silence 0.4 × 45/60 = 0.3.
    assert.equal(r.risk, 0.9);
    assert.equal(r.level, 'high');
    assert.deepEqual(
      r.factors.map((f) => [f.feature, f.contribution]),
      [
        ['pageViews', 0.4],
        ['daysSinceActivity', 0.3],
        ['emailEngagement', 0.2],
      ],
    );
    assert.equal(r.factors[0]?.detail, '0 page views in the last 30 days, 6 per 30 days in the 60 before');
    assert.equal(r.factors[1]?.detail, 'Last activity 45 days ago');
  });

  it('lowers the risk for rising engagement (a negative contribution), never under 0', () => {
    const r = churnRisk(
      { email: [], pages: spread(10, 0, 30), events: spread(2, 30, 90), lastActivityAt: daysAgo(1) },
      now,
    );
    const pages = r.factors.find((f) => f.feature === 'pageViews');
    assert.ok(pages && pages.contribution < 0, JSON.stringify(r.factors));
    assert.equal(r.risk, 0);
  });

  it('is medium for half the engagement, and full for a customer never active', () => {
    const half = churnRisk(
      {
        email: [],
        pages: [],
        events: [...spread(3, 0, 30), ...spread(12, 30, 90)],
        lastActivityAt: daysAgo(15),
      },
      now,
    );
    // 0.6 × (6 − 3) / 6 = 0.3, silence 0.4 × 15/60 = 0.1.
    assert.equal(half.risk, 0.4);
    assert.equal(half.level, 'medium');
    const never = churnRisk({ email: [], pages: [], events: [] }, now);
    assert.equal(never.risk, 1);
    assert.deepEqual(
      never.factors.map((f) => [f.feature, f.contribution, f.detail]),
      [
        ['engagement', 0.6, 'No email opens or clicks, page views or product events in the last 90 days'],
        ['daysSinceActivity', 0.4, 'No activity recorded'],
      ],
    );
  });
});
