/**
 * Conversion predictions: the model trained daily on what the workspace stores (a logistic
 * regression over a few standardized features of each contact, with its held-out AUC), the last
 * training run (trained, or skipped and why), and what the API shows of a contact: how likely it is
 * to convert and why, and for a customer how likely it is to drift away. One zod schema per record;
 * the types derive from them.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';

/** The features every model has (sources, one-hot, are added per model: `source:<name>`). */
export const BASE_FEATURES = [
  'score',
  'stage',
  'pageViews',
  'productEvents',
  'emailOpens',
  'emailClicks',
  'daysSinceActivity',
  'tags',
] as const;
export type BaseFeature = (typeof BASE_FEATURES)[number];

/** One feature's coefficient in a stored model, with the training set's mean and sd it was standardized with. */
export const CoefficientSchema = z.lazy(() =>
  z
    .object({
      /** A base feature, or `source:<name>` (1 when the contact came from that source). */
      feature: z.string(),
      label: z.string(),
      /** Change of the log-odds for one standard deviation more of the feature. */
      coefficient: z.number(),
      mean: z.number(),
      sd: z.number(),
    })
    .check(z.meta({ id: 'PredictionCoefficient' })),
);
export type Coefficient = z.infer<typeof CoefficientSchema>;

/** The trained model, as stored (one item, replaced by each training that succeeds). */
export const PredictionModelSchema = z.lazy(() =>
  z
    .object({
      trainedAt: z.string(),
      /** The log-odds of a contact whose every feature is the training set's mean. */
      intercept: z.number(),
      coefficients: z.array(CoefficientSchema),
      /** Area under the ROC curve on the held-out contacts (0.5: no better than chance; 1: perfect). */
      auc: z.number(),
      /** How many contacts were trained on and held out, and how many of each had converted. */
      trainingSize: z.int(),
      holdoutSize: z.int(),
      positives: z.int(),
      holdoutPositives: z.int(),
      /** A contact without a won deal counts as not converted once it is this many days old. */
      labelDays: z.int(),
      /** The L2 penalty the coefficients were fitted with. */
      l2: z.number(),
      iterations: z.int(),
    })
    .check(z.meta({ id: 'PredictionModel' })),
);
export type PredictionModel = z.infer<typeof PredictionModelSchema>;

export const SKIP_REASONS = [
  'too_few_positives',
  'too_few_negatives',
  'holdout_lacks_a_class',
  'did_not_converge',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** The last training run: what it read and what it did (a skipped run keeps the previous model). */
export const TrainingRunSchema = z.lazy(() =>
  z
    .object({
      at: z.string(),
      outcome: z.enum(['trained', 'skipped']),
      reason: z.optional(z.enum(SKIP_REASONS)),
      /** Why, in words (a skipped run). */
      message: z.optional(z.string()),
      contactsRead: z.int(),
      /** Contacts with a label: a won deal, or none and older than `labelDays`. */
      labeled: z.int(),
      positives: z.int(),
      /** Reading stopped at the cap (or the time limit) before the last contact. */
      capped: z.boolean(),
      /** The scheduled event's time, when a timer started the run (a redelivery of it does not train again). */
      runKey: z.optional(z.string()),
      /**
       * Contacts whose likelihood the run stored (by the model it trained, or the previous one when it
       * kept it); fewer than `contactsRead` when the deadline stopped the writing. Absent: no model.
       */
      scored: z.optional(z.int()),
    })
    .check(z.meta({ id: 'TrainingRun' })),
);
export type TrainingRun = z.infer<typeof TrainingRunSchema>;

/** What the API shows of the model (GET /v1/predictions/model). */
export const PredictionModelViewSchema = z.lazy(() =>
  z
    .object({
      /** Absent until a training succeeded. */
      model: z.optional(PredictionModelSchema),
      lastRun: z.optional(TrainingRunSchema),
      /** How often the model is trained, in hours. */
      trainedEveryHours: z.int(),
      minimumPositives: z.int(),
    })
    .check(z.meta({ id: 'PredictionModelView' })),
);
export type PredictionModelView = z.infer<typeof PredictionModelViewSchema>;

/** Why a prediction is what it is: one feature's signed share of it. */
export const PredictionFactorSchema = z.lazy(() =>
  z
    .object({
      feature: z.string(),
      label: z.string(),
      /** In words: "Lead score 62 (average 18)". */
      detail: z.string(),
      /** The contact's value of it (days since the last activity: -1 when never active). */
      value: z.number(),
      /**
       * Signed: positive raises the likelihood (the churn risk), negative lowers it. Log-odds for a
       * conversion likelihood; points of the risk (0..1) for churn.
       */
      contribution: z.number(),
    })
    .check(z.meta({ id: 'PredictionFactor' })),
);
export type PredictionFactor = z.infer<typeof PredictionFactorSchema>;

export const CHURN_LEVELS = ['low', 'medium', 'high'] as const;

/** A customer's risk of drifting away, from falling engagement, open cases and low CSAT (a heuristic, not the model). */
export const ChurnRiskSchema = z.lazy(() =>
  z
    .object({
      /** 0..1. */
      risk: z.number(),
      level: z.enum(CHURN_LEVELS),
      /** Email opens and clicks, page views and product events in the last 30 days… */
      recentEngagement: z.int(),
      /** …and per 30 days in the 60 days before. */
      previousEngagement: z.number(),
      lastActivityAt: z.optional(z.string()),
      /** Its cases still open (new, open or pending), of the latest 100. */
      openCases: z.optional(z.int()),
      /** The average of its CSAT ratings (1–5) of the last 90 days, when it gave any. */
      csatAverage: z.optional(z.number()),
      factors: z.array(PredictionFactorSchema),
    })
    .check(z.meta({ id: 'ChurnRisk' })),
);
export type ChurnRisk = z.infer<typeof ChurnRiskSchema>;

/** A contact's prediction (GET /v1/contacts/{id}/prediction). */
export const ContactPredictionSchema = z.lazy(() =>
  z
    .object({
      contactId: z.string(),
      /** `no_model`: nothing trained yet (`message` says why); the churn risk may still be there. */
      status: z.enum(['predicted', 'no_model']),
      /** How likely the contact is to get a won deal, 0..1. */
      likelihood: z.optional(z.number()),
      /** The top three contributions to it, largest first. */
      factors: z.array(PredictionFactorSchema),
      modelTrainedAt: z.optional(z.string()),
      modelAuc: z.optional(z.number()),
      message: z.optional(z.string()),
      stage: z.optional(z.enum(LIFECYCLE_STAGES)),
      /** Only for contacts in the `customer` stage. */
      churn: z.optional(ChurnRiskSchema),
    })
    .check(z.meta({ id: 'ContactPrediction' })),
);
export type ContactPrediction = z.infer<typeof ContactPredictionSchema>;

/**
 * A contact's likelihood band: `high` from 0.5 (more likely than not to get a won deal), `medium`
 * from 0.2, `low` under it.
 */
export const LIKELIHOOD_BANDS = ['low', 'medium', 'high'] as const;
export type LikelihoodBand = (typeof LIKELIHOOD_BANDS)[number];
export const HIGH_FROM = 0.5;
export const MEDIUM_FROM = 0.2;
export const bandOf = (likelihood: number): LikelihoodBand =>
  likelihood >= HIGH_FROM ? 'high' : likelihood >= MEDIUM_FROM ? 'medium' : 'low';

/** A contact's likelihood as the daily trainer stored it (a list's column, a band's listing). */
export const ContactLikelihoodSchema = z.lazy(() =>
  z
    .object({
      contactId: z.string(),
      /** How likely the contact is to get a won deal, 0..1. */
      likelihood: z.number(),
      band: z.enum(LIKELIHOOD_BANDS),
      /** When the trainer's run scored it. */
      scoredAt: z.string(),
      /** The model it was scored by. */
      modelTrainedAt: z.string(),
    })
    .check(z.meta({ id: 'ContactLikelihood' })),
);
export type ContactLikelihood = z.infer<typeof ContactLikelihoodSchema>;
