/**
 * The rules of conversion predictions, without storage: which contacts are labeled and how, the
 * split, training on labeled contacts (or why not), and a prediction from a stored model.
 *
 * The label. 1: the contact has a won deal — a deal in a pipeline stage whose win probability is 1
 * (sales' `isWonStage`, as scoring's customer stage and revenue attribution decide it). 0: the
 * contact has none and was created at least LABEL_DAYS (90) days ago. Contacts younger than that
 * without a won deal are left out of training: they have not had the time to convert yet (most B2B
 * sales cycles are under three months), and counting them as "did not convert" would teach the
 * model that being new is being unlikely. They are the contacts the model is for.
 */
import {
  type ContactSignals,
  commonSources,
  type FeatureContext,
  featureRow,
  labelOf,
  rounded,
  SOURCE_PREFIX,
  topFactors,
} from './features.js';
import {
  auc,
  columnStats,
  DEFAULT_L2,
  fitLogistic,
  isHoldout,
  probability,
  standardized,
} from './logistic.js';
import { BASE_FEATURES, type PredictionFactor, type PredictionModel, type SkipReason } from './model.js';

/** A contact with no won deal counts as not converted once it is this many days old. */
export const LABEL_DAYS = 90;
/** Training needs at least this many converted contacts, and as many that did not convert. */
export const MIN_POSITIVES = 20;
export const MIN_NEGATIVES = 20;

const DAY_MS = 86_400_000;

/** A contact's label: 1 converted, 0 not (old enough), undefined not yet known. */
export function labelFor(
  contact: { id: string; createdAt: string },
  won: ReadonlySet<string>,
  now: Date,
  labelDays = LABEL_DAYS,
): 0 | 1 | undefined {
  if (won.has(contact.id)) return 1;
  return now.getTime() - Date.parse(contact.createdAt) >= labelDays * DAY_MS ? 0 : undefined;
}

/** One labeled contact. */
export interface Example {
  id: string;
  label: 0 | 1;
  signals: ContactSignals;
}

export interface TrainingOptions {
  labelDays?: number;
  minPositives?: number;
  minNegatives?: number;
  l2?: number;
}

export type Training =
  | { outcome: 'trained'; model: PredictionModel }
  | { outcome: 'skipped'; reason: SkipReason; message: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Trains on labeled contacts: the held-out fifth (by id hash) measures the model's AUC, the rest
 * fits it, standardized with the training rows' means and standard deviations.
 */
export function train(examples: Example[], ctx: FeatureContext, options: TrainingOptions = {}): Training {
  const minPositives = options.minPositives ?? MIN_POSITIVES;
  const minNegatives = options.minNegatives ?? MIN_NEGATIVES;
  const positives = examples.filter((e) => e.label === 1).length;
  const negatives = examples.length - positives;
  if (positives < minPositives)
    return {
      outcome: 'skipped',
      reason: 'too_few_positives',
      message: `${plural(positives, 'contact has', 'contacts have')} a won deal; training needs at least ${minPositives}.`,
    };
  if (negatives < minNegatives)
    return {
      outcome: 'skipped',
      reason: 'too_few_negatives',
      message: `${plural(negatives, 'contact')} older than ${options.labelDays ?? LABEL_DAYS} days without a won deal; training needs at least ${minNegatives}.`,
    };
  // In id order: sums in floating point depend on their order, the model must not.
  const sorted = [...examples].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const held = sorted.filter((e) => isHoldout(e.id));
  const fitted = sorted.filter((e) => !isHoldout(e.id));
  const classes = (set: Example[]) => new Set(set.map((e) => e.label)).size;
  if (classes(held) < 2 || classes(fitted) < 2)
    return {
      outcome: 'skipped',
      reason: 'holdout_lacks_a_class',
      message: `the held-out contacts (${held.length}) or the training ones (${fitted.length}) do not have both converted and other contacts; more contacts are needed.`,
    };
  const sources = commonSources(fitted.map((e) => e.signals.source));
  const features = [...BASE_FEATURES, ...sources.map((s) => `${SOURCE_PREFIX}${s}`)];
  const rows = fitted.map((e) => featureRow(e.signals, features, ctx).values);
  const { means, sds } = columnStats(rows);
  const l2 = options.l2 ?? DEFAULT_L2;
  const fit = fitLogistic(
    rows.map((r) => standardized(r, means, sds)),
    fitted.map((e) => e.label),
    { l2 },
  );
  if (!fit.converged)
    return {
      outcome: 'skipped',
      reason: 'did_not_converge',
      message: `the fit did not settle in ${fit.iterations} iterations; the previous model is kept.`,
    };
  const scores = held.map((e) =>
    probability(fit, standardized(featureRow(e.signals, features, ctx).values, means, sds)),
  );
  return {
    outcome: 'trained',
    model: {
      trainedAt: ctx.now.toISOString(),
      intercept: fit.intercept,
      coefficients: features.map((feature, j) => ({
        feature,
        label: labelOf(feature),
        coefficient: fit.weights[j] as number,
        mean: means[j] as number,
        sd: sds[j] as number,
      })),
      auc: auc(
        scores,
        held.map((e) => e.label),
      ) as number,
      trainingSize: fitted.length,
      holdoutSize: held.length,
      positives: fitted.filter((e) => e.label === 1).length,
      holdoutPositives: held.filter((e) => e.label === 1).length,
      labelDays: options.labelDays ?? LABEL_DAYS,
      l2,
      iterations: fit.iterations,
    },
  };
}

/** How likely a contact is to convert by `model`, and the three features that moved it most. */
export function predict(
  model: Pick<PredictionModel, 'intercept' | 'coefficients'>,
  signals: ContactSignals,
  ctx: FeatureContext,
): { likelihood: number; factors: PredictionFactor[] } {
  const features = model.coefficients.map((c) => c.feature);
  const row = featureRow(signals, features, ctx);
  const z = standardized(
    row.values,
    model.coefficients.map((c) => c.mean),
    model.coefficients.map((c) => c.sd),
  );
  const likelihood = probability(
    { intercept: model.intercept, weights: model.coefficients.map((c) => c.coefficient) },
    z,
  );
  return { likelihood: rounded(likelihood), factors: topFactors(model.coefficients, row) };
}
