/**
 * One-time schedules (follow-ups, task reminders) on EventBridge Scheduler: Tendril's schedule group,
 * the role schedules invoke their target with, and their dead-letter queue.
 */
import { Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './event-backbone.js';

export class Scheduling extends Construct {
  readonly group: CfnScheduleGroup;
  readonly deadLetters: Queue;
  readonly role: Role;
  /** Every schedule of the group. */
  readonly schedules: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new CfnScheduleGroup(this, 'ScheduleGroup', {});
    this.group.overrideLogicalId('ScheduleGroup');
    this.deadLetters = deadLetterQueue(this, 'ScheduleDeadLetters');
    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.deadLetters.grantSendMessages(this.role);
    this.schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.ref}/*`,
    });
  }

  /** The one function schedules invoke. */
  target(fn: IFunction): void {
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
  }

  /** May create and delete schedules of the group, passing the scheduler role. */
  grantManage(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.schedules],
      }),
    );
    this.role.grantPassRole(grantee.grantPrincipal);
  }
}
