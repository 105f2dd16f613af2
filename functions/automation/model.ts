/** Workflows and enrollments: one zod schema per record. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { fieldValueSchema } from '#platform/values.js';

export const WORKFLOW_STATUSES = ['draft', 'active', 'paused'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const WorkflowSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      status: z.enum(WORKFLOW_STATUSES),
      /** The draft definition (what PUT edits); published versions are immutable copies. */
      definition: z.record(z.string(), z.unknown()),
      publishedVersion: z.optional(z.int()),
      /** Trigger key of the active version (`tag:<tag>` or `form:<formId>`), while active. */
      triggerKey: z.optional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'Workflow' })),
);
export type Workflow = z.infer<typeof WorkflowSchema>;

export const WorkflowVersionSchema = z.lazy(() =>
  z
    .object({
      workflowId: z.string(),
      version: z.int(),
      definition: z.record(z.string(), z.unknown()),
      asl: z.record(z.string(), z.unknown()),
      /** The Step Functions state machine version the executions of this version run on. */
      stateMachineVersionArn: z.string(),
      publishedAt: z.string(),
    })
    .check(z.meta({ id: 'WorkflowVersion' })),
);
export type WorkflowVersion = z.infer<typeof WorkflowVersionSchema>;

/** Where an enrollment stands; `stopped` carries a reason (goal_met, unsubscribed, ...). */
export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited', 'stopped', 'failed'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export const EnrollmentSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      workflowId: z.string(),
      version: z.int(),
      contactId: z.string(),
      number: z.int(),
      executionName: z.string(),
      stateMachineVersionArn: z.string(),
      status: z.enum(ENROLLMENT_STATUSES),
      stopReason: z.optional(z.string()),
      currentStep: z.optional(z.string()),
      enrolledAt: z.string(),
      /** When its execution was known to be started (absent until then: the reconciler looks at it). */
      startedAt: z.optional(z.string()),
      endedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'Enrollment' })),
);
export type Enrollment = z.infer<typeof EnrollmentSchema>;

/** Active workflow found by its trigger: enough to enroll without reading the workflow. */
export const TriggeredWorkflowSchema = z.lazy(() =>
  z.object({
    workflowId: z.string(),
    version: z.int(),
    stateMachineVersionArn: z.string(),
    reenrollment: z.enum(['never', 'afterExit']),
    goalTag: z.optional(z.string()),
    /** A fieldChanged trigger's value: the contact is enrolled only if the field now holds it. */
    changedTo: z.optional(z.object({ field: z.string(), value: fieldValueSchema })),
    /** A dateReached trigger: the date field, the days from it and the time of day, in `timezone`. */
    dateTrigger: z.optional(
      z.object({ field: z.string(), days: z.int(), time: z.string(), timezone: z.string() }),
    ),
    /** Whether a step sends email (absent on versions published before it was recorded: assumed). */
    sendsEmail: z.optional(z.boolean()),
  }),
);
export type TriggeredWorkflow = z.infer<typeof TriggeredWorkflowSchema>;

const StepCountsSchema = z.lazy(() => z.object({ entered: z.number(), current: z.number() }));

/** A workflow with its published version and live counts (GET /v1/workflows/{id}). */
export const WorkflowViewSchema = z.lazy(() =>
  z
    .object({
      workflow: WorkflowSchema,
      published: z.optional(
        z.object({
          version: z.number(),
          asl: z.record(z.string(), z.unknown()),
          publishedAt: z.string(),
          stateMachineVersionArn: z.string(),
        }),
      ),
      /** Per-step counts of the published version: `entered` (ever reached) and `current` (there now). */
      stats: z.optional(
        z.object({
          enrolled: z.number(),
          active: z.number(),
          outcomes: z.record(z.string(), z.number()),
          steps: z.record(z.string(), StepCountsSchema),
        }),
      ),
    })
    .check(z.meta({ id: 'WorkflowView' })),
);
export type WorkflowView = z.infer<typeof WorkflowViewSchema>;

/**
 * An enrollment waiting at a waitForEvent step (in the contact's partition): the task token its
 * Step Functions Task waits on, and what ends the wait. The event's consumer answers the token.
 */
export const WaiterSchema = z.lazy(() =>
  z.object({
    contactId: z.string(),
    enrollmentId: z.string(),
    stepId: z.string(),
    event: z.discriminatedUnion('type', [
      z.object({ type: z.literal('emailClicked'), step: z.string() }),
      z.object({ type: z.literal('emailReplied') }),
      z.object({ type: z.literal('tagAdded'), tag: z.string() }),
    ]),
    token: z.string(),
    /** When the wait times out at the latest (the item expires a day after). */
    until: z.string(),
  }),
);
export type Waiter = z.infer<typeof WaiterSchema>;
