/** CDK assertions on the synthesized stack, and the cdk-nag report of the same synthesis. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { App, type CfnElement, type NestedStack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { api } from '#app/api.js';
import type { RouteDef } from '#platform/http/route.js';
import { envOf, FUNCTION_NAMES, FUNCTIONS, type FunctionSpec, tableActionsOf } from '#platform/manifest.js';
import { buildApp } from '../../../infra/tendril-app.js';

/** The logical ids stateful resources had before the stack was split into constructs. */
const STATEFUL: Record<string, string[]> = JSON.parse(
  readFileSync(join(import.meta.dirname, 'stateful-logical-ids.json'), 'utf8'),
);

let template: Template;
let outdir: string;
type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown };
let resources: Record<string, Resource>;
/** The HTTP API's routes and integrations: a nested stack of their own. */
let routeResources: Record<string, Resource>;
let routesStackId: string;

before(() => {
  outdir = mkdtempSync(join(tmpdir(), 'tendril-cdk-'));
  const { app, stack } = buildApp(new App({ outdir, context: { 'cli-telemetry': false } }));
  template = Template.fromStack(stack);
  app.synth();
  resources = template.toJSON().Resources;
  const routesStack = stack.node.findChild('Http').node.findChild('Routes') as NestedStack;
  routeResources = Template.fromStack(routesStack).toJSON().Resources;
  routesStackId = stack.getLogicalId(routesStack.nestedStackResource as CfnElement);
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const policyOf = (functionLogicalIdPrefix: string) => {
  const entries = ofType('AWS::IAM::Policy').filter(([id]) => id.startsWith(functionLogicalIdPrefix));
  return JSON.stringify(entries.map(([, r]) => r.Properties.PolicyDocument));
};

describe('Tendril stack', () => {
  it('has the single table with PITR, deletion protection, TTL, stream, GSI1 and GSI2', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'GSI1' }),
        Match.objectLike({ IndexName: 'GSI2' }),
      ],
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
  });

  it('builds every function on Node 24, arm64, with X-Ray and its own log group', () => {
    // Ours: everything but CDK's own custom resources (deploy time only).
    const fns = ofType('AWS::Lambda::Function').filter(([id]) => !id.startsWith('Custom'));
    assert.equal(fns.length, FUNCTION_NAMES.length);
    for (const [, fn] of fns) {
      assert.equal(fn.Properties.Runtime, 'nodejs24.x');
      assert.deepEqual(fn.Properties.Architectures, ['arm64']);
      assert.deepEqual(fn.Properties.TracingConfig, { Mode: 'Active' });
      assert.equal((fn.Properties.LoggingConfig as { LogFormat?: string }).LogFormat, 'JSON', 'JSON logs');
    }
    // One per function, the API access log and the workflow state machines' log.
    template.resourceCountIs('AWS::Logs::LogGroup', FUNCTION_NAMES.length + 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('deploys one route per contract entry, admin routes behind the Cognito JWT authorizer', () => {
    const routes = Object.values(routeResources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties);
    const contract = Object.values(api) as RouteDef[];
    assert.equal(routes.length, contract.length);
    for (const r of contract) {
      const deployed = routes.find((x) => x.RouteKey === `${r.method} ${r.path}`);
      assert.ok(deployed, `${r.method} ${r.path} is deployed`);
      // Routes API keys may call take the Lambda authorizer (a key or a user's token).
      assert.equal(
        deployed.AuthorizationType,
        r.auth === 'admin' ? (r.scopes?.length ? 'CUSTOM' : 'JWT') : 'NONE',
        `${r.method} ${r.path} auth`,
      );
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    // Not cached: a revoked key is refused on its next request; every request counts toward its rate.
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: Match.objectLike({
        'Fn::Join': Match.arrayWith([
          Match.arrayWith([
            Match.objectLike({
              'Fn::GetAtt': Match.arrayWith([Match.stringLikeRegexp('^ApiAuthorizerFunction')]),
            }),
          ]),
        ]),
      }),
    });
    // API Gateway may invoke each function behind a route once, from this API only (not one
    // permission per route: the stack's 500-resource limit).
    // The routes' permissions sit in their nested stack, which names the API by a parameter.
    const invokes = [...Object.entries(resources), ...Object.entries(routeResources)].filter(
      ([, p]) =>
        p.Type === 'AWS::Lambda::Permission' && p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    const functionsBehindRoutes = new Set<string>(contract.map((r) => r.fn)).add('api-authorizer');
    assert.equal(invokes.length, functionsBehindRoutes.size);
    for (const [, p] of invokes)
      assert.match(
        JSON.stringify(p.Properties.SourceArn),
        /"Ref":"(referencetoTendril)?HttpApi[^"]*"},("\/\*\/\*\/\*"|"\/authorizers\/",\{"Ref":"HttpApiKeysOrUsers[^"]*"\})/,
      );
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 200 }),
    });
  });

  it('alarms on every function’s errors and throttles, API 5xx, a late outbox and SES reputation, and has a dashboard', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const lambdaIds = new Map(
      FUNCTION_NAMES.map((name) => {
        const [id] =
          ofType('AWS::Lambda::Function').find(([lid]) =>
            lid.startsWith(`${FUNCTIONS[name].construct}Function`),
          ) ?? [];
        return [name, String(id)];
      }),
    );
    for (const metricName of ['Errors', 'Throttles']) {
      const covering = alarms.filter((a) =>
        JSON.stringify(a.Metrics ?? []).includes(`"MetricName":"${metricName}"`),
      );
      for (const a of covering) {
        const metrics = a.Metrics as Array<{ Expression?: string; MetricStat?: unknown }>;
        assert.ok(metrics.filter((m) => m.MetricStat).length <= 10, 'at most ten metrics in an alarm');
        assert.equal(metrics.find((m) => m.Expression)?.Expression, 'SUM(METRICS())');
      }
      for (const [name, id] of lambdaIds)
        assert.ok(
          covering.some((a) => JSON.stringify(a.Metrics).includes(`"Ref":"${id}"`)),
          `${name}: ${metricName} alarmed`,
        );
    }
    const single = (metricName: string, namespace: string) =>
      alarms.find((a) => a.MetricName === metricName && a.Namespace === namespace);
    assert.equal(single('5xx', 'AWS/ApiGateway')?.Threshold, 1);
    assert.equal(single('IteratorAge', 'AWS/Lambda')?.Threshold, 60_000);
    assert.equal(single('Reputation.BounceRate', 'AWS/SES')?.Threshold, 0.04);
    assert.equal(single('Reputation.ComplaintRate', 'AWS/SES')?.Threshold, 0.0008);
    const [[, dashboard] = []] = ofType('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of [
      'LeadCaptured',
      'EmailSent',
      'EmailRejected',
      'ContactEnrolled',
      'EnrollmentFailed',
      'Reconciled',
    ])
      assert.ok(body.includes(metric), `the dashboard shows ${metric}`);
    // CloudFormation allows 500 resources a stack: the routes are a nested stack of their own, and
    // the main stack keeps room for the contexts still to come (418 with customer service's five
    // functions; 450 with companies' two; the next to move out are the alarms, stateless, into a
    // nested stack of their own).
    assert.deepEqual(
      ofType('AWS::CloudFormation::Stack').map(([id]) => id),
      [routesStackId],
    );
    assert.ok(Object.keys(resources).length < 460, `${Object.keys(resources).length} resources`);
    assert.ok(Object.keys(routeResources).length < 450, `${Object.keys(routeResources).length} routes`);
  });

  it('sends only as the sender, through a configuration set with TLS, reputation metrics and suppression', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
    const statements = ofType('AWS::IAM::Policy').flatMap(
      ([, p]) =>
        (p.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> })
          .Statement,
    );
    const sends = statements.filter((st) => JSON.stringify(st.Action).includes('ses:SendEmail'));
    assert.ok(sends.length >= 4, 'the senders');
    for (const st of sends) {
      const resources = JSON.stringify(st.Resource);
      assert.doesNotMatch(resources, /identity\/\*/, 'no wildcard identity');
      assert.match(resources, /SenderEmail/, 'the sender parameter');
      assert.match(resources, /configuration-set/);
    }
  });

  it('throttles each public route on its own, after the route exists, and logs requests in HTTP API variables', () => {
    const [[, stage] = []] = Object.entries(template.toJSON().Resources).filter(
      ([, r]) => (r as Resource).Type === 'AWS::ApiGatewayV2::Stage',
    ) as Array<[string, Resource & { DependsOn?: string[] }]>;
    assert.ok(stage);
    const publicRoutes = Object.values(api as Record<string, RouteDef>).filter((r) => r.auth === 'public');
    assert.ok(publicRoutes.length >= 4);
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    assert.deepEqual(
      Object.keys(settings).sort(),
      publicRoutes.map((r) => `${r.method} ${r.path}`).sort(),
      'exactly the public routes',
    );
    for (const s of Object.values(settings))
      assert.deepEqual(s, { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    // The stage depends on the routes it names: on their nested stack.
    assert.ok(stage.DependsOn?.includes(routesStackId), 'the stage waits for the routes');
    const format = JSON.parse(String((stage.Properties.AccessLogSettings as { Format: string }).Format));
    for (const variable of [
      '$context.routeKey',
      '$context.status',
      '$context.integrationErrorMessage',
      '$context.authorizer.error',
      '$context.responseLatency',
    ])
      assert.ok(Object.values(format).includes(variable), variable);
    assert.ok(!JSON.stringify(format).includes('resourcePath'), 'no REST API variables');
  });

  it('feeds the publisher from the stream with the outbox filter, partial-batch failures and a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { PK: { S: [{ prefix: 'OUTBOX#' }] } } },
            }),
          },
        ],
      },
    });
  });

  it('has an event bus with a DLQ and an archive of every Tendril event', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { DeadLetterConfig: { Arn: Match.anyValue() } });
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: [{ prefix: 'tendril.' }] },
      RetentionDays: 14,
    });
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('receives support email: scanned, stored raw under inbound/ (kept 30 days), then the inbound-email function invoked asynchronously', () => {
    const rules = ofType('AWS::SES::ReceiptRule');
    assert.equal(rules.length, 1);
    const rule = rules[0]?.[1].Properties.Rule as {
      Recipients: unknown[];
      ScanEnabled: boolean;
      TlsPolicy: string;
      Enabled: boolean;
      Actions: Array<Record<string, Record<string, unknown>>>;
    };
    assert.equal(rule.ScanEnabled, true);
    assert.equal(rule.TlsPolicy, 'Require');
    assert.equal(rule.Recipients.length, 1);
    assert.match(JSON.stringify(rule.Recipients), /support@/);
    // In this order: the raw message is in S3 before the function reads it.
    assert.deepEqual(
      rule.Actions.map((a) => Object.keys(a)[0]),
      ['S3Action', 'LambdaAction'],
    );
    const [store, invoke] = rule.Actions;
    assert.equal(store?.S3Action?.ObjectKeyPrefix, 'inbound/');
    assert.equal(invoke?.LambdaAction?.InvocationType, 'Event');
    assert.match(JSON.stringify(invoke?.LambdaAction?.FunctionArn), /InboundEmail|inbound-email/i);
    // SES may write to the bucket and invoke the function, for this account only.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: invoke?.LambdaAction?.FunctionArn,
      Principal: 'ses.amazonaws.com',
      SourceAccount: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/inbound/*']] },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 30 })]),
      },
    });
  });

  it('grants each function only what it needs', () => {
    const contacts = policyOf('ContactsApi');
    assert.match(contacts, /dynamodb:PutItem/);
    assert.doesNotMatch(contacts, /events:PutEvents|secretsmanager/);
    const submit = policyOf('FormSubmit');
    assert.match(submit, /secretsmanager:GetSecretValue/);
    const publisher = policyOf('OutboxPublisher');
    assert.match(publisher, /events:PutEvents/);
    assert.match(publisher, /dynamodb:GetRecords/);
    assert.doesNotMatch(publisher, /dynamodb:(PutItem|UpdateItem|DeleteItem|Scan)/);
    const openapi = policyOf('OpenApi');
    assert.doesNotMatch(openapi, /dynamodb|events:|secretsmanager/);
    const roles = ofType('AWS::IAM::Role').filter(([id]) => !id.startsWith('Custom'));
    for (const [, role] of roles) {
      assert.equal(
        JSON.stringify(role.Properties.ManagedPolicyArns ?? []).includes('AWSLambdaBasicExecutionRole'),
        false,
      );
    }
    // No function may read every table or scan: grants name this stack's table.
    assert.doesNotMatch(policyOf(''), /"dynamodb:\*"|"Resource":"\*","Action":"dynamodb/);
    // Nothing scans the table (a Scan on a request path is refused by IAM too), nor manages it.
    assert.doesNotMatch(policyOf(''), /dynamodb:(Scan|DescribeTable|CreateTable|DeleteTable|UpdateTable)"/);
    // Each function's table grant is exactly its own action list (the manifest's, which local mode
    // enforces too), on the table and its two named indexes, in one statement.
    const tableId = ofType('AWS::DynamoDB::GlobalTable')[0]?.[0];
    for (const name of FUNCTION_NAMES) {
      const { construct } = FUNCTIONS[name] as FunctionSpec;
      const statements = ofType('AWS::IAM::Policy')
        .filter(([id]) => id.startsWith(`${construct}Role`))
        .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter(
          (st) =>
            [st.Action].flat().some((a) => /^dynamodb:/.test(a)) && !JSON.stringify(st).includes('Stream'),
        );
      const wanted = tableActionsOf(name);
      if (wanted.length === 0) {
        assert.deepEqual(statements, [], `${name} has no table grant`);
        continue;
      }
      assert.equal(statements.length, 1, `${name}: one table statement`);
      assert.deepEqual([statements[0]?.Action].flat().sort(), [...wanted].sort(), `${name}: its actions`);
      assert.deepEqual(
        JSON.parse(JSON.stringify(statements[0]?.Resource)),
        [
          { 'Fn::GetAtt': [tableId, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/GSI1']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/GSI2']] },
        ],
        `${name}: the table and its named indexes`,
      );
    }
    // The public functions write leads and opt-outs: they can neither delete nor batch-write.
    for (const construct of ['FormSubmit', 'Unsubscribe'])
      assert.doesNotMatch(policyOf(construct), /dynamodb:(DeleteItem|BatchWriteItem|Scan)"/, construct);
    // Tracing is one shared policy (its Resource "*" acknowledged once), attached to every function's role.
    const [tracingId] =
      ofType('AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith('FunctionTracing')) ?? [];
    assert.ok(tracingId);
    for (const name of FUNCTION_NAMES) {
      const role =
        resources[`${FUNCTIONS[name].construct}Role`] ??
        Object.entries(resources).find(
          ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(`${FUNCTIONS[name].construct}Role`),
        )?.[1];
      assert.deepEqual(role?.Properties.ManagedPolicyArns, [{ Ref: tracingId }], name);
    }
    for (const name of FUNCTION_NAMES)
      assert.doesNotMatch(policyOf(FUNCTIONS[name].construct), /xray:/, name);
  });

  it('wires workflows: enrollment and SES rules with DLQs, a state-machine role, scoped publish and start rights', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: {
        source: [
          'tendril.contacts',
          'tendril.forms',
          'tendril.segments',
          'tendril.commerce',
          'tendril.appointments',
          'tendril.scoring',
          'tendril.service',
          'tendril.sales',
          'tendril.email',
        ],
        'detail-type': [
          'ContactTagged',
          'ContactCreated',
          'ContactUpdated',
          'FormSubmitted',
          'SegmentEntered',
          'PurchaseMade',
          'AppointmentBooked',
          'ScoreChanged',
          'LifecycleStageChanged',
          'CaseCreated',
          'CaseStatusChanged',
          'CaseResolved',
          'DealStageChanged',
          'EmailEngaged',
          'CaseMessageReceived',
        ],
        // Email engagement: clicks only; and never an import that asked for silence.
        detail: { silent: [{ exists: false }], $or: [{ type: [{ exists: false }] }, { type: ['clicked'] }] },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    // Only this stack's configuration set: another stage's or application's bounces suppress nobody here.
    const [[configurationSet] = []] = ofType('AWS::SES::ConfigurationSet');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': Match.arrayWith(['Email Bounced', 'Email Opened']),
        detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSet }] } } },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'states.amazonaws.com' } })],
      }),
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ Enabled: true, EventBridgeDestination: Match.anyValue() }),
    });
    const api = policyOf('WorkflowsApi');
    assert.match(api, /states:CreateStateMachine/);
    assert.match(api, /iam:PassRole/);
    assert.match(api, /stateMachine:tendril-wf-\*/);
    const enroller = policyOf('Enroller');
    assert.match(enroller, /states:StartExecution/);
    assert.doesNotMatch(enroller, /states:CreateStateMachine|ses:/);
    // It schedules a contact's day in a date-triggered workflow: it passes the Scheduler's role, and no other.
    const passed = [
      ...enroller.matchAll(/"iam:PassRole","Effect":"Allow","Resource":\{"Fn::GetAtt":\["([A-Za-z0-9]+)"/g),
    ];
    assert.deepEqual(
      passed.map((m) => m[1]?.startsWith('SchedulingSchedulerRole')),
      [true],
    );
    const step = policyOf('WorkflowStep');
    assert.match(step, /ses:SendEmail/);
    // A waitForEvent step whose event already happened answers its own task token, and nothing more.
    assert.deepEqual([...new Set(step.match(/states:\w+/g))], ['states:SendTaskSuccess']);
    assert.match(enroller, /states:SendTaskSuccess/);
  });

  it('gives every asynchronously invoked function two retries and an on-failure queue, and alarms on every queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    const asyncFunctions = FUNCTION_NAMES.filter((n) =>
      ['rule', 'schedule', 'timer', 'mail'].includes(FUNCTIONS[n].trigger.kind),
    );
    assert.equal(configs.length, asyncFunctions.length);
    for (const [, config] of configs) {
      assert.equal(config.Properties.MaximumRetryAttempts, 2);
      assert.match(JSON.stringify(config.Properties.DestinationConfig), /OnFailure.*FailedInvocations/);
    }
    const queues = ofType('AWS::SQS::Queue').map(([id]) => id);
    const alarmed = ofType('AWS::CloudWatch::Alarm').map(([, a]) =>
      JSON.stringify(a.Properties.Dimensions ?? []),
    );
    for (const queue of queues) {
      assert.ok(
        alarmed.some((d) => d.includes(queue)),
        `no alarm on ${queue}`,
      );
    }
    for (const metric of ['EmailRejected', 'EnrollmentFailed', 'Reconciled', 'ImportFailed']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, Namespace: 'Tendril' });
    }
    // Every way an email is rejected for good is alarmed: workflows, follow-ups (both senders), campaigns.
    const rejected = ofType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties.MetricName === 'EmailRejected')
      .map(([, a]) => JSON.stringify(a.Properties.Dimensions));
    for (const [service, via] of [
      ['workflow-step', 'workflow'],
      ['scheduled-action', 'follow-up'],
      ['reconciler', 'follow-up'],
      ['campaign-chunks', 'campaign'],
      ['case-surveys', 'case-surveys'],
    ])
      assert.ok(
        rejected.some((d) => d.includes(`tendril-${service}`) && d.includes(`"Value":"${via}"`)),
        `EmailRejected of ${service} via ${via}`,
      );
    // Every alarm reaches the topic, whose key lets CloudWatch publish (the AWS-managed SNS key would not).
    const [[topicId] = []] = ofType('AWS::SNS::Topic');
    for (const [id, alarm] of ofType('AWS::CloudWatch::Alarm'))
      assert.match(
        JSON.stringify(alarm.Properties.AlarmActions ?? []),
        new RegExp(String(topicId)),
        `${id} notifies`,
      );
    const [[, topic] = []] = ofType('AWS::SNS::Topic');
    assert.match(JSON.stringify(topic?.Properties.KmsMasterKeyId), /Fn::GetAtt|Ref/, 'a key of the stack');
    const keyPolicy = JSON.stringify(ofType('AWS::KMS::Key').map(([, k]) => k.Properties.KeyPolicy));
    assert.match(keyPolicy, /cloudwatch\.amazonaws\.com/);
    // Executions that end abnormally close their enrollment; a timer reconciles what a crash left.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: Match.anyValue() },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    assert.match(policyOf('Reconciler'), /states:DescribeExecution/);
  });

  it('schedules follow-ups and reminders with EventBridge Scheduler, scoped to its group, with a DLQ', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ],
      }),
    });
    const schedulerRole = policyOf('SchedulingSchedulerRole');
    assert.match(schedulerRole, /lambda:InvokeFunction/);
    assert.match(schedulerRole, /sqs:SendMessage/);
    assert.doesNotMatch(schedulerRole, /dynamodb|ses:/);
    // The schedules' target schedules too: an A/B campaign's winner, a winner looked at again later.
    for (const fn of ['TasksApi', 'FollowUpsApi', 'WorkflowStep', 'CampaignsApi', 'ScheduledAction']) {
      const policy = policyOf(fn);
      assert.match(policy, /scheduler:CreateSchedule/);
      assert.match(policy, /scheduler:DeleteSchedule/);
      assert.match(policy, /iam:PassRole/);
      assert.match(policy, /:schedule\/",\{"Ref":"ScheduleGroup/);
    }
    const fired = policyOf('ScheduledAction');
    assert.match(fired, /ses:SendEmail/);
    // It is not given its own ARN (a cycle): it schedules by the ARN it was invoked with.
    const env = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('ScheduledActionFunction'),
    )?.[1].Properties.Environment;
    assert.equal(JSON.stringify(env).includes('SCHEDULE_TARGET_ARN'), false);
    assert.match(JSON.stringify(env), /SCHEDULE_GROUP_NAME/);
    // Reports only read; segments are saved and deleted one at a time (their records in the background).
    assert.match(policyOf('ReportsApi'), /dynamodb:Query/);
    assert.doesNotMatch(policyOf('ReportsApi'), /dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
    assert.match(policyOf('SegmentsApi'), /dynamodb:PutItem/);
    assert.match(policyOf('SegmentsApi'), /dynamodb:DeleteItem/);
    assert.doesNotMatch(policyOf('SegmentsApi'), /dynamodb:BatchWriteItem/);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': Match.arrayWith(['EmailSent', 'DealStageChanged']) }),
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('serves the admin UI from a private bucket through CloudFront (OAC), the API on the same origin', () => {
    const buckets = ofType('AWS::S3::Bucket');
    assert.ok(buckets.length >= 2);
    for (const [, b] of buckets) {
      assert.deepEqual(b.Properties.PublicAccessBlockConfiguration, {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [[, dist]] = ofType('AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = dist.Properties.DistributionConfig as {
      DefaultRootObject: string;
      DefaultCacheBehavior: { ViewerProtocolPolicy: string };
      CacheBehaviors: Array<{ PathPattern: string; AllowedMethods: string[] }>;
      Logging?: unknown;
    };
    assert.equal(config.DefaultRootObject, 'index.html');
    assert.equal(config.DefaultCacheBehavior.ViewerProtocolPolicy, 'redirect-to-https');
    assert.deepEqual(config.CacheBehaviors.map((b) => b.PathPattern).sort(), [
      '/csat/*',
      '/f/*',
      '/help',
      '/help/*',
      '/m/*',
      '/t/*',
      '/u/*',
      '/v1/*',
    ]);
    assert.ok(config.CacheBehaviors.every((b) => b.AllowedMethods.includes('POST')));
    assert.ok(config.Logging, 'access logging on');
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/index.html', '/config.json'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: Match.anyValue(),
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('requires MFA and a strong password policy for admin users', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });

  it('lets only the functions with the users directory read the user pool: ListUsers and AdminGetUser on it', () => {
    const [poolId] = ofType('AWS::Cognito::UserPool')[0] ?? [];
    assert.ok(poolId);
    const readers = FUNCTION_NAMES.filter((n) =>
      (FUNCTIONS[n] as FunctionSpec).uses.includes('user-directory'),
    );
    assert.deepEqual(readers.sort(), [
      'cases-api',
      'contacts-api',
      'pipelines-api',
      'scheduled-action',
      'tasks-api',
      'workflow-step',
    ]);
    for (const name of FUNCTION_NAMES) {
      const { construct } = FUNCTIONS[name] as FunctionSpec;
      const statements = ofType('AWS::IAM::Policy')
        .filter(([id]) => id.startsWith(`${construct}Role`))
        .flatMap(
          ([, r]) => (r.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
        )
        .filter((s) => JSON.stringify(s.Action).includes('cognito-idp:'));
      if (!readers.includes(name)) {
        assert.equal(statements.length, 0, `${name} may not read the user pool`);
        continue;
      }
      assert.deepEqual(
        statements.map((s) => [s.Action, s.Resource]),
        [[['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'], { 'Fn::GetAtt': [poolId, 'Arn'] }]],
        name,
      );
      assert.ok(envOf(name).includes('USER_POOL_ID'), name);
    }
  });

  it('keeps the logical ids of every stateful resource (a new id would replace the table, user pool, buckets…)', () => {
    for (const [type, expected] of Object.entries(STATEFUL)) {
      const actual = ofType(type)
        .map(([id]) => id)
        .sort();
      assert.deepEqual(actual, [...expected].sort(), type);
    }
    assert.ok(template.toJSON().Parameters.SenderEmail, 'the SenderEmail parameter keeps its name');
  });

  it('builds the functions of the manifest, each with the environment its capabilities need', () => {
    for (const name of FUNCTION_NAMES) {
      const { construct } = FUNCTIONS[name];
      const [, fn] =
        ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(`${construct}Function`)) ?? [];
      assert.ok(fn, `${construct} is deployed`);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      assert.deepEqual(
        Object.keys(env).sort(),
        [...envOf(name), 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'].sort(),
        `${name} environment`,
      );
      // Deployed without a stage: the names it was first deployed with.
      assert.equal(env.POWERTOOLS_METRICS_NAMESPACE, 'Tendril');
      if ('WORKFLOW_MACHINE_PREFIX' in env) assert.equal(env.WORKFLOW_MACHINE_PREFIX, 'tendril-wf-');
    }
  });

  it("gives every function its own bundle (CDK's asset cache would otherwise reuse the first)", () => {
    const keys = new Set<string>();
    for (const name of FUNCTION_NAMES) {
      const { construct } = FUNCTIONS[name];
      const [, fn] =
        ofType('AWS::Lambda::Function').find(([id]) => id.startsWith(`${construct}Function`)) ?? [];
      const key = String((fn?.Properties.Code as { S3Key?: unknown } | undefined)?.S3Key);
      keys.add(key);
      // The staged bundle is this function's: an HTTP function's routes, any other's own name.
      const code = readFileSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
      const routes = Object.values(api as Record<string, RouteDef>).filter((r) => r.fn === name);
      const marker = routes[0]?.path ?? name;
      assert.ok(code.includes(marker), `${name}'s bundle contains ${marker}`);
    }
    assert.equal(keys.size, FUNCTION_NAMES.length);
  });

  it('passes cdk-nag AwsSolutions with every suppression reasoned', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'AwsSolutions');
    assert.ok(nag, 'cdk-nag ran');
    assert.deepEqual(nag.violations, []);
    assert.equal(nag.conclusion, 'success');
    for (const s of nag.suppressedViolations)
      assert.ok(String(s.reason).length > 20, `${s.ruleName} has a reason`);
    // Fewer than the 49 suppressed findings issue 19 started from (90 before each function's table
    // grant named its indexes and tracing became one shared policy), plus one: case-forms manages SLA
    // schedules, and each function granted `schedules` has its own group-scoped IAM5 finding (one
    // shared managed policy for schedule management would fold those 12 into 1); plus one:
    // templates-api sends a template's test, and each function granted `send-email` has its own
    // identity-scoped IAM5 finding; plus up to three: the enroller schedules date triggers
    // (`schedules`), the scheduled-action function starts their executions (`start-workflows`), and
    // workflow-step reads the users directory (notifyOwner steps), each a wildcard of its own; plus
    // two: the enroller and workflow-step answer waitForEvent task tokens (`resume-workflows`), which
    // IAM cannot scope (Resource "*").
    assert.ok(nag.suppressedViolations.length < 56, `${nag.suppressedViolations.length} suppressed findings`);
  });
});
