/**
 * Lead scoring and lifecycle stages: the workspace's scoring settings (rules, qualification
 * threshold, half-life) and each contact's standing (score, stage, history). One zod schema per
 * record; the types derive from them.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';

export { LIFECYCLE_STAGES };
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** What a contact did that a rule can give points for, and the filter each one takes. */
export const SCORING_SIGNALS = [
  'email_opened',
  'email_clicked',
  'form_submitted',
  'tag_added',
  'appointment_booked',
  'purchase_made',
  'deal_created',
  'page_visited',
  'event_tracked',
] as const;
export type ScoringSignal = (typeof SCORING_SIGNALS)[number];

/**
 * The filter a signal may take: which template, form, tag, booking page, purchase source, page
 * (a path pattern such as `/pricing*`) or tracked event name.
 */
export const SIGNAL_FILTERS: Record<
  ScoringSignal,
  'templateId' | 'formId' | 'tag' | 'meetingTypeId' | 'source' | 'path' | 'name' | undefined
> = {
  email_opened: 'templateId',
  email_clicked: 'templateId',
  form_submitted: 'formId',
  tag_added: 'tag',
  appointment_booked: 'meetingTypeId',
  purchase_made: 'source',
  deal_created: undefined,
  page_visited: 'path',
  event_tracked: 'name',
};

export const ScoringRuleSchema = z.lazy(() =>
  z
    .strictObject({
      id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a short id such as opened-email')),
      name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
      on: z.enum(SCORING_SIGNALS),
      /**
       * Only this template, form, tag, booking page, purchase source, event name, or pages whose
       * path matches (`/pricing`, `/docs/*`: `*` stands for anything) — the signal's filter.
       */
      filter: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
      /** Points given (negative: taken) each time, -100..100, never 0. */
      points: z.int().check(
        z.gte(-100),
        z.lte(100),
        z.refine((n) => n !== 0, 'must not be 0'),
      ),
      /** At most this many times per contact (absent: every time). */
      limit: z.optional(z.int().check(z.gte(1), z.lte(1000))),
    })
    .check(z.meta({ id: 'ScoringRule' })),
);
export type ScoringRule = z.infer<typeof ScoringRuleSchema>;

/** What moves a contact's stage by itself (besides a person), each to a stage the workspace chooses. */
export const STAGE_MOVES = ['formSubmitted', 'scoreReached', 'dealCreated', 'dealWon'] as const;
export type StageMove = (typeof STAGE_MOVES)[number];

/**
 * The workspace's lifecycle stages: what it calls each (the keys stay the same in the API, events,
 * segments and workflows) and where each automatic move takes a contact (`null`: that move is off).
 * A move still only ever goes forward.
 */
const stageLabels = () =>
  z.partialRecord(z.enum(LIFECYCLE_STAGES), z.string().check(z.trim(), z.minLength(1), z.maxLength(40)));
const moveTarget = () => z.nullable(z.enum(LIFECYCLE_STAGES));

/** No two stages with one name, case aside (the defaults count for stages not renamed). */
const distinctLabels = () =>
  z.superRefine((input: { labels?: Partial<Record<LifecycleStage, string>> | undefined }, ctx) => {
    const seen = new Map<string, string>();
    for (const stage of LIFECYCLE_STAGES) {
      const label = (input.labels?.[stage] ?? defaultStageLabel(stage)).toLowerCase();
      if (seen.has(label))
        ctx.addIssue({
          code: 'custom',
          path: ['labels', stage],
          message: `is already the name of ${seen.get(label)}`,
        });
      seen.set(label, stage);
    }
  });

export const LifecycleSettingsSchema = z.lazy(() =>
  z
    .strictObject({
      labels: stageLabels(),
      moves: z.strictObject({
        formSubmitted: moveTarget(),
        scoreReached: moveTarget(),
        dealCreated: moveTarget(),
        dealWon: moveTarget(),
      }),
    })
    .check(distinctLabels(), z.meta({ id: 'LifecycleSettings' })),
);
export type LifecycleSettings = z.infer<typeof LifecycleSettingsSchema>;

/**
 * What a save may say of the stages: the names (all of them: a stage left out takes its default
 * name back) and any of the moves (those left out stay as they are).
 */
export const LifecycleInputSchema = z.lazy(() =>
  z
    .strictObject({
      labels: z.optional(stageLabels()),
      moves: z.optional(
        z.strictObject({
          formSubmitted: z.optional(moveTarget()),
          scoreReached: z.optional(moveTarget()),
          dealCreated: z.optional(moveTarget()),
          dealWon: z.optional(moveTarget()),
        }),
      ),
    })
    .check(distinctLabels()),
);

/** A stage's name until a workspace renames it: its key in words (`marketing_qualified_lead` → "Marketing qualified lead"). */
export const defaultStageLabel = (stage: LifecycleStage) =>
  `${stage.charAt(0).toUpperCase()}${stage.slice(1).replaceAll('_', ' ')}`;

export const DEFAULT_LIFECYCLE: LifecycleSettings = {
  labels: {},
  moves: {
    formSubmitted: 'lead',
    scoreReached: 'marketing_qualified_lead',
    dealCreated: 'opportunity',
    dealWon: 'customer',
  },
};

/** The settings a workspace writes (PUT /v1/scoring). */
export const ScoringSettingsInputSchema = z.lazy(() =>
  z
    .strictObject({
      rules: z.array(ScoringRuleSchema).check(z.maxLength(50)),
      /** A score at or above this makes a lead a marketing qualified lead (and fires `scoreReached`). */
      threshold: z.int().check(z.gte(1), z.lte(10_000)),
      /** Points lose half their value every this many days; 0: they never decay. */
      halfLifeDays: z.int().check(z.gte(0), z.lte(3650)),
      /** Stage names and automatic moves (absent: kept as they are; see LifecycleInputSchema). */
      lifecycle: z.optional(LifecycleInputSchema),
      /** The version read (absent: the first save). */
      expectedVersion: z.optional(z.int().check(z.gte(0))),
    })
    .check(
      z.superRefine((input, ctx) => {
        const seen = new Set<string>();
        input.rules.forEach((rule, i) => {
          if (seen.has(rule.id))
            ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: 'is used by another rule' });
          seen.add(rule.id);
          if (rule.filter !== undefined && SIGNAL_FILTERS[rule.on] === undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['rules', i, 'filter'],
              message: `a ${rule.on} rule takes no filter`,
            });
        });
      }),
    ),
);
export type ScoringSettingsInput = z.infer<typeof ScoringSettingsInputSchema>;

export const ScoringSettingsSchema = z.lazy(() =>
  z
    .object({
      rules: z.array(ScoringRuleSchema),
      threshold: z.int(),
      halfLifeDays: z.int(),
      /** Stage names and automatic moves (settings saved before they existed read as the defaults). */
      lifecycle: z._default(LifecycleSettingsSchema, () => DEFAULT_LIFECYCLE),
      /** 0: never saved (the defaults). */
      version: z.int(),
      updatedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'ScoringSettings' })),
);
export type ScoringSettings = z.infer<typeof ScoringSettingsSchema>;

/** What a workspace scores before it saves its own rules. */
export const DEFAULT_SCORING: ScoringSettings = {
  rules: [
    { id: 'opened-email', name: 'Opened an email', on: 'email_opened', points: 2, limit: 20 },
    { id: 'clicked-email', name: 'Clicked a link in an email', on: 'email_clicked', points: 5 },
    { id: 'submitted-form', name: 'Submitted a form', on: 'form_submitted', points: 20 },
    { id: 'booked-meeting', name: 'Booked a meeting', on: 'appointment_booked', points: 30 },
  ],
  threshold: 50,
  halfLifeDays: 30,
  lifecycle: DEFAULT_LIFECYCLE,
  version: 0,
};

/**
 * A marketing touch: where a contact came from when it arrived by a campaign link (UTM parameters)
 * or from another site (a referral), on a form or a tracked page.
 */
export const TouchSchema = z.lazy(() =>
  z
    .object({
      source: z.string(),
      medium: z.optional(z.string()),
      campaign: z.optional(z.string()),
      at: z.string(),
      via: z.enum(['form', 'page']),
    })
    .check(z.meta({ id: 'Touch' })),
);
export type Touch = z.infer<typeof TouchSchema>;

/** A contact's standing, as stored: points as of `asOf` (they decay from then), the stage. */
export const StandingSchema = z.lazy(() =>
  z.object({
    contactId: z.string(),
    points: z.number(),
    asOf: z.string(),
    /** How many times each rule gave points (for its limit). */
    awarded: z.record(z.string(), z.int()),
    stage: z.optional(z.enum(LIFECYCLE_STAGES)),
    stageChangedAt: z.optional(z.string()),
    /** The score had reached the threshold (it fires `scoreReached` again only after falling under it). */
    qualified: z.boolean(),
    /** The first and the latest marketing touch (attribution). */
    firstTouch: z.optional(TouchSchema),
    lastTouch: z.optional(TouchSchema),
    version: z.int(),
  }),
);
export type Standing = z.infer<typeof StandingSchema>;

/** One change of a contact's score (its history, newest first). */
export const ScoreChangeSchema = z.lazy(() =>
  z
    .object({
      at: z.string(),
      delta: z.number(),
      /** The score after the change (rounded to one decimal). */
      score: z.number(),
      ruleId: z.optional(z.string()),
      reason: z.string(),
    })
    .check(z.meta({ id: 'ScoreChange' })),
);
export type ScoreChange = z.infer<typeof ScoreChangeSchema>;

/** A contact's score and stage as the API shows them (the score decayed to the time of reading). */
export const ContactStandingSchema = z.lazy(() =>
  z
    .object({
      contactId: z.string(),
      score: z.number(),
      threshold: z.int(),
      stage: z.optional(z.enum(LIFECYCLE_STAGES)),
      stageChangedAt: z.optional(z.string()),
      firstTouch: z.optional(TouchSchema),
      lastTouch: z.optional(TouchSchema),
      history: z.array(ScoreChangeSchema),
      version: z.int(),
    })
    .check(z.meta({ id: 'ContactStanding' })),
);
export type ContactStanding = z.infer<typeof ContactStandingSchema>;

/** A contact's score and stage in a list. */
export const StandingSummarySchema = z.lazy(() =>
  z
    .object({ contactId: z.string(), score: z.number(), stage: z.optional(z.enum(LIFECYCLE_STAGES)) })
    .check(z.meta({ id: 'StandingSummary' })),
);

export const SetStageInputSchema = z.lazy(() =>
  z.strictObject({
    stage: z.enum(LIFECYCLE_STAGES),
    /** The standing's version read (absent: whatever it is now). */
    expectedVersion: z.optional(z.int().check(z.gte(0))),
  }),
);
export type SetStageInput = z.infer<typeof SetStageInputSchema>;
