/** Workflow lifecycle: drafts, published versions (compiled state machines), pause; the live view. */

import { coerceValue } from '#contacts/field-definitions.js';
import { conflict, type ErrorDetail, notFound, validationError } from '#platform/errors.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { compileWorkflow } from './compiler.js';
import { DATE_TRIGGER_KEY } from './date-trigger.js';
import {
  allSteps,
  changedName,
  isContactProperty,
  type WorkflowDefinition,
  workflowDefinitionSchema,
} from './language.js';
import type { Enrollment, TriggeredWorkflow, Workflow, WorkflowVersion, WorkflowView } from './model.js';
import type { WorkflowEngine } from './ports.js';
import { pathStepId } from './split.js';
import { dealStepProblems, webhookStepProblems } from './step-references.js';
import type { AutomationDeps, AutomationWrite } from './store.js';

export function triggerKeyOf(def: WorkflowDefinition): string {
  switch (def.trigger.type) {
    case 'tagAdded':
      return `tag:${def.trigger.tag}`;
    case 'formSubmitted':
      return `form:${def.trigger.formId}`;
    case 'segmentEntered':
      return `segment:${def.trigger.segmentId}`;
    case 'purchaseMade':
      return def.trigger.source ? `purchase:${def.trigger.source}` : 'purchase';
    case 'appointmentBooked':
      return def.trigger.meetingTypeId ? `appointment:${def.trigger.meetingTypeId}` : 'appointment';
    case 'scoreReached':
      return 'score:threshold';
    case 'lifecycleStageChanged':
      return `stage:${def.trigger.stage}`;
    case 'caseCreated':
      return def.trigger.channel ? `case:created:${def.trigger.channel}` : 'case:created';
    case 'caseStatusChanged':
      return `case:status:${def.trigger.status}`;
    case 'caseResolved':
      return 'case:resolved';
    case 'dealStageChanged':
      return `deal:stage:${def.trigger.pipelineId}:${def.trigger.stage}`;
    case 'emailClicked':
      return def.trigger.templateId ? `email:clicked:${def.trigger.templateId}` : 'email:clicked';
    case 'fieldChanged':
      return `field:${changedName(def.trigger.field)}`;
    case 'dateReached':
      return DATE_TRIGGER_KEY;
  }
}

/** Validates a definition: shape (zod) and references (templates, forms) — every problem with its path. */
async function validateDefinition(deps: AutomationDeps, raw: unknown): Promise<WorkflowDefinition> {
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
  problems.push(...(await dealStepProblems(deps, def)), ...(await webhookStepProblems(deps, def)));
  const typed = allSteps(def.steps).flatMap(({ step, path }) =>
    step.type === 'sendEmail' && step.subscriptionType ? [{ type: step.subscriptionType, path }] : [],
  );
  if (typed.length > 0) {
    const known = new Set(((await deps.store.getEmailSettings()).subscriptionTypes ?? []).map((t) => t.id));
    for (const { type, path } of typed)
      if (!known.has(type))
        problems.push({
          path: [...path, 'subscriptionType'].join('.'),
          code: 'not_found',
          message: `no subscription type ${type} (the email settings list them)`,
        });
  }
  if (def.trigger.type === 'formSubmitted' && !(await deps.store.getForm(def.trigger.formId))) {
    problems.push({ path: 'trigger.formId', code: 'not_found', message: 'no form with this id' });
  }
  if (def.trigger.type === 'segmentEntered' && !(await deps.store.getSegment(def.trigger.segmentId))) {
    problems.push({ path: 'trigger.segmentId', code: 'not_found', message: 'no segment with this id' });
  }
  if (
    def.trigger.type === 'appointmentBooked' &&
    def.trigger.meetingTypeId &&
    !(await deps.store.getMeetingType(def.trigger.meetingTypeId))
  ) {
    problems.push({
      path: 'trigger.meetingTypeId',
      code: 'not_found',
      message: 'no booking page with this id',
    });
  }
  // A custom field set by a step takes a value its definition accepts (as an edit in the UI would).
  const settings = allSteps(def.steps).flatMap(({ step, path }) =>
    step.type === 'updateField' && step.value !== null && !isContactProperty(step.field)
      ? [{ field: step.field, value: step.value, path }]
      : [],
  );
  if (settings.length > 0) {
    const definitions = await deps.store.listFieldDefinitions();
    for (const { field, value, path } of settings) {
      const definition = definitions.find((d) => d.name === field);
      const coerced = definition ? coerceValue(definition, value) : undefined;
      if (coerced && 'problem' in coerced)
        problems.push({
          path: [...path, 'value'].join('.'),
          code: 'invalid_value',
          message: coerced.problem,
        });
    }
  }
  if (def.trigger.type === 'dateReached') {
    const { field } = def.trigger;
    if ((await deps.store.listFieldDefinitions()).find((d) => d.name === field)?.type !== 'date')
      problems.push({
        path: 'trigger.field',
        code: 'not_found',
        message: 'no custom field of type date by this name',
      });
  }
  if (def.trigger.type === 'dealStageChanged') {
    const pipeline = await deps.store.getPipeline(def.trigger.pipelineId);
    if (!pipeline)
      problems.push({ path: 'trigger.pipelineId', code: 'not_found', message: 'no pipeline with this id' });
    else if (!pipeline.stages.some((s) => s.name === (def.trigger as { stage: string }).stage))
      problems.push({
        path: 'trigger.stage',
        code: 'not_found',
        message: `the pipeline has no such stage (its stages: ${pipeline.stages.map((s) => s.name).join(', ')})`,
      });
  }
  if (
    def.trigger.type === 'emailClicked' &&
    def.trigger.templateId &&
    !(await deps.store.getTemplate(def.trigger.templateId))
  )
    problems.push({ path: 'trigger.templateId', code: 'not_found', message: 'no template with this id' });
  if (problems.length > 0) throw validationError('the workflow refers to things that do not exist', problems);
  return def;
}

export async function createWorkflow(deps: AutomationDeps, raw: unknown): Promise<Workflow> {
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

export async function getWorkflowRecord(deps: AutomationDeps, id: string): Promise<Workflow> {
  const workflow = await deps.store.getWorkflow(id);
  if (!workflow) throw notFound('workflow', id);
  return workflow;
}

async function saveWorkflow(
  deps: AutomationDeps,
  current: Workflow,
  next: Workflow,
  extra: AutomationWrite[] = [],
) {
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
export async function updateWorkflow(deps: AutomationDeps, id: string, raw: unknown): Promise<Workflow> {
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
  deps: AutomationDeps,
  engine: WorkflowEngine,
  id: string,
): Promise<{ workflow: Workflow; version: WorkflowVersion }> {
  const current = await getWorkflowRecord(deps, id);
  const def = await validateDefinition(deps, current.definition);
  const versionNumber = (current.publishedVersion ?? 0) + 1;
  if (!engine.stepFunctionArn) throw new Error('this engine only starts executions: it cannot publish');
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
    ...(def.goal?.type === 'tagAdded' ? { goalTag: def.goal.tag } : {}),
    ...(def.trigger.type === 'fieldChanged' && def.trigger.value !== undefined
      ? { changedTo: { field: def.trigger.field, value: def.trigger.value } }
      : {}),
    ...(def.trigger.type === 'dateReached'
      ? {
          dateTrigger: {
            field: def.trigger.field,
            days: def.trigger.days,
            time: def.trigger.time,
            timezone: def.timezone,
          },
        }
      : {}),
    sendsEmail: allSteps(def.steps).some(({ step }) => step.type === 'sendEmail'),
  };
  const next: Workflow = {
    ...current,
    name: def.name,
    status: 'active',
    publishedVersion: versionNumber,
    triggerKey,
    updatedAt: now.toISOString(),
  };
  const writes: AutomationWrite[] = [
    { kind: 'putWorkflowVersion', version },
    ...(current.triggerKey && current.triggerKey !== triggerKey
      ? [{ kind: 'deleteTrigger', triggerKey: current.triggerKey, workflowId: id } as const]
      : []),
    { kind: 'setTrigger', triggerKey, triggered },
    emit(deps, now, 'WorkflowPublished', { workflowId: id, workflowVersion: versionNumber }),
  ];
  return { workflow: await saveWorkflow(deps, current, next, writes), version };
}

/**
 * What enrolling a contact into the workflow by hand (a bulk action) needs: its published version's
 * trigger record. A conflict when the workflow is not active (a draft, or paused).
 */
export async function activeTrigger(deps: AutomationDeps, id: string): Promise<TriggeredWorkflow> {
  const current = await getWorkflowRecord(deps, id);
  const triggered =
    current.status === 'active' && current.triggerKey
      ? (await deps.store.findTriggeredWorkflows(current.triggerKey)).find((t) => t.workflowId === id)
      : undefined;
  if (!triggered)
    throw conflict('not_active', `workflow ${id} is ${current.status}, not active: publish it first`);
  return triggered;
}

/** Stops new enrollments; running enrollments end at their next step (reason `workflow_paused`). */
export async function pauseWorkflow(deps: AutomationDeps, id: string): Promise<Workflow> {
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

export async function getWorkflow(deps: AutomationDeps, id: string): Promise<WorkflowView> {
  const workflow = await getWorkflowRecord(deps, id);
  if (!workflow.publishedVersion) return { workflow };
  const [version, raw] = await Promise.all([
    deps.store.getWorkflowVersion(id, workflow.publishedVersion),
    deps.store.getWorkflowStats(id, workflow.publishedVersion),
  ]);
  const steps: Record<string, { entered: number; current: number }> = {};
  const outcomes: Record<string, number> = {};
  const def = version?.definition as WorkflowDefinition | undefined;
  const gauge = (id: string) => ({ entered: raw[`entered:${id}`] ?? 0, current: raw[`current:${id}`] ?? 0 });
  for (const { step } of def ? allSteps(def.steps) : []) {
    steps[step.id] = gauge(step.id);
    // A split's paths are counted as steps of their own (how many took A, B…).
    if (step.type === 'split')
      step.branches.forEach((_, index) => {
        steps[pathStepId(step.id, index)] = gauge(pathStepId(step.id, index));
      });
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

export const listWorkflows = (deps: AutomationDeps, options: ListOptions): Promise<Page<Workflow>> =>
  deps.store.listWorkflows(options);

export async function listEnrollments(
  deps: AutomationDeps,
  contactId: string,
  options: ListOptions,
): Promise<Page<Enrollment>> {
  const contact = await deps.store.getContact(contactId);
  if (!contact) throw notFound('contact', contactId);
  return deps.store.listEnrollments(contactId, options);
}
