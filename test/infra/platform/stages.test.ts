/**
 * Two stages side by side in one account (`-c stage=staging`, `-c stage=prod`): each its own stack,
 * Cognito login domain, workflow state-machine prefix (in its IAM scope, its execution-events rule and
 * its publishing function's environment) and metrics namespace (in every function and every alarm on
 * a business metric); every resource tagged with its stage. A name that is no stage is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addStage } from '../../../infra/tendril-app.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
const STAGES = ['staging', 'prod'] as const;
const templates = {} as Record<(typeof STAGES)[number], Record<string, Resource>>;
const stackNames: string[] = [];

before(() => {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'tendril-stages-')),
    context: { 'cli-telemetry': false },
  });
  // Both stacks first (one synthesis of the app), then their templates.
  const stacks = STAGES.map((stage) => addStage(app, stage));
  for (const [i, stage] of STAGES.entries()) {
    const stack = stacks[i];
    if (!stack) continue;
    stackNames.push(stack.stackName);
    templates[stage] = Template.fromStack(stack).toJSON().Resources;
  }
});

const ofType = (stage: (typeof STAGES)[number], type: string) =>
  Object.entries(templates[stage]).filter(([, r]) => r.Type === type);
const text = (value: unknown) => JSON.stringify(value) ?? '';

describe('stages', () => {
  it('names each stage’s stack, login domain, state machines and metrics after it', () => {
    assert.deepEqual(stackNames, ['Tendril-staging', 'Tendril-prod']);
    for (const stage of STAGES) {
      const other = stage === 'prod' ? 'staging' : 'prod';
      const [domain] = ofType(stage, 'AWS::Cognito::UserPoolDomain');
      assert.match(text(domain?.[1].Properties.Domain), new RegExp(`tendril-${stage}-`));

      const policies = text(ofType(stage, 'AWS::IAM::Policy').map(([, r]) => r.Properties.PolicyDocument));
      assert.ok(
        policies.includes(`stateMachine:tendril-${stage}-wf-*`),
        `${stage}: machines scoped to its prefix`,
      );
      assert.ok(
        policies.includes(`execution:tendril-${stage}-wf-*`),
        `${stage}: executions scoped to its prefix`,
      );
      assert.ok(
        !policies.includes(`tendril-${other}-wf-`) && !policies.includes(':tendril-wf-*'),
        `${stage}: no other stage's machines`,
      );

      const rules = ofType(stage, 'AWS::Events::Rule').map(([, r]) => r.Properties.EventPattern);
      const executions = rules.filter((p) => text(p).includes('aws.states'));
      assert.equal(executions.length, 1);
      assert.ok(text(executions[0]).includes(`arn:*:states:*:*:stateMachine:tendril-${stage}-wf-*`));

      const functions = ofType(stage, 'AWS::Lambda::Function')
        .map(([, r]) => r.Properties)
        .filter((p) => text(p.Environment).includes('POWERTOOLS_SERVICE_NAME'));
      assert.ok(functions.length >= 30);
      for (const fn of functions) {
        const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
        assert.equal(env.POWERTOOLS_METRICS_NAMESPACE, `Tendril/${stage}`);
        if ('WORKFLOW_LOG_GROUP_ARN' in env)
          assert.equal(env.WORKFLOW_MACHINE_PREFIX, `tendril-${stage}-wf-`);
        assert.ok(
          text(fn.Tags).includes(`{"Key":"tendril:stage","Value":"${stage}"}`),
          `${text(fn.Environment).slice(0, 80)} tagged with its stage`,
        );
      }
      assert.ok(
        functions.some(
          (fn) => 'WORKFLOW_MACHINE_PREFIX' in (fn.Environment as { Variables: object }).Variables,
        ),
      );

      const business = ofType(stage, 'AWS::CloudWatch::Alarm')
        .map(([, r]) => r.Properties)
        .filter((p) => String(p.Namespace).startsWith('Tendril'));
      assert.ok(business.length >= 4);
      for (const alarm of business) assert.equal(alarm.Namespace, `Tendril/${stage}`);
    }
  });

  it('refuses a stage name that would not make valid resource names', () => {
    for (const bad of ['Prod', 'pre_prod', '1st', 'averyveryverylongstage', ''])
      assert.throws(() => addStage(new App(), bad), /lower-case letters and digits/);
  });
});
