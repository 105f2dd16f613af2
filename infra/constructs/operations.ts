/**
 * Operations: nothing is lost silently. Every asynchronously invoked function gets Lambda's two
 * retries and then an SQS on-failure destination; every dead-letter and on-failure queue of the
 * stack, and the business metrics that mean something was lost or repaired, raise an alarm on one
 * SNS topic (subscribe the on-call address to it).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './event-backbone.js';

/** A Tendril metric (namespace Tendril) whose every occurrence deserves a look. */
export interface AlarmedMetric {
  /** The alarm's construct id, when name and handler do not tell it from another's (default: both). */
  id?: string;
  name: string;
  /** The emitting function's handler name (its `service` dimension is `tendril-<handler>`). */
  handler: string;
  dimensions?: Record<string, string>;
  description: string;
}

export class Operations extends Construct {
  readonly topic: Topic;
  /** The stage's metrics namespace (platform/stage.ts). */
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: { namespace: string }) {
    super(scope, id);
    this.namespace = props.namespace;
    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key (its policy cannot
    // be changed): the topic has a key of its own that lets CloudWatch encrypt the alarm it sends.
    const key = new Key(this, 'AlarmsKey', {
      description: 'Encrypts the Tendril alarms topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'Tendril alarms',
      enforceSSL: true,
      masterKey: key,
    });
  }

  /** Lambda's asynchronous retries (2) for `fn`, then its failed invocations kept in a queue. */
  asyncFailures(construct: string, fn: IFunction): Queue {
    const queue = deadLetterQueue(this, `${construct}FailedInvocations`);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(queue),
    });
    return queue;
  }

  /** One alarm per occurrence of a metric that means something was lost, failed or repaired. */
  alarmOn(metric: AlarmedMetric): Alarm {
    const alarm = new Alarm(
      this,
      (metric.id ?? `${metric.name}${metric.handler}`).replace(/[^A-Za-z0-9]/g, ''),
      {
        alarmDescription: metric.description,
        metric: new Metric({
          namespace: this.namespace,
          metricName: metric.name,
          dimensionsMap: { service: `tendril-${metric.handler}`, ...metric.dimensions },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      },
    );
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }

  /** Sends an alarm made elsewhere (a queue's age, say) to the topic too. */
  notify(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.topic));
  }

  /** An alarm on every queue of the stack holding a message (dead letters, failed invocations). */
  alarmOnEveryQueue(): void {
    const queues = Stack.of(this)
      .node.findAll()
      .filter((c): c is Queue => c instanceof Queue)
      // Work queues hold messages by design; their dead-letter queues are alarmed instead.
      .filter((q) => q.deadLetterQueue === undefined);
    for (const queue of queues) {
      const alarm = new Alarm(this, `${queue.node.id}Visible`, {
        alarmDescription: `${queue.node.path}: something failed every retry and is parked here`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(this.topic));
    }
  }
}
