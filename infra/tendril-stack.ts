import { join } from 'node:path';
import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { api, type FunctionName, type RouteDef } from '../functions/api/contract.js';
import {
  DASHBOARD_EVENTS,
  ENROLLMENT_TRIGGERS,
  OUTBOX_STREAM_FILTER,
  SES_ENGAGEMENT_EVENTS,
} from '../functions/contracts/events.js';
import { TABLE_DEFINITION, TABLE_KEYS } from '../functions/store/keys.js';
import { AdminSite } from './constructs/admin-site.js';
import { TendrilFunction } from './constructs/tendril-function.js';

const ack = (scope: Construct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

export class TendrilStack extends Stack {
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly functions: Record<
    | FunctionName
    | 'outbox-publisher'
    | 'enroller'
    | 'workflow-step'
    | 'email-events'
    | 'scheduled-action'
    | 'dashboard-projector',
    TendrilFunction
  >;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // ---- data: the single table (keys and index from functions/store/keys.ts) ----
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      dynamoStream: StreamViewType.NEW_IMAGE,
      globalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((gsi) => ({
        indexName: gsi.IndexName,
        partitionKey: { name: gsi.KeySchema[0].AttributeName, type: AttributeType.STRING },
        sortKey: { name: gsi.KeySchema[1].AttributeName, type: AttributeType.STRING },
      })),
    });

    // ---- events: the bus, its archive and its dead-letter queue ----
    const busDlq = this.queue('BusDeadLetters');
    this.bus = new EventBus(this, 'Bus', { deadLetterQueue: busDlq });
    this.bus.archive('Archive', {
      description: 'Every Tendril event, for replay',
      eventPattern: { source: Match.prefix('tendril.') },
      retention: Duration.days(365),
    });

    // ---- secrets and identity ----
    const signingSecret = new Secret(this, 'SigningSecret', {
      description: 'HMAC key for form fill-time tokens and unsubscribe links',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    ack(
      signingSecret,
      'AwsSolutions-SMG4',
      'An HMAC signing key: rotating it would invalidate links already sent in emails; rotated by a planned key-version scheme, not automatically.',
    );

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ---- functions ----
    const senderEmail = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      description: 'From address of workflow emails (an SES-verified identity)',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
    });
    const configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {});
    // SES delivers its events to the default bus; the email-events rule below picks them up there.
    new ConfigurationSetEventDestination(this, 'EmailEventsToEventBridge', {
      configurationSet,
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.OPEN,
        EmailSendingEvent.CLICK,
        EmailSendingEvent.DELIVERY,
      ],
    });
    const workflowLogs = new LogGroup(this, 'WorkflowLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const tableEnv = { TABLE_NAME: this.table.tableName };
    // The functions that send marketing email (workflow steps, follow-ups).
    const senderEnv = {
      ...tableEnv,
      SIGNING_SECRET_ARN: signingSecret.secretArn,
      SENDER_EMAIL: senderEmail.valueAsString,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
    };
    this.functions = {
      'contacts-api': new TendrilFunction(this, 'ContactsApi', {
        handler: 'contacts-api',
        environment: tableEnv,
      }),
      'forms-api': new TendrilFunction(this, 'FormsApi', { handler: 'forms-api', environment: tableEnv }),
      'form-submit': new TendrilFunction(this, 'FormSubmit', {
        handler: 'form-submit',
        environment: { ...tableEnv, SIGNING_SECRET_ARN: signingSecret.secretArn },
      }),
      openapi: new TendrilFunction(this, 'OpenApi', { handler: 'openapi', memorySize: 256 }),
      'templates-api': new TendrilFunction(this, 'TemplatesApi', {
        handler: 'templates-api',
        environment: tableEnv,
      }),
      'workflows-api': new TendrilFunction(this, 'WorkflowsApi', {
        handler: 'workflows-api',
        environment: tableEnv,
      }),
      unsubscribe: new TendrilFunction(this, 'Unsubscribe', {
        handler: 'unsubscribe',
        environment: { ...tableEnv, SIGNING_SECRET_ARN: signingSecret.secretArn },
      }),
      enroller: new TendrilFunction(this, 'Enroller', { handler: 'enroller', environment: tableEnv }),
      'workflow-step': new TendrilFunction(this, 'WorkflowStep', {
        handler: 'workflow-step',
        timeout: Duration.seconds(30),
        environment: senderEnv,
      }),
      'email-events': new TendrilFunction(this, 'EmailEvents', {
        handler: 'email-events',
        environment: tableEnv,
      }),
      'pipelines-api': new TendrilFunction(this, 'PipelinesApi', {
        handler: 'pipelines-api',
        environment: tableEnv,
      }),
      'tasks-api': new TendrilFunction(this, 'TasksApi', { handler: 'tasks-api', environment: tableEnv }),
      'segments-api': new TendrilFunction(this, 'SegmentsApi', {
        handler: 'segments-api',
        environment: tableEnv,
      }),
      'contacts-io': new TendrilFunction(this, 'ContactsIo', {
        handler: 'contacts-io',
        environment: tableEnv,
        timeout: Duration.seconds(29),
        memorySize: 1024,
      }),
      'scheduled-action': new TendrilFunction(this, 'ScheduledAction', {
        handler: 'scheduled-action',
        timeout: Duration.seconds(30),
        environment: senderEnv,
      }),
      'dashboard-projector': new TendrilFunction(this, 'DashboardProjector', {
        handler: 'dashboard-projector',
        environment: tableEnv,
      }),
      'outbox-publisher': new TendrilFunction(this, 'OutboxPublisher', {
        handler: 'outbox-publisher',
        environment: { EVENT_BUS_NAME: this.bus.eventBusName },
        timeout: Duration.seconds(30),
      }),
    };
    const tableLogicalId = this.getLogicalId(this.table.node.defaultChild as CfnElement);
    for (const name of [
      'contacts-api',
      'forms-api',
      'form-submit',
      'templates-api',
      'workflows-api',
      'unsubscribe',
      'enroller',
      'workflow-step',
      'email-events',
      'pipelines-api',
      'tasks-api',
      'segments-api',
      'contacts-io',
      'scheduled-action',
      'dashboard-projector',
    ] as const) {
      const fn = this.functions[name].fn;
      // The segments and reports API only reads.
      if (name === 'segments-api') this.table.grantReadData(fn);
      else this.table.grantReadWriteData(fn);
      if (fn.role) {
        ack(
          fn.role,
          `AwsSolutions::AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
          "Queries the table's own GSI1/GSI2 (tag, listing, board and task access patterns); scoped to this table's indexes.",
        );
      }
    }
    for (const name of ['form-submit', 'unsubscribe', 'workflow-step', 'scheduled-action'] as const)
      signingSecret.grantRead(this.functions[name].fn);

    // ---- workflows: one state machine per workflow, created at publish time ----
    const stepFn = this.functions['workflow-step'].fn;
    const stateMachineRole = new Role(this, 'WorkflowStateMachineRole', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
    });
    stepFn.grantInvoke(stateMachineRole);
    stateMachineRole.addToPolicy(
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
    ack(
      stateMachineRole,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs vended log delivery and X-Ray accept no resource scope (documented by Step Functions).',
    );
    ack(
      stateMachineRole,
      `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(stepFn.node.defaultChild as CfnElement)}.Arn>:*]`,
      'Invoking any version of the workflow-step function (grantInvoke).',
    );
    const machineArn = (resourceName: string) =>
      this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const stateMachinePrefix = machineArn('');
    const workflowMachines = machineArn('tendril-wf-*');
    // How cdk-nag spells an ARN of this stack in its finding ids.
    const nagArn = (service: string, resource: string) => {
      const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
      const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
      return `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
    };
    const workflowsApi = this.functions['workflows-api'].fn;
    workflowsApi.addEnvironment('STEP_FUNCTION_ARN', stepFn.functionArn);
    workflowsApi.addEnvironment('STATE_MACHINE_ROLE_ARN', stateMachineRole.roleArn);
    workflowsApi.addEnvironment('STATE_MACHINE_ARN_PREFIX', stateMachinePrefix);
    workflowsApi.addEnvironment('WORKFLOW_LOG_GROUP_ARN', workflowLogs.logGroupArn);
    workflowsApi.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'states:CreateStateMachine',
          'states:UpdateStateMachine',
          'states:PublishStateMachineVersion',
          'states:TagResource',
        ],
        resources: [workflowMachines],
      }),
    );
    stateMachineRole.grantPassRole(workflowsApi.grantPrincipal);
    const enroller = this.functions.enroller.fn;
    enroller.addEnvironment('STEP_FUNCTION_ARN', stepFn.functionArn);
    enroller.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [workflowMachines] }),
    );
    for (const fn of [workflowsApi, enroller]) {
      if (fn.role)
        ack(
          fn.role,
          `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArn('states', 'stateMachine:tendril-wf-*')}]`,
          'Workflow state machines are created at publish time; the name prefix scopes them to Tendril.',
        );
    }
    // ---- email: the functions that send (workflow steps, follow-ups) ----
    for (const fn of [stepFn, this.functions['scheduled-action'].fn]) {
      fn.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }),
            this.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: configurationSet.configurationSetName,
            }),
          ],
        }),
      );
      if (fn.role)
        ack(
          fn.role,
          `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArn('ses', 'identity/*')}]`,
          'The sender identity is a deploy-time parameter (an address or its domain); SendEmail is limited to this configuration set.',
        );
    }

    // ---- schedules: one-time follow-ups and task reminders (EventBridge Scheduler) ----
    const scheduleGroup = new CfnScheduleGroup(this, 'ScheduleGroup', {});
    const scheduleDlq = this.queue('ScheduleDeadLetters');
    const scheduledAction = this.functions['scheduled-action'].fn;
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [scheduledAction.functionArn] }),
    );
    scheduleDlq.grantSendMessages(schedulerRole);
    const scheduleArns = this.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${scheduleGroup.ref}/*`,
    });
    for (const fn of [this.functions['tasks-api'].fn, stepFn]) {
      fn.addEnvironment('SCHEDULE_GROUP_NAME', scheduleGroup.ref);
      fn.addEnvironment('SCHEDULE_TARGET_ARN', scheduledAction.functionArn);
      fn.addEnvironment('SCHEDULE_ROLE_ARN', schedulerRole.roleArn);
      fn.addEnvironment('SCHEDULE_DLQ_ARN', scheduleDlq.queueArn);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
          resources: [scheduleArns],
        }),
      );
      schedulerRole.grantPassRole(fn.grantPrincipal);
      if (fn.role)
        ack(
          fn.role,
          `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArn('scheduler', `schedule/<${this.getLogicalId(scheduleGroup)}>/*`)}]`,
          "Schedules are created per follow-up and task at run time; scoped to Tendril's schedule group.",
        );
    }

    // ---- rules: enrollment triggers on the Tendril bus, SES events on the default bus ----
    this.consumerRule('EnrollOnTrigger', 'EnrollDeadLetters', ENROLLMENT_TRIGGERS, enroller, this.bus);
    // SES publishes to the default bus.
    this.consumerRule(
      'EmailEventsRule',
      'EmailEventsDeadLetters',
      SES_ENGAGEMENT_EVENTS,
      this.functions['email-events'].fn,
    );
    this.consumerRule(
      'DashboardRule',
      'DashboardDeadLetters',
      DASHBOARD_EVENTS,
      this.functions['dashboard-projector'].fn,
      this.bus,
    );

    // ---- outbox: table stream → publisher → bus ----
    const publisher = this.functions['outbox-publisher'].fn;
    const streamDlq = this.queue('OutboxDeadLetters');
    publisher.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 20,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(streamDlq),
        filters: [FilterCriteria.filter(OUTBOX_STREAM_FILTER as unknown as Record<string, unknown>)],
      }),
    );
    this.bus.grantPutEventsTo(publisher);

    // ---- HTTP API: one route per contract entry ----
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const httpApi = new HttpApi(this, 'Api', { createDefaultStage: false });

    // ---- admin UI: S3 + CloudFront (same origin as the API), Cognito managed login ----
    const webDist = join(import.meta.dirname, '..', 'web', 'dist');
    const site = new AdminSite(this, 'AdminSite', {
      api: httpApi,
      apiPaths: ['/v1', '/f', '/u'],
      assetDir: webDist,
    });
    const loginDomain = userPool.addDomain('AdminLogin', {
      cognitoDomain: { domainPrefix: `tendril-${this.account}` },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const adminClient = userPool.addClient('AdminClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${site.url}/`],
        logoutUrls: [`${site.url}/`],
      },
    });
    new CfnManagedLoginBranding(this, 'AdminLoginBranding', {
      userPoolId: userPool.userPoolId,
      clientId: adminClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    site.deploy(
      {
        auth: 'cognito',
        domain: loginDomain.baseUrl(),
        clientId: adminClient.userPoolClientId,
        redirectUri: `${site.url}/`,
      },
      webDist,
    );
    const authorizer = new HttpUserPoolAuthorizer('Admin', userPool, { userPoolClients: [adminClient] });
    new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const [name, r] of Object.entries(api) as Array<[string, RouteDef]>) {
      let integration = integrations.get(r.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${r.fn}-integration`, this.functions[r.fn].fn);
        integrations.set(r.fn, integration);
      }
      const [route] = httpApi.addRoutes({
        path: r.path,
        methods: [HttpMethod[r.method]],
        integration,
        ...(r.auth === 'admin' ? { authorizer } : {}),
      });
      if (r.auth === 'public' && route) {
        ack(
          route,
          'AwsSolutions-APIG4',
          `${name}: public lead-capture route, protected by honeypot, fill-time token, field allow-list, body limit and stage throttling instead.`,
        );
      }
    }

    stepFn.addEnvironment('PUBLIC_API_URL', httpApi.apiEndpoint);
    scheduledAction.addEnvironment('PUBLIC_API_URL', httpApi.apiEndpoint);

    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'AdminUrl', { value: site.url });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: adminClient.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }

  /** An EventBridge rule delivering to a consumer Lambda: 8 retries over up to 6 hours, then its own DLQ. */
  private consumerRule(
    id: string,
    deadLetterId: string,
    pattern: { source: readonly string[]; 'detail-type': readonly string[] },
    fn: IFunction,
    eventBus?: EventBus,
  ): Rule {
    const deadLetterQueue = this.queue(deadLetterId);
    return new Rule(this, id, {
      ...(eventBus ? { eventBus } : {}),
      eventPattern: { source: [...pattern.source], detailType: [...pattern['detail-type']] },
      targets: [
        new LambdaFunction(fn, { deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(6) }),
      ],
    });
  }

  private queue(id: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    ack(queue, 'AwsSolutions-SQS3', 'This queue is itself a dead-letter queue.');
    return queue;
  }
}
