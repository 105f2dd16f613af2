import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageNames } from '#platform/stage.js';
import { TendrilStack } from './tendril-stack.js';

/**
 * The CDK app with cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings), and
 * the stack of the stage given as context (`cdk deploy -c stage=prod`: `Tendril-prod`; none: `Tendril`).
 */
export function buildApp(app = new App(), stage: string | undefined = app.node.tryGetContext('stage')) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack: addStage(app, stage) };
}

/** One stage's stack in `app`; two stages in one account share no name. Everything is tagged for cost allocation. */
export function addStage(app: App, stage: string | undefined): TendrilStack {
  const names = stageNames(stage);
  const stack = new TendrilStack(app, names.stackName, {
    stage,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: `Tendril: serverless workflow-automation CRM${stage ? ` (${stage})` : ''}`,
  });
  Tags.of(stack).add('tendril:app', 'tendril');
  Tags.of(stack).add('tendril:stage', stage ?? 'default');
  return stack;
}
