import { depsOf } from '#app/runtime.js';
import { workflowRoutes as routes } from '#automation/routes.js';
import { sfnEngine } from '#automation/sfn-engine.js';
import { automationStore } from '#automation/store-dynamo-composed.js';
import * as workflows from '#automation/workflows.js';
import { requireEnv } from '#platform/config.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(automationStore);
const engine = sfnEngine({
  stepFunctionArn: requireEnv('STEP_FUNCTION_ARN'),
  roleArn: requireEnv('STATE_MACHINE_ROLE_ARN'),
  arnPrefix: requireEnv('STATE_MACHINE_ARN_PREFIX'),
  logGroupArn: requireEnv('WORKFLOW_LOG_GROUP_ARN'),
  machinePrefix: requireEnv('WORKFLOW_MACHINE_PREFIX'),
});

export const handler = httpHandler([
  operation(routes.createWorkflow, async ({ body }) => ({
    status: 201,
    body: await workflows.createWorkflow(deps, body),
  })),
  operation(routes.listWorkflows, async ({ query }) => ({
    status: 200,
    body: await workflows.listWorkflows(deps, query),
  })),
  operation(routes.getWorkflow, async ({ params }) => ({
    status: 200,
    body: await workflows.getWorkflow(deps, params.id),
  })),
  operation(routes.updateWorkflow, async ({ params, body }) => ({
    status: 200,
    body: await workflows.updateWorkflow(deps, params.id, body),
  })),
  operation(routes.publishWorkflow, async ({ params }) => ({
    status: 200,
    body: await workflows.publishWorkflow(deps, engine, params.id),
  })),
  operation(routes.pauseWorkflow, async ({ params }) => ({
    status: 200,
    body: await workflows.pauseWorkflow(deps, params.id),
  })),
  operation(routes.listEnrollments, async ({ params, query }) => ({
    status: 200,
    body: await workflows.listEnrollments(deps, params.id, query),
  })),
  operation(routes.previewPublish, async ({ params }) => {
    const { previewPublish } = await import('#automation/publish-preview.js');
    return { status: 200, body: await previewPublish(deps, params.id) };
  }),
  operation(routes.listStepContacts, async ({ params, query }) => {
    const { listStepContacts } = await import('#automation/step-contacts.js');
    const stepId = query.path ? `${params.stepId}/${query.path}` : params.stepId;
    return { status: 200, body: await listStepContacts(deps, params.id, stepId, query) };
  }),
  operation(routes.dryRunWorkflow, async ({ params, body }) => {
    // Rendering templates is loaded by the first dry run, not by every request's cold start.
    const { dryRunWorkflow } = await import('#automation/dry-run.js');
    return { status: 200, body: await dryRunWorkflow(deps, params.id, body) };
  }),
]);
