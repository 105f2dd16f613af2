/**
 * One stage of the CDK app (infra/tendril-app.ts's buildApp) synthesized with context values and,
 * optionally, the CLI's account and region, with the templates of both its stacks and the cdk-nag
 * report of that synthesis.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/tendril-app.js';

export type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };
export interface StackTemplate {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}
export interface NagReport {
  conclusion: string;
  violations: unknown[];
  suppressedViolations: Array<{ ruleName: string; reason: string }>;
}

export interface Synthesized {
  main: StackTemplate;
  edge: StackTemplate;
  mainStackName: string;
  edgeStackName: string;
  /** The stack names the main stack depends on (from the cloud assembly). */
  mainDependencies: string[];
  edgeRegion: string;
  nag: NagReport;
}

export interface SynthOptions {
  /** `-c key=value` context values. */
  context?: Record<string, string>;
  /** What the CDK CLI would set (CDK_DEFAULT_REGION / CDK_DEFAULT_ACCOUNT); none: env-agnostic. */
  region?: string;
  account?: string;
  /** Bundle the functions' code (slow; not needed to inspect templates). */
  bundle?: boolean;
}

export function synthesize(options: SynthOptions = {}): Synthesized {
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  const set = (key: 'CDK_DEFAULT_REGION' | 'CDK_DEFAULT_ACCOUNT', value: string | undefined) => {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  };
  set('CDK_DEFAULT_REGION', options.region);
  set('CDK_DEFAULT_ACCOUNT', options.account);
  try {
    const outdir = mkdtempSync(join(tmpdir(), 'tendril-cdk-'));
    const { app, stack, edge } = buildApp(
      new App({
        outdir,
        context: {
          'cli-telemetry': false,
          ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
          ...options.context,
        },
      }),
    );
    const main = Template.fromStack(stack).toJSON() as StackTemplate;
    const edgeTemplate = Template.fromStack(edge).toJSON() as StackTemplate;
    const assembly = app.synth();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'AwsSolutions');
    return {
      main,
      edge: edgeTemplate,
      mainStackName: stack.stackName,
      edgeStackName: edge.stackName,
      mainDependencies: assembly.getStackArtifact(stack.artifactId).dependencies.map((d) => d.id),
      edgeRegion: edge.region,
      nag,
    };
  } finally {
    set('CDK_DEFAULT_REGION', saved.region);
    set('CDK_DEFAULT_ACCOUNT', saved.account);
  }
}

/** The resources of `template` of one CloudFormation type, with their logical ids. */
export const ofType = (template: StackTemplate, type: string): Array<[string, Resource]> =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The one resource of a type (fails the test if there is not exactly one). */
export function onlyOf(template: StackTemplate, type: string): [string, Resource] {
  const found = ofType(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
}
