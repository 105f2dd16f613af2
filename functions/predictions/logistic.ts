/**
 * The arithmetic of the conversion model, pure and small: a logistic regression fitted by Newton's
 * method with an L2 penalty, standardization, the rank-based AUC, and the deterministic holdout.
 *
 * Why not a library: `ml-logistic-regression` (2.0.0, the maintained npm choice) fits by plain
 * gradient ascent with a fixed 50,000 steps and a fixed learning rate on the *summed* gradient (so
 * the step grows with the number of contacts: with tens of thousands it oscillates, with a few
 * hundred it stops short), has no intercept, no regularization, no convergence test and no types,
 * returns classes rather than probabilities from its public class, and brings ml-matrix into the
 * bundle. Newton's method (iteratively reweighted least squares) needs no learning rate and
 * converges in about ten passes; with at most a dozen features its Hessian is a 13×13 system.
 */

/** The logistic function, without overflow for large |t|. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

export interface Fit {
  intercept: number;
  weights: number[];
  iterations: number;
  converged: boolean;
}

export interface FitOptions {
  /** The L2 penalty λ: the fit maximizes log-likelihood − λ/2 · |weights|² (the intercept is not penalized). */
  l2?: number;
  maxIterations?: number;
  /** Converged when no parameter moves by more than this in an iteration. */
  tolerance?: number;
}

export const DEFAULT_L2 = 1;

/** log(1 + e^t) without overflow. */
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));

function penalizedLogLikelihood(x: number[][], y: number[], theta: number[], l2: number): number {
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    const eta = linear(theta, x[i] as number[]);
    // y·η − log(1 + e^η)
    ll += (y[i] as number) * eta - softplus(eta);
  }
  let penalty = 0;
  for (let j = 1; j < theta.length; j++) penalty += (theta[j] as number) ** 2;
  return ll - (l2 / 2) * penalty;
}

/** θ0 + Σ θj·xj (θ0 the intercept). */
function linear(theta: number[], row: number[]): number {
  let eta = theta[0] as number;
  for (let j = 0; j < row.length; j++) eta += (theta[j + 1] as number) * (row[j] as number);
  return eta;
}

/** Solves A·v = b (A square, small) by Gaussian elimination with partial pivoting; undefined if singular. */
export function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]?.[col] as number) > Math.abs(m[pivot]?.[col] as number)) pivot = r;
    const top = m[pivot] as number[];
    if (Math.abs(top[col] as number) < 1e-12) return undefined;
    [m[col], m[pivot]] = [top, m[col] as number[]];
    const p = m[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let c = r + 1; c < n; c++) s -= (row[c] as number) * (v[c] as number);
    v[r] = s / (row[r] as number);
  }
  return v;
}

/**
 * Fits P(y=1 | x) = σ(b + w·x) to rows `x` (already standardized) and labels `y` (0 or 1) by
 * Newton's method on the L2-penalized log-likelihood, halving a step that would lower it. The
 * penalty keeps the weights finite when a feature separates the classes perfectly.
 */
export function fitLogistic(x: number[][], y: number[], options: FitOptions = {}): Fit {
  const l2 = options.l2 ?? DEFAULT_L2;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-7;
  const d = x[0]?.length ?? 0;
  const p = d + 1;
  const theta = new Array<number>(p).fill(0);
  // Start at the base rate: the intercept alone.
  const rate = y.reduce((s, v) => s + v, 0) / Math.max(1, y.length);
  theta[0] = Math.log(Math.max(1e-6, rate) / Math.max(1e-6, 1 - rate));
  let current = penalizedLogLikelihood(x, y, theta, l2);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < x.length; i++) {
      const row = x[i] as number[];
      const mu = sigmoid(linear(theta, row));
      const residual = (y[i] as number) - mu;
      const weight = mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        const xj = j === 0 ? 1 : (row[j - 1] as number);
        gradient[j] = (gradient[j] as number) + residual * xj;
        const hj = hessian[j] as number[];
        for (let k = j; k < p; k++)
          hj[k] = (hj[k] as number) + weight * xj * (k === 0 ? 1 : (row[k - 1] as number));
      }
    }
    for (let j = 0; j < p; j++) {
      const hj = hessian[j] as number[];
      for (let k = 0; k < j; k++) hj[k] = (hessian[k] as number[])[j] as number;
      if (j > 0) {
        gradient[j] = (gradient[j] as number) - l2 * (theta[j] as number);
        hj[j] = (hj[j] as number) + l2;
      } else hj[j] = (hj[j] as number) + 1e-9;
    }
    const step = solve(hessian, gradient);
    if (!step)
      return {
        intercept: theta[0] as number,
        weights: theta.slice(1),
        iterations: iteration,
        converged: false,
      };
    let t = 1;
    let next = theta.map((v, j) => v + (step[j] as number));
    let value = penalizedLogLikelihood(x, y, next, l2);
    while (value < current - 1e-12 && t > 1e-4) {
      t /= 2;
      next = theta.map((v, j) => v + t * (step[j] as number));
      value = penalizedLogLikelihood(x, y, next, l2);
    }
    const moved = Math.max(...next.map((v, j) => Math.abs(v - (theta[j] as number))));
    for (let j = 0; j < p; j++) theta[j] = next[j] as number;
    current = value;
    if (moved < tolerance)
      return {
        intercept: theta[0] as number,
        weights: theta.slice(1),
        iterations: iteration,
        converged: true,
      };
  }
  return {
    intercept: theta[0] as number,
    weights: theta.slice(1),
    iterations: maxIterations,
    converged: false,
  };
}

/** The probability the fitted model gives a (standardized) row. */
export const probability = (fit: Pick<Fit, 'intercept' | 'weights'>, row: number[]): number =>
  sigmoid(linear([fit.intercept, ...fit.weights], row));

/**
 * The area under the ROC curve: the chance that a random positive scores above a random negative
 * (ties count half) — Mann–Whitney's U over the rank sum of the positives, ties given their average
 * rank. Undefined without both classes.
 */
export function auc(scores: number[], labels: number[]): number | undefined {
  const order = scores.map((s, i) => ({ s, y: labels[i] === 1 })).sort((a, b) => a.s - b.s);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.s === order[i]?.s) j++;
    // Ranks i+1 … j+1 share their average.
    const rank = (i + 1 + (j + 1)) / 2;
    for (let k = i; k <= j; k++)
      if (order[k]?.y) {
        positives++;
        rankSum += rank;
      }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Each column's mean and (population) standard deviation; a constant column gets sd 1. */
export function columnStats(rows: number[][]): { means: number[]; sds: number[] } {
  const d = rows[0]?.length ?? 0;
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(0);
  if (rows.length === 0) return { means, sds: sds.map(() => 1) };
  for (const row of rows) for (let j = 0; j < d; j++) means[j] = (means[j] as number) + (row[j] as number);
  for (let j = 0; j < d; j++) means[j] = (means[j] as number) / rows.length;
  for (const row of rows)
    for (let j = 0; j < d; j++)
      sds[j] = (sds[j] as number) + ((row[j] as number) - (means[j] as number)) ** 2;
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt((sds[j] as number) / rows.length);
    sds[j] = sd > 1e-9 ? sd : 1;
  }
  return { means, sds };
}

export const standardized = (row: number[], means: number[], sds: number[]): number[] =>
  row.map((v, j) => (v - (means[j] as number)) / (sds[j] as number));

/** The share of contacts held out of training to measure the model on. */
export const HOLDOUT_SHARE = 0.2;

/**
 * Whether a contact is held out: a hash of its id (FNV-1a, then murmur3's finalizer to spread ids
 * that differ only in their last characters), so a contact stays on the same side run after run.
 */
export function isHoldout(id: string, share = HOLDOUT_SHARE): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // `^` yields a signed 32-bit number: each step is brought back to unsigned.
  h = Math.imul((h ^ (h >>> 16)) >>> 0, 0x85ebca6b) >>> 0;
  h = Math.imul((h ^ (h >>> 13)) >>> 0, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 2 ** 32 < share;
}
