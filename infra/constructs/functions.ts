/**
 * Every Lambda function of the manifest (functions/platform/manifest.ts), with the environment and
 * the grants its capabilities call for. Functions are created in the stack's own scope under their
 * manifest construct ids, so their logical ids and log groups stay what they were.
 */
import { type CfnElement, Duration, type Stack, Token, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { TABLE_DEFINITION } from '#platform/dynamo/table.js';
import {
  type Capability,
  type EnvName,
  envOf,
  FUNCTION_NAMES,
  FUNCTIONS,
  type FunctionName,
  type FunctionSpec,
  tableActionsOf,
} from '#platform/manifest.js';
import type { BulkJobs } from './bulk-jobs.js';
import type { EmailSending } from './email-sending.js';
import type { Scheduling } from './scheduling.js';
import { TendrilFunction } from './tendril-function.js';
import type { WorkflowEngine } from './workflow-engine.js';

export interface FunctionWiring {
  table: TableV2;
  bus: EventBus;
  signingSecret: ISecret;
  email: EmailSending;
  workflows: WorkflowEngine;
  scheduling: Scheduling;
  jobs: BulkJobs;
  /** Values of the environment variables functions read (some are produced lazily, e.g. other functions' ARNs). */
  env: Record<EnvName, string>;
  /** Where every function's business metrics go (its stage's namespace). */
  metricsNamespace: string;
  /** The admin user pool's ARN (produced once it exists): the users directory reads it. */
  userPoolArn: string;
}

export function buildFunctions(stack: Stack, wiring: FunctionWiring): Record<FunctionName, TendrilFunction> {
  const functions = {} as Record<FunctionName, TendrilFunction>;
  for (const name of FUNCTION_NAMES) {
    const spec: FunctionSpec = FUNCTIONS[name];
    const fn = new TendrilFunction(stack, spec.construct, {
      handler: name,
      environment: {
        ...Object.fromEntries(envOf(name).map((env) => [env, wiring.env[env]])),
        POWERTOOLS_METRICS_NAMESPACE: wiring.metricsNamespace,
      },
      ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
      ...(spec.memoryMb ? { memorySize: spec.memoryMb } : {}),
    });
    functions[name] = fn;
    grantTable(fn, wiring.table, tableActionsOf(name));
    for (const capability of spec.uses) grant(capability, fn, wiring);
  }
  return functions;
}

const ack = (fn: TendrilFunction, id: string, reason: string) => {
  if (fn.fn.role)
    Validations.of(fn.fn.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${id}]`,
      reason,
    });
};

/**
 * The function's own action list on the table and its two indexes, named (no wildcard): a public
 * function that only writes a lead cannot delete, batch-write or scan anything.
 */
function grantTable(fn: TendrilFunction, table: TableV2, actions: string[]) {
  if (actions.length === 0) return;
  const indexes = TABLE_DEFINITION.globalSecondaryIndexes.map(
    (i) => `${table.tableArn}/index/${i.IndexName}`,
  );
  fn.fn.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn, ...indexes] }));
}

function grant(capability: Capability, fn: TendrilFunction, w: FunctionWiring) {
  const stack = w.table.stack;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  /** How cdk-nag spells an ARN of this stack in its finding ids. */
  const nagArn = (service: string, resource: string) =>
    `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
  switch (capability) {
    case 'table:read':
    case 'table:write':
    case 'table:delete':
    case 'table:load':
      return; // One statement for all of them (grantTable).
    case 'signing-secret':
      w.signingSecret.grantRead(fn.fn);
      return;
    case 'send-email':
      w.email.grantSend(fn.fn);
      w.signingSecret.grantRead(fn.fn);
      ack(fn, '*', 'ses:GetAccount (the send quota) accepts no resource scope (AWS documents Resource "*").');
      return;
    case 'schedules':
      w.scheduling.grantManage(fn.fn);
      ack(
        fn,
        nagArn('scheduler', `schedule/<${stack.resolve(w.scheduling.group.logicalId)}>/*`),
        "Schedules are created per follow-up and task at run time; scoped to Tendril's schedule group.",
      );
      return;
    case 'publish-workflows':
      w.workflows.grantPublish(fn.fn);
      ack(
        fn,
        nagArn('states', `stateMachine:${w.workflows.machinePrefix}*`),
        'Workflow state machines are created at publish time; the name prefix scopes them to Tendril.',
      );
      return;
    case 'start-workflows':
      w.workflows.grantStart(fn.fn);
      ack(
        fn,
        nagArn('states', `stateMachine:${w.workflows.machinePrefix}*`),
        'Workflow state machines are created at publish time; the name prefix scopes them to Tendril.',
      );
      ack(
        fn,
        nagArn('states', `execution:${w.workflows.machinePrefix}*`),
        "Executions are named per enrollment at run time; the prefix scopes them to Tendril's workflows.",
      );
      return;
    case 'resume-workflows':
      w.workflows.grantResume(fn.fn);
      ack(
        fn,
        '*',
        'states:SendTaskSuccess answers task tokens of callback Tasks, which IAM cannot scope (Resource "*").',
      );
      return;
    case 'put-events':
      w.bus.grantPutEventsTo(fn.fn);
      return;
    case 'files':
      w.jobs.grantFiles(fn.fn);
      ack(
        fn,
        `<${stack.resolve((w.jobs.files.node.defaultChild as CfnElement).logicalId)}.Arn>/imports/*`,
        'Import files are named per import at run time; scoped to the imports/ prefix of the files bucket.',
      );
      ack(
        fn,
        `<${stack.resolve((w.jobs.files.node.defaultChild as CfnElement).logicalId)}.Arn>/exports/*`,
        'Export files are named per job at run time; scoped to the exports/ prefix of the files bucket.',
      );
      return;
    case 'case-files': {
      w.jobs.grantCaseFiles(fn.fn);
      const bucket = `<${stack.resolve((w.jobs.files.node.defaultChild as CfnElement).logicalId)}.Arn>`;
      ack(
        fn,
        `${bucket}/inbound/*`,
        'Inbound emails are named by SES at receipt; scoped to the inbound/ prefix.',
      );
      ack(
        fn,
        `${bucket}/case-files/*`,
        'Attachments are named per email at run time; scoped to case-files/.',
      );
      return;
    }
    case 'support-email':
    case 'public-url':
      return; // An address or a URL: nothing to grant.
    case 'chunk-queue':
      w.jobs.queue(FUNCTIONS['job-chunks'].trigger.queue).grantSendMessages(fn.fn);
      return;
    case 'campaign-queue':
      w.jobs.queue(FUNCTIONS['campaign-chunks'].trigger.queue).grantSendMessages(fn.fn);
      return;
    case 'webhook-queue':
      w.jobs.queue(FUNCTIONS['webhook-deliveries'].trigger.queue).grantSendMessages(fn.fn);
      return;
    case 'user-pool':
      return; // Its signing keys are public (the pool's JWKS).
    case 'user-directory':
      fn.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'],
          resources: [w.userPoolArn],
        }),
      );
      return;
  }
}
