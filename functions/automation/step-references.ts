/**
 * What the CRM steps name must exist when a workflow is saved or published: a createDeal or moveDeal
 * step's pipeline, and the stage in it (a stage renamed or deleted later makes the step skip).
 */
import type { ErrorDetail } from '#platform/errors.js';
import type { Pipeline } from '#sales/model.js';
import { allSteps, type WorkflowDefinition } from './language.js';
import type { AutomationDeps } from './store.js';

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
