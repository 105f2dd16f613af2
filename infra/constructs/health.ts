/**
 * Service health on top of Operations' "something was lost" alarms: Lambda errors and throttles of
 * every function, API 5xx, the outbox stream falling behind, SES reputation — each to the alarm
 * topic — and one CloudWatch dashboard of the business metrics. Functions are alarmed in groups of
 * ten (an alarm's metric math takes at most ten metrics): a stack this size stays well under
 * CloudFormation's 500 resources.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { Operations } from './operations.js';

/** SES's own review thresholds are 5% bounces and 0.1% complaints: alarm before them. */
export const BOUNCE_RATE_ALARM = 0.04;
export const COMPLAINT_RATE_ALARM = 0.0008;
/** The outbox publisher this far behind the table's stream (ms) means events are late. */
export const ITERATOR_AGE_ALARM_MS = 60_000;
const GROUP = 10;
const FIVE_MINUTES = Duration.minutes(5);

export interface HealthProps {
  operations: Operations;
  /** Every function, by its handler name. */
  functions: Record<string, IFunction>;
  api: HttpApi;
  /** The function reading the table's stream. */
  streamConsumer: IFunction;
  /** The stage's name, in the dashboard's title. */
  title: string;
}

export class Health extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: HealthProps) {
    super(scope, id);
    const { operations } = props;
    const alarm = (
      alarmId: string,
      description: string,
      metric: Metric | MathExpression,
      threshold: number,
    ) => {
      const a = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      operations.notify(a);
      return a;
    };

    const names = Object.keys(props.functions).sort();
    for (let i = 0; i < names.length; i += GROUP) {
      const group = names.slice(i, i + GROUP);
      for (const metricName of ['Errors', 'Throttles']) {
        const usingMetrics = Object.fromEntries(
          group.map((name, j) => [
            `m${j}`,
            (props.functions[name] as IFunction).metric(metricName, {
              period: FIVE_MINUTES,
              statistic: 'Sum',
            }),
          ]),
        );
        alarm(
          `Lambda${metricName}${i / GROUP + 1}`,
          `Lambda ${metricName.toLowerCase()} in ${group.join(', ')} (an invocation failed, or was refused for concurrency)`,
          new MathExpression({ expression: 'SUM(METRICS())', usingMetrics, period: FIVE_MINUTES }),
          1,
        );
      }
    }
    alarm(
      'Api5xx',
      'The HTTP API answered 5xx: a handler failed where it should have answered 4xx, or timed out',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      1,
    );
    alarm(
      'OutboxBehind',
      'The outbox publisher reads the table stream over a minute late: events (and workflows) are delayed',
      props.streamConsumer.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
      ITERATOR_AGE_ALARM_MS,
    );
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
    alarm(
      'SesBounceRate',
      `The account's SES bounce rate is at ${BOUNCE_RATE_ALARM * 100}% (SES reviews accounts at 5%)`,
      reputation('Reputation.BounceRate'),
      BOUNCE_RATE_ALARM,
    );
    alarm(
      'SesComplaintRate',
      `The account's SES complaint rate is at ${COMPLAINT_RATE_ALARM * 100}% (SES reviews accounts at 0.1%)`,
      reputation('Reputation.ComplaintRate'),
      COMPLAINT_RATE_ALARM,
    );

    // The business, as the functions count it (EMF, in the stage's namespace).
    const business = (metricName: string, handler: string, dimensions: Record<string, string> = {}) =>
      new Metric({
        namespace: operations.namespace,
        metricName,
        dimensionsMap: { service: `tendril-${handler}`, ...dimensions },
        period: FIVE_MINUTES,
        statistic: 'Sum',
        label: Object.values(dimensions)[0] ?? metricName,
      });
    const sent = (via: string, handler: string) => business('EmailSent', handler, { via });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new TextWidget({
            markdown: `# ${props.title}\nLeads, email and workflows, every 5 minutes.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Leads captured and submissions dropped',
            left: [
              business('LeadCaptured', 'form-submit', { created: 'true' }),
              business('LeadCaptured', 'form-submit', { created: 'false' }),
            ],
            right: [business('SubmissionRateLimited', 'form-submit')],
            width: 12,
          }),
          new GraphWidget({
            title: 'Emails sent',
            left: [
              sent('workflow', 'workflow-step'),
              sent('follow-up', 'scheduled-action'),
              sent('campaign', 'campaign-chunks'),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Emails rejected and throttled',
            left: [
              business('EmailRejected', 'workflow-step', { via: 'workflow' }),
              business('EmailRejected', 'scheduled-action', { via: 'follow-up' }),
              business('EmailRejected', 'campaign-chunks', { via: 'campaign' }),
            ],
            right: [business('EmailThrottled', 'campaign-chunks', { via: 'campaign' })],
            width: 12,
          }),
          new GraphWidget({
            title: 'Enrollments, waits answered, failures and repairs',
            left: [
              business('ContactEnrolled', 'enroller'),
              business('WaitResumed', 'enroller'),
              business('EnrollmentFailed', 'execution-events'),
            ],
            right: [business('Reconciled', 'reconciler'), business('WebhookFailed', 'workflow-step')],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Site tracking: hits recorded and dropped',
            left: ['anonymous', 'contact', 'identified'].map((outcome) =>
              business('TrackingHitRecorded', 'tracking', { outcome }),
            ),
            right: ['bot', 'rate_limited'].map((outcome) =>
              business('TrackingHitDropped', 'tracking', { outcome }),
            ),
            width: 24,
          }),
        ],
      ],
    });
  }
}
