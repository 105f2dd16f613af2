/**
 * The Tendril stack: data, events, identity, email, workflows, schedules, functions, the HTTP API and
 * the admin site, each a construct of its own (infra/constructs). Stateful resources keep the
 * logical ids they had before the split (test/infra/stateful-logical-ids.json).
 */
import { join } from 'node:path';
import {
  type CfnElement,
  CfnOutput,
  Duration,
  Fn,
  Lazy,
  SecretValue,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { api, ROUTES } from '#app/api.js';
import {
  type EventPattern,
  SES_ENGAGEMENT_EVENTS,
  WORKFLOW_EXECUTIONS_ENDED,
  workflowExecutionsEnded,
} from '#platform/event-rules.js';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName, type HttpFunctionName } from '#platform/manifest.js';
import { type StageNames, stageNames } from '#platform/stage.js';
import { ALARMED_METRICS } from './alarmed-metrics.js';
import { AdminSite } from './constructs/admin-site.js';
import { BulkJobs } from './constructs/bulk-jobs.js';
import { DataTable } from './constructs/data-table.js';
import { EmailSending } from './constructs/email-sending.js';
import { deadLetterQueue, EventBackbone } from './constructs/event-backbone.js';
import { buildFunctions } from './constructs/functions.js';
import { Health } from './constructs/health.js';
import { TendrilHttpApi } from './constructs/http-api.js';
import { Identity } from './constructs/identity.js';
import { InboundEmail } from './constructs/inbound-email.js';
import { Operations } from './constructs/operations.js';
import { pinLogicalId } from './constructs/pin.js';
import { Scheduling } from './constructs/scheduling.js';
import type { TendrilFunction } from './constructs/tendril-function.js';
import { WorkflowEngine } from './constructs/workflow-engine.js';
import { type DomainOptions, trackingDomain } from './domain-options.js';
import type { TendrilEdgeStack } from './tendril-edge-stack.js';

export interface TendrilStackProps extends StackProps {
  /** The deployment stage (platform/stage.ts): the names two stages in one account must not share. */
  stage?: string | undefined;
  /** The stage's us-east-1 stack holding the CloudFront web ACL. */
  edge: TendrilEdgeStack;
  /** The custom domain (infra/domain-options.ts); none: CloudFront's own name and execute-api. */
  domain?: DomainOptions | undefined;
  /** Pins the origin secret's version (`-c originSecretVersion=`): the way to roll a new value out (runbook). */
  originSecretVersion?: string | undefined;
}

export class TendrilStack extends Stack {
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly functions: Record<FunctionName, TendrilFunction>;
  readonly names: StageNames;
  readonly edge: TendrilEdgeStack;

  constructor(scope: Construct, id: string, props: TendrilStackProps) {
    super(scope, id, props);
    this.names = stageNames(props.stage);
    this.edge = props.edge;
    const domain = props.domain;
    this.table = new DataTable(this, 'Data').table;
    const events = new EventBackbone(this, 'Events');
    this.bus = events.bus;
    const signingSecret = new Secret(this, 'SigningSecret', {
      description: 'HMAC key for form fill-time tokens and unsubscribe links',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    pinLogicalId(signingSecret, 'SigningSecretCF7EC744');
    Validations.of(signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An HMAC signing key: rotating it would invalidate links already sent in emails; rotated by a planned key-version scheme, not automatically.',
    });
    const email = new EmailSending(this, 'Email', { trackingDomain: trackingDomain(this.node) });
    const workflows = new WorkflowEngine(this, 'Workflows', { machinePrefix: this.names.machinePrefix });
    const scheduling = new Scheduling(this, 'Scheduling');
    // Proves a request for the API came through CloudFront (platform/http/client-ip.ts): CloudFront
    // sends it as an origin header, the API stage hands it to the functions; resolved at deploy time.
    const originSecret = new Secret(this, 'OriginSecret', {
      description: 'Sent by CloudFront to the API with every request: proves its CloudFront-Viewer-Address',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    Validations.of(originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Resolved into the CloudFront origin header and the API stage variable at deploy time: rotated by putting a new value and deploying with -c originSecretVersion (docs/runbook.md), not by a rotation Lambda.',
    });
    const originSecretValue = SecretValue.secretsManager(originSecret.secretArn, {
      ...(props.originSecretVersion ? { versionId: props.originSecretVersion } : {}),
    }).unsafeUnwrap();
    const http = new TendrilHttpApi(this, 'Http', {
      originSecret: originSecretValue,
      domain: domain && { name: domain.name, certificateArn: domain.apiCertificateArn },
    });
    // Links in emails and forms: the custom domain (execute-api is disabled then), else execute-api.
    const publicUrl = domain ? `https://${domain.name}` : http.api.apiEndpoint;
    const chunkQueue = (name: 'job-chunks' | 'campaign-chunks' | 'webhook-deliveries', what: string) => ({
      trigger: FUNCTIONS[name].trigger,
      consumerTimeout: Duration.seconds(FUNCTIONS[name].timeoutSeconds),
      what,
    });
    const jobs = new BulkJobs(this, 'Jobs', {
      queues: [
        chunkQueue('job-chunks', 'An import or bulk action chunk'),
        chunkQueue('campaign-chunks', 'A campaign chunk'),
        chunkQueue('webhook-deliveries', 'A webhook delivery attempt'),
      ],
    });

    // Functions read other functions' ARNs (the step Lambda, the schedule target): produced once they exist.
    const arnOf = (name: FunctionName) => Lazy.string({ produce: () => this.functions[name].fn.functionArn });
    // The user pool is made with the admin site (its URL is the login's callback): produced once it exists.
    let identity: Identity | undefined;
    const ofIdentity = (value: (made: Identity) => string) =>
      Lazy.string({
        produce: () => {
          if (!identity) throw new Error('the user pool is made before synthesis');
          return value(identity);
        },
      });
    // Customers write to support@ the sender's domain (the domain SES receives mail for).
    const supportAddress = Fn.join('', ['support@', Fn.select(1, Fn.split('@', email.senderEmail))]);
    this.functions = buildFunctions(this, {
      table: this.table,
      bus: this.bus,
      signingSecret,
      email,
      workflows,
      scheduling,
      jobs,
      metricsNamespace: this.names.metricsNamespace,
      userPoolArn: ofIdentity((made) => made.userPool.userPoolArn),
      env: {
        TABLE_NAME: this.table.tableName,
        EVENT_BUS_NAME: this.bus.eventBusName,
        SIGNING_SECRET_ARN: signingSecret.secretArn,
        SENDER_EMAIL: email.senderEmail,
        SES_CONFIGURATION_SET: email.configurationSet.configurationSetName,
        PUBLIC_API_URL: publicUrl,
        STEP_FUNCTION_ARN: arnOf('workflow-step'),
        STATE_MACHINE_ROLE_ARN: workflows.role.roleArn,
        STATE_MACHINE_ARN_PREFIX: workflows.stateMachineArnPrefix,
        WORKFLOW_LOG_GROUP_ARN: workflows.logGroup.logGroupArn,
        WORKFLOW_MACHINE_PREFIX: this.names.machinePrefix,
        SCHEDULE_GROUP_NAME: scheduling.group.ref,
        SCHEDULE_TARGET_ARN: arnOf('scheduled-action'),
        SCHEDULE_ROLE_ARN: scheduling.role.roleArn,
        SCHEDULE_DLQ_ARN: scheduling.deadLetters.queueArn,
        FILES_BUCKET: jobs.files.bucketName,
        CHUNK_QUEUE_URL: jobs.queue(FUNCTIONS['job-chunks'].trigger.queue).queueUrl,
        CAMPAIGN_QUEUE_URL: jobs.queue(FUNCTIONS['campaign-chunks'].trigger.queue).queueUrl,
        USER_POOL_ID: ofIdentity((made) => made.userPool.userPoolId),
        USER_POOL_CLIENT_ID: ofIdentity((made) => made.adminClient.userPoolClientId),
        WEBHOOK_QUEUE_URL: jobs.queue(FUNCTIONS['webhook-deliveries'].trigger.queue).queueUrl,
        SUPPORT_EMAIL: supportAddress,
      },
    });

    // Each function's trigger, as the manifest says. Asynchronously invoked functions (rules,
    // schedules, timers) get Lambda's two retries and an on-failure queue.
    const operations = new Operations(this, 'Operations', { namespace: this.names.metricsNamespace });
    const httpFunctions = {} as Record<HttpFunctionName, IFunction>;
    let authorizer: IFunction | undefined;
    for (const name of FUNCTION_NAMES) {
      const fn = this.functions[name].fn;
      const spec = FUNCTIONS[name];
      const trigger = spec.trigger;
      if (['rule', 'schedule', 'timer', 'mail'].includes(trigger.kind)) {
        operations.asyncFailures(spec.construct, fn);
      }
      switch (trigger.kind) {
        case 'http':
          httpFunctions[name as HttpFunctionName] = fn;
          break;
        case 'authorizer':
          authorizer = fn;
          break;
        case 'workflow-task':
          workflows.runSteps(fn, this.getLogicalId(fn.node.defaultChild as CfnElement));
          break;
        case 'schedule':
          scheduling.target(fn);
          break;
        case 'rule':
          events.consumerRule(
            trigger.rule,
            trigger.deadLetters,
            this.forStage(trigger.pattern, email.configurationSet.configurationSetName),
            fn,
            trigger.bus,
          );
          break;
        case 'timer':
          events.timerRule(trigger.rule, trigger.minutes, fn);
          break;
        case 'mail':
          new InboundEmail(this, 'EmailReceiving', { bucket: jobs.files, fn, supportAddress });
          break;
        case 'queue':
          jobs.consume(fn, trigger.queue);
          break;
        case 'stream':
          fn.addEventSource(
            new DynamoEventSource(this.table, {
              startingPosition: StartingPosition.TRIM_HORIZON,
              batchSize: 100,
              bisectBatchOnError: true,
              retryAttempts: 20,
              reportBatchItemFailures: true,
              onFailure: new SqsDlq(deadLetterQueue(this, 'OutboxDeadLetters')),
              filters: [FilterCriteria.filter(trigger.filter as unknown as Record<string, unknown>)],
            }),
          );
          break;
      }
    }

    for (const metric of ALARMED_METRICS) operations.alarmOn(metric);
    operations.alarmOnEveryQueue();
    for (const alarm of jobs.alarms) operations.notify(alarm);
    new Health(this, 'Health', {
      operations,
      functions: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, this.functions[name].fn])),
      api: http.api,
      streamConsumer: this.functions['outbox-publisher'].fn,
      title: this.names.stackName,
    });

    // The admin UI: S3 + CloudFront (same origin as the API), Cognito managed login.
    const webDist = join(import.meta.dirname, '..', 'web', 'dist');
    const site = new AdminSite(this, 'AdminSite', {
      api: http.api,
      apiDomain: http.domainName,
      apiPaths: { admin: ['/v1'], public: publicPrefixes(), exact: publicPages() },
      assetDir: webDist,
      originSecret: originSecretValue,
      webAclArn: this.edge.webAclArnFor(this),
      domain: domain && {
        name: domain.name,
        certificateArn: domain.certificateArn,
        hostedZoneId: domain.hostedZoneId,
      },
    });
    identity = new Identity(this, 'Identity', {
      loginDomainPrefix: this.names.loginDomainPrefix(this.account),
      siteUrl: site.url,
    });
    site.deploy(
      {
        auth: 'cognito',
        domain: identity.loginDomain.baseUrl(),
        clientId: identity.adminClient.userPoolClientId,
        redirectUri: `${site.url}/`,
      },
      webDist,
    );
    if (!authorizer) throw new Error('the manifest has no API authorizer');
    http.addRoutes(api, httpFunctions, {
      userPool: identity.userPool,
      client: identity.adminClient,
      keysOrUsers: authorizer,
    });

    new CfnOutput(this, 'ApiUrl', { value: publicUrl });
    new CfnOutput(this, 'AdminUrl', { value: site.url });
    new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: identity.adminClient.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'FilesBucket', { value: jobs.files.bucketName });
  }

  /**
   * A rule's pattern for this stack: the workflow executions of its own state machines only, and the
   * SES events of its own configuration set only (all of an account's SES events reach the default
   * bus: another stage's or another application's bounces must not suppress this one's contacts).
   */
  private forStage(pattern: EventPattern, configurationSet: string): EventPattern {
    if (pattern === WORKFLOW_EXECUTIONS_ENDED) return workflowExecutionsEnded(this.names.machinePrefix);
    if (pattern === SES_ENGAGEMENT_EVENTS) {
      // A nested match (detail.mail.tags), beyond the flat detail filters of the contract's type.
      const detail = { mail: { tags: { 'ses:configuration-set': [configurationSet] } } };
      return { ...pattern, detail: detail as unknown as Record<string, readonly unknown[]> };
    }
    return pattern;
  }
}

/** The first path segments of the public routes (`/f`, `/m`, `/u`): CloudFront sends them to the API. */
export const publicPrefixes = () =>
  [
    ...new Set(
      ROUTES.filter((r) => r.auth === 'public' && !r.path.startsWith('/v1/')).map(
        (r) => `/${r.path.split('/')[1]}`,
      ),
    ),
  ].sort();

/** Public routes at a prefix itself (`/help`): `/help/*` does not match them, so CloudFront sends them too. */
export const publicPages = () =>
  [
    ...new Set(
      ROUTES.filter((r) => r.auth === 'public' && r.path === `/${r.path.split('/')[1]}`).map((r) => r.path),
    ),
  ].sort();
