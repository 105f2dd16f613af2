import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Match } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { api, type FunctionName, type RouteDef } from '../functions/api/contract.js';
import { OUTBOX_STREAM_FILTER } from '../functions/contracts/events.js';
import { TABLE_DEFINITION, TABLE_KEYS } from '../functions/store/keys.js';
import { TendrilFunction } from './constructs/tendril-function.js';

const ack = (scope: Construct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

export class TendrilStack extends Stack {
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly functions: Record<FunctionName | 'outbox-publisher', TendrilFunction>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // ---- data: the single table (keys and index from functions/store/keys.ts) ----
    const gsi = TABLE_DEFINITION.globalSecondaryIndexes[0];
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      dynamoStream: StreamViewType.NEW_IMAGE,
      globalSecondaryIndexes: [
        {
          indexName: gsi.IndexName,
          partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
        },
      ],
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
    const adminClient = userPool.addClient('AdminClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
    });
    const authorizer = new HttpUserPoolAuthorizer('Admin', userPool, { userPoolClients: [adminClient] });

    // ---- functions ----
    const tableEnv = { TABLE_NAME: this.table.tableName };
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
      'outbox-publisher': new TendrilFunction(this, 'OutboxPublisher', {
        handler: 'outbox-publisher',
        environment: { EVENT_BUS_NAME: this.bus.eventBusName },
        timeout: Duration.seconds(30),
      }),
    };
    const tableLogicalId = this.getLogicalId(this.table.node.defaultChild as CfnElement);
    for (const name of ['contacts-api', 'forms-api', 'form-submit'] as const) {
      const fn = this.functions[name].fn;
      this.table.grantReadWriteData(fn);
      if (fn.role) {
        ack(
          fn.role,
          `AwsSolutions::AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
          "Queries the table's own GSI1 (tag and listing access patterns); scoped to this table's indexes.",
        );
      }
    }
    signingSecret.grantRead(this.functions['form-submit'].fn);

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

    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: adminClient.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
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
