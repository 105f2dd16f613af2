/**
 * Conversion predictions without storage: labels, features, training on planted synthetic contacts
 * (signs recovered, AUC near the planted model's), too few positives, and the factors of a prediction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FUNCTIONS } from '#platform/manifest.js';
import {
  baseFeatures,
  type ContactSignals,
  commonSources,
  emailEngagementOf,
  marketingStage,
  normalizedSource,
  topFactors,
} from '#predictions/features.js';
import { auc, isHoldout } from '#predictions/logistic.js';
import { BASE_FEATURES, type Coefficient } from '#predictions/model.js';
import { TRAINED_EVERY_HOURS } from '#predictions/predictions.js';
import { LABEL_DAYS, labelFor, predict, train } from '#predictions/rules.js';
import { isWonStage } from '#sales/model.js';
import { SYNTHETIC_CONTEXT, SYNTHETIC_NOW, syntheticExamples } from '#test/support/predictions.js';

const now = SYNTHETIC_NOW;
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const quiet: ContactSignals = { tags: 0, email: { opens: 0, clicks: 0 } };

describe('labels', () => {
  it('a won deal is 1; no won deal is 0 only once the contact is old enough', () => {
    const won = new Set(['W']);
    assert.equal(labelFor({ id: 'W', createdAt: daysAgo(1) }, won, now), 1);
    assert.equal(labelFor({ id: 'A', createdAt: daysAgo(LABEL_DAYS) }, won, now), 0);
    assert.equal(labelFor({ id: 'B', createdAt: daysAgo(LABEL_DAYS - 1) }, won, now), undefined);
  });

  it('a deal is won in a stage of probability 1', () => {
    const pipeline = {
      id: 'P',
      name: 'Sales',
      stages: [
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
      ],
      createdAt: daysAgo(10),
      updatedAt: daysAgo(10),
    };
    assert.equal(isWonStage(pipeline, 'Won'), true);
    assert.equal(isWonStage(pipeline, 'Proposal'), false);
    assert.equal(isWonStage(pipeline, 'Gone'), false);
  });
});

describe('features', () => {
  it('are made from the standing, the site summary, the send ledger, tags and source', () => {
    const email = emailEngagementOf([
      { openedAt: daysAgo(5), clickedAt: daysAgo(4) },
      { openedAt: daysAgo(20) },
      {},
    ]);
    assert.deepEqual(email, { opens: 2, clicks: 1, lastEngagedAt: daysAgo(4) });
    const { values, shown } = baseFeatures(
      {
        tags: 3,
        standing: {
          contactId: 'C',
          points: 40,
          asOf: daysAgo(30),
          awarded: {},
          stage: 'marketing_qualified_lead',
          qualified: true,
          version: 1,
        },
        web: { pageViews: 9, events: 0, lastSeenAt: daysAgo(10) },
        email,
      },
      SYNTHETIC_CONTEXT,
    );
    const byName = Object.fromEntries(BASE_FEATURES.map((f, i) => [f, [values[i], shown[i]]]));
    assert.deepEqual(byName.score, [20, 20], '40 points, one half-life ago');
    assert.deepEqual(byName.stage, [3, 3]);
    assert.deepEqual(byName.pageViews, [Math.log(10), 9]);
    assert.deepEqual(byName.emailClicks, [Math.log(2), 1]);
    assert.deepEqual(byName.daysSinceActivity, [4, 4], 'the latest of a visit and a click');
    assert.deepEqual(byName.tags, [3, 3]);
    assert.equal(baseFeatures(quiet, SYNTHETIC_CONTEXT).values[6], 365, 'never active');
  });

  it('count deal stages as the stage marketing reached (no label in a feature)', () => {
    const standing = (stage: 'customer' | 'opportunity' | 'lead', qualified: boolean) => ({
      contactId: 'C',
      points: 0,
      asOf: daysAgo(0),
      awarded: {},
      stage,
      qualified,
      version: 1,
    });
    assert.equal(marketingStage(undefined), 0);
    assert.equal(marketingStage(standing('lead', false)), 2);
    assert.equal(marketingStage(standing('customer', false)), 2);
    assert.equal(marketingStage(standing('customer', true)), 3);
    assert.equal(marketingStage(standing('opportunity', true)), 3);
  });

  it('one-hot only the few common sources, by their part before the colon', () => {
    assert.equal(normalizedSource('form:01JABC'), 'form');
    assert.equal(normalizedSource(' Newsletter '), 'newsletter');
    assert.equal(normalizedSource(''), undefined);
    const sources = [
      ...Array(40).fill('form:F1'),
      ...Array(30).fill('import'),
      ...Array(10).fill('booking:intro'),
      ...Array(8).fill('purchase:shop'),
      ...Array(2).fill('fair'),
      ...Array(10).fill(undefined),
    ];
    assert.deepEqual(commonSources(sources), ['form', 'import', 'booking']);
    assert.deepEqual(
      commonSources(Array(50).fill('form:F1')),
      [],
      'a source every contact has tells nothing',
    );
  });
});

describe('training', () => {
  const examples = syntheticExamples(6000, 11);

  it('recovers the signs of the planted coefficients, with an AUC near the planted model’s', () => {
    const result = train(examples, SYNTHETIC_CONTEXT);
    assert.equal(result.outcome, 'trained');
    if (result.outcome !== 'trained') return;
    const m = result.model;
    const coef = (f: string) => m.coefficients.find((c) => c.feature === f)?.coefficient as number;
    for (const f of ['score', 'stage', 'pageViews', 'emailClicks', 'source:form']) assert.ok(coef(f) > 0, f);
    for (const f of ['daysSinceActivity', 'source:import']) assert.ok(coef(f) < 0, f);
    const held = examples.filter((e) => isHoldout(e.id));
    const planted = auc(
      held.map((e) => e.planted),
      held.map((e) => e.label),
    ) as number;
    assert.equal(m.holdoutSize, held.length);
    assert.equal(m.trainingSize + m.holdoutSize, examples.length);
    assert.equal(m.positives + m.holdoutPositives, examples.filter((e) => e.label === 1).length);
    assert.ok(m.auc > 0.7, `AUC ${m.auc}`);
    assert.ok(Math.abs(m.auc - planted) < 0.03, `AUC ${m.auc} against the planted ${planted}`);
    assert.equal(m.trainedAt, SYNTHETIC_NOW.toISOString());
    assert.equal(m.coefficients.find((c) => c.feature === 'source:form')?.label, 'Source: form');
  });

  it('is the same model when trained twice on the same contacts', () => {
    assert.deepEqual(train(examples, SYNTHETIC_CONTEXT), train([...examples].reverse(), SYNTHETIC_CONTEXT));
  });

  it('is skipped, saying why, with too few converted contacts (or too few others)', () => {
    const few = [
      ...examples.filter((e) => e.label === 1).slice(0, 19),
      ...examples.filter((e) => e.label === 0).slice(0, 500),
    ];
    assert.deepEqual(train(few, SYNTHETIC_CONTEXT), {
      outcome: 'skipped',
      reason: 'too_few_positives',
      message: '19 contacts have a won deal; training needs at least 20.',
    });
    const noNegatives = examples.filter((e) => e.label === 1);
    const skipped = train(noNegatives, SYNTHETIC_CONTEXT);
    assert.equal(skipped.outcome === 'skipped' && skipped.reason, 'too_few_negatives');
  });

  it('keeps the trainer’s period and the one the API tells equal', () => {
    assert.equal(FUNCTIONS['predictions-trainer'].trigger.minutes / 60, TRAINED_EVERY_HOURS);
  });
});

describe('a prediction', () => {
  const coefficients: Coefficient[] = [
    { feature: 'score', label: 'Lead score', coefficient: 1, mean: 20, sd: 10 },
    { feature: 'pageViews', label: 'Page views', coefficient: 0.5, mean: Math.log(4), sd: 1 },
    { feature: 'daysSinceActivity', label: 'Days since last activity', coefficient: -0.8, mean: 100, sd: 50 },
    { feature: 'tags', label: 'Tags', coefficient: 0.01, mean: 1, sd: 1 },
    { feature: 'source:form', label: 'Source: form', coefficient: 0.3, mean: 0.5, sd: 0.5 },
  ];

  it('explains itself by its three largest signed contributions, in words', () => {
    const signals: ContactSignals = {
      source: 'form:F1',
      tags: 1,
      standing: {
        contactId: 'C',
        points: 50,
        asOf: now.toISOString(),
        awarded: {},
        qualified: true,
        version: 1,
      },
      web: { pageViews: 3, events: 0, lastSeenAt: daysAgo(200) },
      email: { opens: 0, clicks: 0 },
    };
    const { likelihood, factors } = predict({ intercept: -1, coefficients }, signals, SYNTHETIC_CONTEXT);
    // score +3, days since (200 − 100)/50 × −0.8 = −1.6, form +0.3, pages 0.5·(log 4 − log 4) = 0, tags 0.
    assert.deepEqual(
      factors.map((f) => [f.feature, f.contribution, f.detail]),
      [
        ['score', 3, 'Lead score 50 (average 20)'],
        ['daysSinceActivity', -1.6, 'Last active 200 days ago (average 100 days)'],
        ['source:form', 0.3, 'Came from form'],
      ],
    );
    const logit = -1 + 3 - 1.6 + 0.3;
    assert.equal(likelihood, Math.round((1 / (1 + Math.exp(-logit))) * 1000) / 1000);
    const typical = topFactors(coefficients, {
      values: [20, Math.log(10), 100, 1, 0],
      shown: [20, 9, 100, 1, 0],
    });
    assert.deepEqual(
      typical.map((f) => [f.feature, f.detail]),
      [
        // 0.5 × (log 10 − log 4) = 0.46, then 0.3 × (0 − 0.5) / 0.5 = −0.3.
        ['pageViews', 'Page views 9 (typical 3)'],
        ['source:form', 'Did not come from form'],
      ],
      'a typical count is exp(mean of log(1 + n)) − 1; features at the average do not count',
    );
  });
});
