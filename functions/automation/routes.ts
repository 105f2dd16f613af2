/** Workflow and enrollment routes (workflows-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  limitSchema,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { EnrollmentSchema, WorkflowSchema, WorkflowVersionSchema, WorkflowViewSchema } from './model.js';
import { STEP_LIST_STATUSES, StepContactSchema } from './step-contact.js';

/** A workflow definition is validated by the domain (with the path of each problem); here it is any object. */
const WorkflowBody = z.lazy(() => z.record(z.string(), z.unknown()));

const stepIds = () => z.optional(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(100)));
const DryRunBody = z.lazy(() =>
  z.strictObject({
    contactId: idSchema,
    /** Send steps whose email the contact is taken to have opened (or clicked: a click is an open). */
    opened: stepIds(),
    clicked: stepIds(),
  }),
);
const DryRunResultSchema = z.lazy(() =>
  z
    .object({
      contactId: z.string(),
      steps: z.array(
        z.object({
          stepId: z.string(),
          type: z.string(),
          outcome: z.string(),
          email: z.optional(z.object({ subject: z.string(), html: z.string(), text: z.string() })),
        }),
      ),
      ending: z.string(),
    })
    .check(z.meta({ id: 'WorkflowDryRun' })),
);

const PublishPreviewSchema = z.lazy(() =>
  z
    .object({
      nextVersion: z.int(),
      publishedVersion: z.optional(z.int()),
      settings: z.array(z.string()),
      steps: z.array(
        z.object({
          stepId: z.string(),
          change: z.enum(['added', 'removed', 'changed', 'moved']),
          type: z.string(),
        }),
      ),
      running: z.array(
        z.object({ version: z.int(), active: z.number(), atSteps: z.record(z.string(), z.number()) }),
      ),
    })
    .check(z.meta({ id: 'WorkflowPublishPreview' })),
);

/** A step of the published version, or one path of a split (`<split>/a`, sent as `%2F`). */
const StepParams = z.lazy(() =>
  z.strictObject({
    id: idSchema,
    stepId: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a step id')),
  }),
);
const StepContactsQuery = z.lazy(() =>
  z.strictObject({
    status: z._default(z.enum(STEP_LIST_STATUSES), 'current'),
    /** A split step's path (`a`, `b`…): the contacts who took it (in the query: API Gateway decodes a `/` in the path). */
    path: z.optional(z.enum(['a', 'b', 'c', 'd', 'e'])),
    limit: limitSchema,
    cursor: cursorSchema,
  }),
);

export const workflowRoutes = {
  createWorkflow: route({
    method: 'POST',
    path: '/v1/workflows',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Create a workflow draft (see docs/workflows.md); problems are reported with their paths',
    body: WorkflowBody,
    responses: { 201: WorkflowSchema, 400: ErrorSchema },
  }),
  listWorkflows: route({
    method: 'GET',
    path: '/v1/workflows',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'List workflows, newest first',
    query: listQuery,
    responses: { 200: page(WorkflowSchema) },
  }),
  getWorkflow: route({
    method: 'GET',
    path: '/v1/workflows/{id}',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'A workflow with its draft, its published version (compiled ASL) and per-step enrollment counts',
    params: idParams,
    responses: { 200: WorkflowViewSchema },
  }),
  updateWorkflow: route({
    method: 'PUT',
    path: '/v1/workflows/{id}',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Replace the draft definition (published versions are not affected)',
    params: idParams,
    body: WorkflowBody,
    responses: { 200: WorkflowSchema, 400: ErrorSchema },
  }),
  publishWorkflow: route({
    method: 'POST',
    path: '/v1/workflows/{id}/publish',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Compile the draft to a new state-machine version and start enrolling on it',
    params: idParams,
    responses: {
      200: z.lazy(() => z.object({ workflow: WorkflowSchema, version: WorkflowVersionSchema })),
    },
  }),
  pauseWorkflow: route({
    method: 'POST',
    path: '/v1/workflows/{id}/pause',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Stop enrolling; running enrollments end at their next step',
    params: idParams,
    responses: { 200: WorkflowSchema, 409: ErrorSchema },
  }),
  listEnrollments: route({
    method: 'GET',
    path: '/v1/contacts/{id}/enrollments',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'The contact’s workflow enrollments, newest first',
    params: idParams,
    query: listQuery,
    responses: { 200: page(EnrollmentSchema), 404: ErrorSchema },
  }),
  previewPublish: route({
    method: 'GET',
    path: '/v1/workflows/{id}/publish-preview',
    fn: 'workflows-api',
    auth: 'admin',
    summary:
      'What publishing the draft would change (steps added, removed, changed, moved; trigger and settings) and the enrollments running on each version, by step (they stay on their version)',
    params: idParams,
    responses: { 200: PublishPreviewSchema, 404: ErrorSchema },
  }),
  dryRunWorkflow: route({
    method: 'POST',
    path: '/v1/workflows/{id}/dry-run',
    fn: 'workflows-api',
    auth: 'admin',
    summary:
      'Follow the draft for one contact in simulation (nothing sent or written, waits skipped): the path taken, each step’s outcome and the emails it would send',
    params: idParams,
    body: DryRunBody,
    responses: { 200: DryRunResultSchema, 400: ErrorSchema, 404: ErrorSchema },
  }),
  listStepContacts: route({
    method: 'GET',
    path: '/v1/workflows/{id}/steps/{stepId}/contacts',
    fn: 'workflows-api',
    auth: 'admin',
    summary:
      'The contacts behind a step’s counts on the published version: at the step now (`status=current`) or that ever entered it (`entered`), newest entry first',
    params: StepParams,
    query: StepContactsQuery,
    responses: { 200: page(StepContactSchema), 400: ErrorSchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
