/** Workflow lifecycle (draft → published versions → paused) and enrollment of contacts. */
import { makeEvent } from '../contracts/events.js';
import { eventMeta } from './contacts.js';
import { conflict, type ErrorDetail, notFound, validationError } from './errors.js';
import type { Enrollment, Page, TriggeredWorkflow, Workflow, WorkflowVersion } from './model.js';
import { CommitConflict, type Deps, type ListOptions, type WorkflowEngine, type Write } from './ports.js';
import { withOptimisticRetry } from './retry.js';
import { compileWorkflow } from './workflow-compiler.js';
import { allSteps, type WorkflowDefinition, workflowDefinitionSchema } from './workflow-language.js';

export function triggerKeyOf(def: WorkflowDefinition): string {
  return def.trigger.type === 'tagAdded' ? `tag:${def.trigger.tag}` : `form:${def.trigger.formId}`;
}

/** Validates a definition: shape (zod) and references (templates, forms) — every problem with its path. */
async function validateDefinition(deps: Deps, raw: unknown): Promise<WorkflowDefinition> {
  const parsed = workflowDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    throw validationError(
      'the workflow is not valid',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
    );
  }
  const def = parsed.data;
  const problems: ErrorDetail[] = [];
  const templateChecks = allSteps(def.steps).flatMap(({ step, path }) =>
    step.type === 'sendEmail'
      ? [
          deps.store
            .getTemplate(step.templateId)
            .then((t) => (t ? undefined : { path: [...path, 'templateId'].join('.'), step })),
        ]
      : [],
  );
  for (const missing of await Promise.all(templateChecks)) {
    if (missing)
      problems.push({ path: missing.path, code: 'not_found', message: 'no template with this id' });
  }
  if (def.trigger.type === 'formSubmitted' && !(await deps.store.getForm(def.trigger.formId))) {
    problems.push({ path: 'trigger.formId', code: 'not_found', message: 'no form with this id' });
  }
  if (problems.length > 0) throw validationError('the workflow refers to things that do not exist', problems);
  return def;
}

export async function createWorkflow(deps: Deps, raw: unknown): Promise<Workflow> {
  const def = await validateDefinition(deps, raw);
  const at = deps.clock.now().toISOString();
  const workflow: Workflow = {
    id: deps.ids.next(),
    name: def.name,
    status: 'draft',
    definition: def,
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.commit([{ kind: 'putWorkflow', workflow }]);
  return workflow;
}

export async function getWorkflowRecord(deps: Deps, id: string): Promise<Workflow> {
  const workflow = await deps.store.getWorkflow(id);
  if (!workflow) throw notFound('workflow', id);
  return workflow;
}

async function saveWorkflow(deps: Deps, current: Workflow, next: Workflow, extra: Write[] = []) {
  try {
    await deps.store.commit([
      { kind: 'putWorkflow', workflow: next, expectedUpdatedAt: current.updatedAt },
      ...extra,
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putWorkflow') {
      throw conflict('workflow_changed', `workflow ${current.id} was changed meanwhile; reload and retry`);
    }
    throw err;
  }
  return next;
}

/** Replaces the draft definition. Published versions (and their enrollments) are untouched. */
export async function updateWorkflow(deps: Deps, id: string, raw: unknown): Promise<Workflow> {
  const current = await getWorkflowRecord(deps, id);
  const def = await validateDefinition(deps, raw);
  return saveWorkflow(deps, current, {
    ...current,
    name: def.name,
    definition: def,
    updatedAt: deps.clock.now().toISOString(),
  });
}

/**
 * Compiles the draft, publishes it as the next version of the workflow's state machine and makes it
 * the version new enrollments start on. Enrollments already running stay on their version.
 */
export async function publishWorkflow(
  deps: Deps,
  engine: WorkflowEngine,
  id: string,
): Promise<{ workflow: Workflow; version: WorkflowVersion }> {
  const current = await getWorkflowRecord(deps, id);
  const def = await validateDefinition(deps, current.definition);
  const versionNumber = (current.publishedVersion ?? 0) + 1;
  const asl = compileWorkflow(def, {
    workflowId: id,
    version: versionNumber,
    stepFunctionArn: engine.stepFunctionArn,
  });
  const stateMachineVersionArn = await engine.publish(id, versionNumber, asl);
  const now = deps.clock.now();
  const version: WorkflowVersion = {
    workflowId: id,
    version: versionNumber,
    definition: def,
    asl,
    stateMachineVersionArn,
    publishedAt: now.toISOString(),
  };
  const triggerKey = triggerKeyOf(def);
  const triggered: TriggeredWorkflow = {
    workflowId: id,
    version: versionNumber,
    stateMachineVersionArn,
    reenrollment: def.reenrollment,
    ...(def.goal ? { goalTag: def.goal.tag } : {}),
  };
  const next: Workflow = {
    ...current,
    name: def.name,
    status: 'active',
    publishedVersion: versionNumber,
    triggerKey,
    updatedAt: now.toISOString(),
  };
  const writes: Write[] = [
    { kind: 'putWorkflowVersion', version },
    ...(current.triggerKey && current.triggerKey !== triggerKey
      ? [{ kind: 'deleteTrigger', triggerKey: current.triggerKey, workflowId: id } as const]
      : []),
    { kind: 'setTrigger', triggerKey, triggered },
    {
      kind: 'emit',
      event: makeEvent(
        'WorkflowPublished',
        { workflowId: id, workflowVersion: versionNumber },
        eventMeta(deps, now),
      ),
    },
  ];
  return { workflow: await saveWorkflow(deps, current, next, writes), version };
}

/** Stops new enrollments; running enrollments end at their next step (reason `workflow_paused`). */
export async function pauseWorkflow(deps: Deps, id: string): Promise<Workflow> {
  const current = await getWorkflowRecord(deps, id);
  if (current.status !== 'active')
    throw conflict('not_active', `workflow ${id} is ${current.status}, not active`);
  const { triggerKey, ...rest } = current;
  const next: Workflow = { ...rest, status: 'paused', updatedAt: deps.clock.now().toISOString() };
  return saveWorkflow(
    deps,
    current,
    next,
    triggerKey ? [{ kind: 'deleteTrigger', triggerKey, workflowId: id }] : [],
  );
}

export interface WorkflowView {
  workflow: Workflow;
  published?: {
    version: number;
    asl: Record<string, unknown>;
    publishedAt: string;
    stateMachineVersionArn: string;
  };
  /** Per-step counts of the published version: `entered` (ever reached) and `current` (there now). */
  stats?: {
    enrolled: number;
    active: number;
    outcomes: Record<string, number>;
    steps: Record<string, { entered: number; current: number }>;
  };
}

export async function getWorkflow(deps: Deps, id: string): Promise<WorkflowView> {
  const workflow = await getWorkflowRecord(deps, id);
  if (!workflow.publishedVersion) return { workflow };
  const [version, raw] = await Promise.all([
    deps.store.getWorkflowVersion(id, workflow.publishedVersion),
    deps.store.getWorkflowStats(id, workflow.publishedVersion),
  ]);
  const steps: Record<string, { entered: number; current: number }> = {};
  const outcomes: Record<string, number> = {};
  const def = version?.definition as WorkflowDefinition | undefined;
  for (const { step } of def ? allSteps(def.steps) : []) {
    steps[step.id] = { entered: raw[`entered:${step.id}`] ?? 0, current: raw[`current:${step.id}`] ?? 0 };
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('outcome:')) outcomes[key.slice('outcome:'.length)] = value;
  }
  return {
    workflow,
    ...(version
      ? {
          published: {
            version: version.version,
            asl: version.asl,
            publishedAt: version.publishedAt,
            stateMachineVersionArn: version.stateMachineVersionArn,
          },
        }
      : {}),
    stats: { enrolled: raw.enrolled ?? 0, active: raw.active ?? 0, outcomes, steps },
  };
}

export const listWorkflows = (deps: Deps, options: ListOptions): Promise<Page<Workflow>> =>
  deps.store.listWorkflows(options);

export async function listEnrollments(
  deps: Deps,
  contactId: string,
  options: ListOptions,
): Promise<Page<Enrollment>> {
  const contact = await deps.store.getContact(contactId);
  if (!contact) throw notFound('contact', contactId);
  return deps.store.listEnrollments(contactId, options);
}

/** Execution names are unique per state machine for 90 days: the name is the enrollment's identity. */
export const executionName = (workflowId: string, version: number, contactId: string, number: number) =>
  `${workflowId}-v${version}-${contactId}-${number}`;

export const executionInput = (e: Enrollment) => ({
  enrollmentId: e.id,
  contactId: e.contactId,
  workflowId: e.workflowId,
  version: e.version,
});

export interface TriggerEvent {
  eventId: string;
  contactId: string;
  /** `tag:<tag>` or `form:<formId>`. */
  triggerKey: string;
}

/**
 * Enrolls the contact in every active workflow the event triggers. Idempotent per (workflow, event):
 * a redelivered event finds its claim and only (re)starts the same execution, which Step Functions
 * treats as a no-op for the same name and input.
 */
export async function enrollFromEvent(
  deps: Deps,
  engine: WorkflowEngine,
  event: TriggerEvent,
): Promise<Enrollment[]> {
  const workflows = await deps.store.findTriggeredWorkflows(event.triggerKey);
  const started: Enrollment[] = [];
  for (const wf of workflows) {
    const enrollment = await enrollOne(deps, wf, event);
    if (!enrollment) continue;
    await engine.start(
      enrollment.stateMachineVersionArn,
      enrollment.executionName,
      executionInput(enrollment),
    );
    started.push(enrollment);
  }
  return started;
}

async function enrollOne(
  deps: Deps,
  wf: TriggeredWorkflow,
  event: TriggerEvent,
): Promise<Enrollment | undefined> {
  return withOptimisticRetry(
    async () => {
      const already = await deps.store.findEnrollmentByTrigger(wf.workflowId, event.eventId);
      if (already) return already;
      const contact = await deps.store.getContact(event.contactId);
      if (!contact) return undefined;
      if (wf.goalTag && contact.tags.includes(wf.goalTag)) return undefined;
      const { count, activeEnrollmentId } = await deps.store.getEnrollmentCount(contact.id, wf.workflowId);
      if (activeEnrollmentId || (count > 0 && wf.reenrollment === 'never')) return undefined;
      const now = deps.clock.now();
      const number = count + 1;
      const enrollment: Enrollment = {
        id: deps.ids.next(),
        workflowId: wf.workflowId,
        version: wf.version,
        contactId: contact.id,
        number,
        executionName: executionName(wf.workflowId, wf.version, contact.id, number),
        stateMachineVersionArn: wf.stateMachineVersionArn,
        status: 'active',
        enrolledAt: now.toISOString(),
      };
      await deps.store.commit([
        {
          kind: 'startEnrollment',
          enrollment,
          triggerEventId: event.eventId,
          previousCount: count,
          allowWhileActive: false,
        },
        {
          kind: 'emit',
          event: makeEvent(
            'ContactEnrolled',
            {
              workflowId: wf.workflowId,
              workflowVersion: wf.version,
              contactId: contact.id,
              enrollmentId: enrollment.id,
            },
            eventMeta(deps, now),
          ),
        },
      ]);
      return enrollment;
    },
    // Another delivery of the same event, or another event for the same contact, got there first: look again.
    (c) => c.write.kind === 'startEnrollment',
  );
}
