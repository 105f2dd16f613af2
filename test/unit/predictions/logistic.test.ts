/** The conversion model's arithmetic: AUC on known cases, Newton's fit with L2, standardization, the holdout. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  auc,
  columnStats,
  fitLogistic,
  HOLDOUT_SHARE,
  isHoldout,
  probability,
  sigmoid,
  solve,
} from '#predictions/logistic.js';
import { normal, seeded } from '#test/support/predictions.js';

describe('auc', () => {
  it('is 1 when every positive scores above every negative, 0 when below', () => {
    assert.equal(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
    assert.equal(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  });

  it('counts ties as half, and is 0.5 when every score is the same', () => {
    assert.equal(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
    // One positive tied with one of two negatives: pairs (p,n1) tie = ½, (p,n2) win = 1 → 0.75.
    assert.equal(auc([0.3, 0.5, 0.5], [0, 0, 1]), 0.75);
  });

  it('matches the pair count on a textbook case', () => {
    // The scikit-learn documentation's example: 3 of the 4 (positive, negative) pairs are in order.
    assert.equal(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
    // Brute force on a random case, with ties.
    const rand = seeded(7);
    const scores = Array.from({ length: 60 }, () => Math.round(rand() * 10) / 10);
    const labels = scores.map(() => (rand() < 0.4 ? 1 : 0));
    let pairs = 0;
    let wins = 0;
    for (const [i, p] of scores.entries())
      for (const [j, n] of scores.entries()) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        pairs++;
        wins += p > n ? 1 : p === n ? 0.5 : 0;
      }
    assert.ok(Math.abs((auc(scores, labels) as number) - wins / pairs) < 1e-12);
  });

  it('is undefined without both classes', () => {
    assert.equal(auc([0.1, 0.2], [1, 1]), undefined);
    assert.equal(auc([0.1, 0.2], [0, 0]), undefined);
    assert.equal(auc([], []), undefined);
  });
});

describe('fitLogistic', () => {
  /** Rows drawn from a planted model over three independent standard normal features. */
  const planted = (n: number, weights: number[], intercept: number, seed: number) => {
    const rand = seeded(seed);
    const x = Array.from({ length: n }, () => weights.map(() => normal(rand)));
    const y = x.map((row) =>
      rand() < sigmoid(intercept + row.reduce((s, v, j) => s + v * (weights[j] as number), 0)) ? 1 : 0,
    );
    return { x, y };
  };

  it('recovers the signs (and roughly the size) of planted coefficients', () => {
    const weights = [1.5, -0.8, 0];
    const { x, y } = planted(8000, weights, -1, 1);
    const fit = fitLogistic(x, y, { l2: 1 });
    assert.ok(fit.converged);
    assert.ok(fit.iterations < 15, `Newton settles fast (${fit.iterations})`);
    assert.ok((fit.weights[0] as number) > 1.2 && (fit.weights[0] as number) < 1.8, String(fit.weights));
    assert.ok((fit.weights[1] as number) < -0.5 && (fit.weights[1] as number) > -1.1, String(fit.weights));
    assert.ok(Math.abs(fit.weights[2] as number) < 0.15, `no effect planted: ${fit.weights[2]}`);
    assert.ok(Math.abs(fit.intercept + 1) < 0.2, String(fit.intercept));
  });

  it('keeps the weights finite when a feature separates the classes (the L2 penalty)', () => {
    const x = [[-2], [-1], [-0.5], [0.5], [1], [2]];
    const y = [0, 0, 0, 1, 1, 1];
    const fit = fitLogistic(x, y, { l2: 1 });
    assert.ok(fit.converged);
    assert.ok(Number.isFinite(fit.weights[0]) && (fit.weights[0] as number) > 0);
    assert.ok(probability(fit, [2]) > 0.5 && probability(fit, [-2]) < 0.5);
    // A heavier penalty: smaller weights.
    const heavier = fitLogistic(x, y, { l2: 10 });
    assert.ok((heavier.weights[0] as number) < (fit.weights[0] as number));
  });

  it('fits the base rate when the features tell nothing', () => {
    const x = Array.from({ length: 100 }, () => [0]);
    const y = x.map((_, i) => (i < 25 ? 1 : 0));
    const fit = fitLogistic(x, y);
    assert.ok(Math.abs(probability(fit, [0]) - 0.25) < 1e-6);
  });
});

describe('the pieces', () => {
  it('solves a small linear system, and says when it is singular', () => {
    const v = solve(
      [
        [0, 2, 1],
        [1, 1, 0],
        [3, 0, 1],
      ],
      [5, 3, 4],
    );
    assert.deepEqual(
      v?.map((n) => Math.round(n * 1e9) / 1e9),
      [1, 2, 1],
    );
    assert.equal(
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
      undefined,
    );
  });

  it('standardizes with population sds, a constant column with sd 1', () => {
    const { means, sds } = columnStats([
      [1, 5],
      [3, 5],
    ]);
    assert.deepEqual(means, [2, 5]);
    assert.deepEqual(sds, [1, 1]);
  });

  it('holds out about a fifth of ids, the same ones every time', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `01JCONTACT${String(i).padStart(16, '0')}`);
    const held = ids.filter((id) => isHoldout(id));
    const share = held.length / ids.length;
    assert.ok(Math.abs(share - HOLDOUT_SHARE) < 0.015, `held out ${share}`);
    assert.deepEqual(
      ids.filter((id) => isHoldout(id)),
      held,
    );
    assert.equal(sigmoid(1000), 1);
    assert.equal(sigmoid(-1000), 0);
  });
});
