import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TendrilStack } from './tendril-stack.js';

/** The CDK app with cdk-nag's AwsSolutions pack as a validation plugin (synth fails on findings). */
export function buildApp(app = new App()) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stack = new TendrilStack(app, 'Tendril', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Tendril: serverless workflow-automation CRM',
  });
  return { app, stack };
}
