/** Sales records: pipelines with their stages, deals, the board, and tasks. One zod schema per record. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

export const PipelineStageSchema = z.lazy(() =>
  z.object({
    name: z.string(),
    /** Win probability of a deal in this stage, 0..1 (weights the forecast). */
    probability: z.number(),
  }),
);
export type PipelineStage = z.infer<typeof PipelineStageSchema>;

export const PipelineSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      stages: z.array(PipelineStageSchema),
      /** Absent on pipelines made before stages could be edited (taken as 1). */
      version: z.optional(z.int()),
      /**
       * A stage edit still moving deals (old stage name → the stage they go to): read as the new one
       * until the last page of deals is moved (pipelines.ts `editStages`).
       */
      migrating: z.optional(
        z.array(z.object({ from: z.string(), to: z.string(), rename: z.optional(z.boolean()) })),
      ),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Pipeline' })),
);

export type Pipeline = z.infer<typeof PipelineSchema>;

/** The name a stage goes by now: itself, or where a stage edit still under way moves its deals. */
export const currentStageName = (pipeline: Pipeline | undefined, stageName: string) =>
  pipeline?.migrating?.find((m) => m.from === stageName)?.to ?? stageName;

/** A deal is won when it is in a stage of win probability 1. */
export const isWonStage = (pipeline: Pipeline | undefined, stageName: string) => {
  const name = currentStageName(pipeline, stageName);
  return (pipeline?.stages.find((s) => s.name === name)?.probability ?? 0) >= 1;
};

/** What a stage of this win probability is: won (1), lost (0) or open (in between). */
export type StageKind = 'open' | 'won' | 'lost';
export const stageKind = (probability: number): StageKind =>
  probability >= 1 ? 'won' : probability <= 0 ? 'lost' : 'open';

/** A deal's status in the deal list: the kind of its stage (kept on the deal as `outcome`). */
export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** A stage the deal has left, with the time it spent there in all (absent: entered before it was recorded). */
export const StageStintSchema = z.lazy(() => z.object({ stage: z.string(), ms: z.optional(z.int()) }));
export type StageStint = z.infer<typeof StageStintSchema>;

export const DealSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      amount: z.number(),
      currency: z.string(),
      pipelineId: z.string(),
      stage: z.string(),
      contactId: z.optional(z.string()),
      closeDate: z.optional(z.string()),
      owner: z.optional(z.string()),
      /** When the deal entered its current stage (absent on deals older than the stage history). */
      stageEnteredAt: z.optional(z.string()),
      /** The stages it has left, each once, with its total time in each (at most one per pipeline stage). */
      stagesLeft: z.optional(z.array(StageStintSchema)),
      /** The outcome counted in the stage history: set on entering a won or lost stage, cleared on reopening. */
      outcome: z.optional(z.enum(['won', 'lost'])),
      /** Why it was lost (given when it entered a lost stage; cleared when it leaves it). */
      lostReason: z.optional(z.string()),
      /** Why it was won (optional, given when it entered a won stage; cleared when it leaves it). */
      wonReason: z.optional(z.string()),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Deal' })),
);
export type Deal = z.infer<typeof DealSchema>;

export const MoneyTotalSchema = z.lazy(() =>
  z
    .object({ currency: z.string(), amount: z.number(), weighted: z.number() })
    .check(z.meta({ id: 'MoneyTotal' })),
);
export type MoneyTotal = z.infer<typeof MoneyTotalSchema>;

/** A deal's contact as the board and the deal list show it. */
export const DealContactSchema = z.lazy(() =>
  z
    .object({ id: z.string(), email: z.string(), name: z.optional(z.string()) })
    .check(z.meta({ id: 'DealContact' })),
);
export type DealContact = z.infer<typeof DealContactSchema>;

export const DealListSchema = z.lazy(() =>
  z
    .object({
      items: z.array(DealSchema),
      nextCursor: z.optional(z.string()),
      /** The contacts of the deals of the page. */
      contacts: z.array(DealContactSchema),
    })
    .check(z.meta({ id: 'DealList' })),
);

export const BoardSchema = z.lazy(() =>
  z
    .object({
      pipeline: PipelineSchema,
      /** The contacts of its deals. */
      contacts: z.array(DealContactSchema),
      stages: z.array(
        z.object({
          name: z.string(),
          probability: z.number(),
          count: z.number(),
          totals: z.array(MoneyTotalSchema),
          deals: z.array(DealSchema),
        }),
      ),
      totals: z.array(MoneyTotalSchema),
    })
    .check(z.meta({ id: 'Board' })),
);
export type Board = z.infer<typeof BoardSchema>;

/** A stage's history: deals that left it and their time there; closed deals that passed through it. */
export const StageHistorySchema = z.lazy(() =>
  z.object({
    /** Deals that have left the stage (each deal once, however often it came back). */
    left: z.int(),
    /** Average total time those deals spent in the stage, in days (absent: none left yet). */
    averageDays: z.optional(z.number()),
    /** Closed deals that were in this (open) stage before they closed: won, lost. */
    won: z.int(),
    lost: z.int(),
    /** won / (won + lost), absent when none closed. */
    winRate: z.optional(z.number()),
  }),
);
export type StageHistory = z.infer<typeof StageHistorySchema>;

export const ForecastTotalSchema = z.lazy(() =>
  z
    .object({
      currency: z.string(),
      amount: z.number(),
      /** Weighted by the static stage probabilities (the board's forecast). */
      weighted: z.number(),
      /** Weighted by each deal's win rate used (historical, or the static probability as fallback). */
      forecast: z.number(),
    })
    .check(z.meta({ id: 'ForecastTotal' })),
);
export type ForecastTotal = z.infer<typeof ForecastTotalSchema>;

/** Which rate weighs a deal: its stage's history, or the static probability (too few closed deals). */
export const RATE_SOURCES = ['history', 'static'] as const;

export const DealForecastSchema = z.lazy(() =>
  z.object({
    dealId: z.string(),
    title: z.string(),
    stage: z.string(),
    amount: z.number(),
    currency: z.string(),
    winRate: z.number(),
    rateSource: z.enum(RATE_SOURCES),
    stageEnteredAt: z.optional(z.string()),
    daysInStage: z.optional(z.number()),
    /** From the average remaining time in stages (`history`), else the deal's own close date (`deal`). */
    expectedCloseDate: z.optional(z.string()),
    closeDateSource: z.enum(['history', 'deal', 'none']),
  }),
);
export type DealForecast = z.infer<typeof DealForecastSchema>;

export const ForecastSchema = z.lazy(() =>
  z
    .object({
      pipelineId: z.string(),
      asOf: z.string(),
      /** A stage's historical rate (and average time) is used from this many closed (left) deals on. */
      minHistory: z.int(),
      stages: z.array(
        z.object({
          name: z.string(),
          probability: z.number(),
          kind: z.enum(['open', 'won', 'lost']),
          history: StageHistorySchema,
          /** The rate its open deals are forecast with, and where it comes from. */
          winRate: z.number(),
          rateSource: z.enum(RATE_SOURCES),
          count: z.int(),
          totals: z.array(ForecastTotalSchema),
        }),
      ),
      /** The open deals (in open stages), in pipeline order. */
      deals: z.array(DealForecastSchema),
      totals: z.array(ForecastTotalSchema),
    })
    .check(z.meta({ id: 'Forecast' })),
);
export type Forecast = z.infer<typeof ForecastSchema>;

export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TaskSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      dueAt: z.string(),
      status: z.enum(TASK_STATUSES),
      contactId: z.optional(z.string()),
      dealId: z.optional(z.string()),
      /** A user's id (GET /v1/users); tasks written before owners were users may hold free text. */
      owner: z.optional(z.string()),
      notes: z.optional(z.string()),
      source: z.optional(z.object({ workflowId: z.string(), enrollmentId: z.string(), stepId: z.string() })),
      remindedAt: z.optional(z.string()),
      completedAt: z.optional(z.string()),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Task' })),
);

export type CrmTask = z.infer<typeof TaskSchema>;

/**
 * Where the backfill of sales' later indexes is (one item; sales/backfill.ts): tasks (open, then done)
 * given their contact's index item, then each pipeline's deals given their deal list keys.
 */
export const SalesBackfillStateSchema = z.lazy(() =>
  z.object({
    /** The layout of the indexes it fills (SALES_INDEX_VERSION): a new one sweeps again. */
    indexVersion: z.int(),
    phase: z.enum(['tasks-open', 'tasks-done', 'deals', 'done']),
    /** Where the sweep is in its collection (a task status's, or the pipeline's board). */
    cursor: z.optional(z.string()),
    /** The pipeline whose deals are being swept (the `deals` phase). */
    pipelineId: z.optional(z.string()),
    /** Records read, and index entries written, since it started. */
    swept: z.int(),
    indexed: z.int(),
    startedAt: z.string(),
    finishedAt: z.optional(z.string()),
    version: z.int(),
  }),
);
export type SalesBackfillState = z.infer<typeof SalesBackfillStateSchema>;
