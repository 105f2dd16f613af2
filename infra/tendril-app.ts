import { App, type Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageNames } from '#platform/stage.js';
import { domainOptions, EDGE_REGION } from './domain-options.js';
import { crossesRegions, TendrilEdgeStack } from './tendril-edge-stack.js';
import { TendrilStack } from './tendril-stack.js';

/**
 * The CDK app with cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings), and
 * the stacks of the stage given as context (`cdk deploy -c stage=prod`: `Tendril-prod` and its
 * us-east-1 companion `TendrilEdge-prod`; none: `Tendril` and `TendrilEdge`). The optional custom
 * domain comes from context too (infra/domain-options.ts).
 */
export function buildApp(app = new App(), stage: string | undefined = app.node.tryGetContext('stage')) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stack = addStage(app, stage);
  return { app, stack, edge: stack.edge };
}

/**
 * One stage's stacks in `app`; two stages in one account share no name. Everything is tagged for
 * cost allocation. The main stack goes to the CLI's account and region (env-agnostic when built
 * without them, as in the tests); the edge stack always to us-east-1 (tendril-edge-stack.ts).
 */
export function addStage(app: App, stage: string | undefined): TendrilStack {
  const names = stageNames(stage);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const crossRegionReferences = crossesRegions(region);
  const edge = new TendrilEdgeStack(app, names.edgeStackName, {
    env: { account, region: EDGE_REGION },
    crossRegionReferences,
    description: `Tendril: CloudFront web ACL${stage ? ` (${stage})` : ''}`,
  });
  const stack = new TendrilStack(app, names.stackName, {
    stage,
    edge,
    domain: domainOptions(app.node, region),
    originSecretVersion: app.node.tryGetContext('originSecretVersion'),
    env: { account, region },
    crossRegionReferences,
    description: `Tendril: serverless workflow-automation CRM${stage ? ` (${stage})` : ''}`,
  });
  for (const s of [stack, edge] as Stack[]) {
    Tags.of(s).add('tendril:app', 'tendril');
    Tags.of(s).add('tendril:stage', stage ?? 'default');
  }
  return stack;
}
