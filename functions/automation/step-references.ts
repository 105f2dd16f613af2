/**
 * What the CRM steps name must exist when a workflow is saved or published: a createDeal or moveDeal
 * step's pipeline, and the stage in it, and a webhook step's subscription (one renamed, deleted or
 * disabled later makes the step skip).
 */
import type { ErrorDetail } from '#platform/errors.js';
import type { Pipeline } from '#sales/model.js';
import { allSteps, type WorkflowDefinition } from './language.js';
import type { AutomationDeps } from './store.js';

export async function webhookStepProblems(
  deps: AutomationDeps,
  def: WorkflowDefinition,
): Promise<ErrorDetail[]> {
  const steps = allSteps(def.steps).flatMap(({ step, path }) =>
    step.type === 'webhook' ? [{ id: step.webhookId, path: [...path, 'webhookId'].join('.') }] : [],
  );
  const found = await Promise.all(steps.map(({ id }) => deps.store.getWebhook(id)));
  return steps.flatMap(({ path }, i): ErrorDetail[] =>
    found[i] ? [] : [{ path, code: 'not_found', message: 'no webhook subscription with this id' }],
  );
}

export async function dealStepProblems(
  deps: AutomationDeps,
  def: WorkflowDefinition,
): Promise<ErrorDetail[]> {
  const steps = allSteps(def.steps).flatMap(({ step, path }) =>
    step.type === 'createDeal' || step.type === 'moveDeal' ? [{ step, path: path.join('.') }] : [],
  );
  const pipelines = new Map<string, Pipeline | undefined>();
  for (const id of new Set(steps.map(({ step }) => step.pipelineId)))
    pipelines.set(id, await deps.store.getPipeline(id));
  return steps.flatMap(({ step, path }): ErrorDetail[] => {
    const pipeline = pipelines.get(step.pipelineId);
    if (!pipeline)
      return [{ path: `${path}.pipelineId`, code: 'not_found', message: 'no pipeline with this id' }];
    if (pipeline.stages.some((s) => s.name === step.stage)) return [];
    return [
      {
        path: `${path}.stage`,
        code: 'not_found',
        message: `the pipeline has no such stage (its stages: ${pipeline.stages.map((s) => s.name).join(', ')})`,
      },
    ];
  });
}
