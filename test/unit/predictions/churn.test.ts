/**
 * A customer's churn risk: falling engagement (30 days against the 60 before), silence, open cases
 * and low CSAT, explained.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CaseSignal, churnRisk } from '#predictions/churn.js';

const now = new Date('2026-12-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
/** `n` times spread evenly between `from` and `to` days ago. */
const spread = (n: number, from: number, to: number) =>
  Array.from({ length: n }, (_, i) => daysAgo(from + ((to - from) * (i + 0.5)) / n));
/** A customer as engaged as before and active today: no risk from engagement. */
const steady = {
  email: [...spread(4, 0, 30), ...spread(8, 30, 90)],
  pages: [],
  events: [],
  lastActivityAt: daysAgo(0),
};
const aCase = (over: Partial<CaseSignal> = {}): CaseSignal => ({
  status: 'open',
  priority: 'normal',
  createdAt: daysAgo(2),
  ...over,
});
const rated = (score: number, d: number): CaseSignal =>
  aCase({ status: 'closed', createdAt: daysAgo(d + 3), rating: { score, at: daysAgo(d) } });
const contributions = (r: ReturnType<typeof churnRisk>) =>
  Object.fromEntries(r.factors.map((f) => [f.feature, f.contribution]));

describe('churn risk', () => {
  it('does not count a new customer’s short history as a fall', () => {
    const quiet = { email: [], pages: [], events: [] };
    const fresh = churnRisk({ ...quiet, lastActivityAt: daysAgo(0), customerSince: daysAgo(9) }, now);
    assert.deepEqual(contributions(fresh), { engagement: 0.035 }, 'a tenth of the windows: a tenth');
    assert.match(fresh.factors[0]?.detail ?? '', /a customer for 9 days/);
    assert.equal(fresh.level, 'low');
    const old = churnRisk({ ...quiet, lastActivityAt: daysAgo(0), customerSince: daysAgo(400) }, now);
    assert.deepEqual(contributions(old), { engagement: 0.35 });
  });

  it('is low for a customer as engaged as before and active today', () => {
    const r = churnRisk(steady, now);
    assert.equal(r.recentEngagement, 4);
    assert.equal(r.previousEngagement, 4);
    assert.equal(r.risk, 0);
    assert.equal(r.level, 'low');
    assert.equal(r.openCases, undefined, 'cases not read');
  });

  it('is medium when engagement stopped a while ago, each part a factor', () => {
    const r = churnRisk(
      { email: spread(6, 31, 90), pages: spread(12, 31, 90), events: [], lastActivityAt: daysAgo(48) },
      now,
    );
    // Drop: 0.35 × (9 − 0) / 9, emails 0.35 × 3/9, pages 0.35 × 6/9; silence 0.25 × 48/60.
    assert.equal(r.risk, 0.55);
    assert.equal(r.level, 'medium', 'engagement alone never reaches high');
    assert.deepEqual(
      r.factors.map((f) => [f.feature, f.contribution]),
      [
        ['pageViews', 0.233],
        ['daysSinceActivity', 0.2],
        ['emailEngagement', 0.117],
      ],
    );
    assert.equal(r.factors[0]?.detail, '0 page views in the last 30 days, 6 per 30 days in the 60 before');
    assert.equal(r.factors[1]?.detail, 'Last activity 48 days ago');
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

  it('is low for half the engagement, and medium for a customer never active', () => {
    const half = churnRisk(
      {
        email: [],
        pages: [],
        events: [...spread(3, 0, 30), ...spread(12, 30, 90)],
        lastActivityAt: daysAgo(12),
      },
      now,
    );
    // 0.35 × (6 − 3) / 6 = 0.175, silence 0.25 × 12/60 = 0.05.
    assert.equal(half.risk, 0.225);
    assert.equal(half.level, 'low');
    const never = churnRisk({ email: [], pages: [], events: [] }, now);
    assert.equal(never.risk, 0.6);
    assert.equal(never.level, 'medium');
    assert.deepEqual(
      never.factors.map((f) => [f.feature, f.contribution, f.detail]),
      [
        ['engagement', 0.35, 'No email opens or clicks, page views or product events in the last 90 days'],
        ['daysSinceActivity', 0.25, 'No activity recorded'],
      ],
    );
  });
});

describe('churn risk from open cases', () => {
  it('counts each open case, more when high or urgent and when opened over 14 days ago', () => {
    const r = churnRisk(
      {
        ...steady,
        cases: [
          aCase({ priority: 'urgent', createdAt: daysAgo(20) }),
          aCase({ status: 'pending' }),
          aCase({ status: 'resolved', priority: 'urgent', createdAt: daysAgo(40) }),
          aCase({ status: 'closed' }),
        ],
      },
      now,
    );
    // Points: 1 + 1 (urgent) + 1 (old), and 1 for the pending one; resolved and closed ones are done.
    assert.equal(r.openCases, 2);
    assert.deepEqual(r.factors, [
      {
        feature: 'openCases',
        label: 'Open cases',
        detail: '2 open cases (1 high or urgent, 1 open over 14 days)',
        value: 2,
        contribution: 0.25,
      },
    ]);
    assert.equal(r.risk, 0.25);
    assert.equal(r.level, 'low');
  });

  it('weighs one fresh normal case a quarter, and caps the points at 4', () => {
    const one = churnRisk({ ...steady, cases: [aCase()] }, now);
    assert.equal(one.risk, 0.063);
    assert.equal(one.factors[0]?.detail, '1 open case');
    const many = churnRisk(
      {
        ...steady,
        cases: Array.from({ length: 6 }, () => aCase({ priority: 'high', createdAt: daysAgo(30) })),
      },
      now,
    );
    assert.equal(contributions(many).openCases, 0.25);
    assert.equal(many.factors[0]?.detail, '6 open cases (6 high or urgent, 6 open over 14 days)');
  });

  it('has no cases factor when none is open', () => {
    const r = churnRisk({ ...steady, cases: [aCase({ status: 'resolved' })] }, now);
    assert.equal(r.openCases, 0);
    assert.deepEqual(r.factors, []);
    assert.equal(r.risk, 0);
  });
});

describe('churn risk from CSAT', () => {
  it('adds 0.15 when the latest rating of the last 90 days is 1 or 2', () => {
    const r = churnRisk({ ...steady, cases: [rated(5, 30), rated(2, 5)] }, now);
    assert.equal(r.csatAverage, 3.5);
    assert.deepEqual(r.factors, [
      {
        feature: 'satisfaction',
        label: 'Satisfaction (CSAT)',
        detail: 'Last rated 2 of 5, 5 days ago; average 3.5 of 5 from 2 ratings in the last 90 days',
        value: 3.5,
        contribution: 0.15,
      },
    ]);
    assert.equal(r.risk, 0.15);
  });

  it('adds 0.15 when the average is under 3, though the latest is 3', () => {
    const r = churnRisk({ ...steady, cases: [rated(1, 40), rated(3, 5)] }, now);
    assert.equal(contributions(r).satisfaction, 0.15);
    assert.equal(r.csatAverage, 2);
  });

  it('takes 0.05 off for an average of 4 or more, and counts no rating older than 90 days', () => {
    const never = { email: [], pages: [], events: [] };
    const good = churnRisk({ ...never, cases: [rated(1, 100), rated(5, 10), rated(4, 20)] }, now);
    assert.equal(good.csatAverage, 4.5);
    assert.equal(contributions(good).satisfaction, -0.05);
    assert.equal(good.risk, 0.55);
    const middling = churnRisk({ ...never, cases: [rated(3, 10), rated(4, 20)] }, now);
    assert.equal(middling.csatAverage, 3.5);
    assert.equal(contributions(middling).satisfaction, undefined, 'no contribution: not shown');
    assert.equal(middling.risk, 0.6);
    const old = churnRisk({ ...never, cases: [rated(1, 100)] }, now);
    assert.equal(old.csatAverage, undefined);
    assert.equal(old.risk, 0.6);
  });

  it('makes a silent customer with open cases and a bad rating high, every part shown', () => {
    const r = churnRisk(
      {
        email: spread(6, 31, 90),
        pages: [],
        events: [],
        lastActivityAt: daysAgo(60),
        cases: [aCase({ priority: 'high', createdAt: daysAgo(20) }), aCase(), rated(1, 3)],
      },
      now,
    );
    // 0.35 + 0.25 + 0.25 × 4/4 + 0.15, held to 1.
    assert.equal(r.risk, 1);
    assert.equal(r.level, 'high');
    assert.deepEqual(
      r.factors.map((f) => [f.feature, f.contribution]),
      [
        ['emailEngagement', 0.35],
        ['daysSinceActivity', 0.25],
        ['openCases', 0.25],
        ['satisfaction', 0.15],
      ],
    );
  });
});
