/**
 * Workflows run on Step Functions: one state machine per workflow, created when it is published.
 * This construct holds what they share: the role the state machines run as (invoking the
 * workflow-step function, logging, X-Ray) and their log group.
 */
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { pinLogicalId } from './pin.js';

export class WorkflowEngine extends Construct {
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** `arn:…:stateMachine:` — the prefix workflow state machine ARNs are built from. */
  readonly stateMachineArnPrefix: string;
  /** Every execution of every workflow state machine. */
  readonly executions: string;
  /** Every workflow state machine (and its versions). */
  readonly machines: string;
  /** Workflow state machines are named `<machinePrefix><workflowId>` (the stage's prefix). */
  readonly machinePrefix: string;

  constructor(scope: Construct, id: string, props: { machinePrefix: string }) {
    super(scope, id);
    this.machinePrefix = props.machinePrefix;
    const stack = Stack.of(this);
    this.role = new Role(this, 'WorkflowStateMachineRole', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        resources: ['*'],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended log delivery and X-Ray accept no resource scope (documented by Step Functions).',
    });
    this.logGroup = new LogGroup(this, 'WorkflowLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    pinLogicalId(this.logGroup, 'WorkflowLogs6DD5EEB0');
    const machineArn = (resourceName: string) =>
      stack.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.stateMachineArnPrefix = machineArn('');
    this.machines = machineArn(`${props.machinePrefix}*`);
    this.executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.machinePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The function every Task state invokes. */
  runSteps(stepFunction: IFunction, nagLogicalId: string): void {
    stepFunction.grantInvoke(this.role);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${nagLogicalId}.Arn>:*]`,
      reason: 'Invoking any version of the workflow-step function (grantInvoke).',
    });
  }

  /** May create workflow state machines, publish versions, and pass the role they run as. */
  grantPublish(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'states:CreateStateMachine',
          'states:UpdateStateMachine',
          'states:PublishStateMachineVersion',
          'states:TagResource',
        ],
        resources: [this.machines],
      }),
    );
    this.role.grantPassRole(grantee.grantPrincipal);
  }

  /** May start executions of workflow state machines, and read how they are doing. */
  /** Answering callback Tasks' tokens: IAM has no resource for them (AWS documents Resource "*"). */
  grantResume(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }),
    );
  }

  grantStart(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.machines] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [this.executions] }),
    );
  }
}
