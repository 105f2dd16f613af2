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
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Pipeline' })),
);

export type Pipeline = z.infer<typeof PipelineSchema>;

/** A deal is won when it is in a stage of win probability 1. */
export const isWonStage = (pipeline: Pipeline | undefined, stageName: string) =>
  (pipeline?.stages.find((s) => s.name === stageName)?.probability ?? 0) >= 1;

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

export const BoardSchema = z.lazy(() =>
  z
    .object({
      pipeline: PipelineSchema,
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
      owner: z.optional(z.string()),
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
