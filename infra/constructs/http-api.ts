/**
 * The HTTP API: one route per entry of the route table (functions/app/api.ts), admin routes behind
 * the Cognito JWT authorizer, public routes (hosted forms, unsubscribe) open; stage throttling, a
 * lower throttle of its own on each public route (a flood on `/f` or `/u` is refused there, not
 * spread over the admin routes' share), and access logs in the HTTP API's own variables.
 *
 * With a custom domain the execute-api endpoint is disabled: the API answers only at its custom
 * domain (the same name as CloudFront's, which forwards the viewer's Host header to it), so every
 * call goes through CloudFront and its web ACL. The stage hands every function the origin secret
 * CloudFront adds to what it forwards (platform/http/client-ip.ts).
 */
import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  type CfnStage,
  DomainName,
  EndpointType,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
  HttpUserPoolAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_STAGE_VARIABLE } from '#platform/http/client-ip.js';
import type { RouteDef } from '#platform/http/route.js';
import type { HttpFunctionName } from '#platform/manifest.js';

/** Every route's throttle (requests per second, burst), unless it has its own. */
export const STAGE_THROTTLE = { rateLimit: 200, burstLimit: 400 };
/** A public route's own throttle: anyone on the Internet can call it. */
export const PUBLIC_ROUTE_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/**
 * One JSON line per request, in HTTP API variables (REST API's `$context.resourcePath` and friends
 * are empty here): the route, the status, latencies, and why an integration or the authorizer failed.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
};

export interface TendrilHttpApiProps {
  /** The value CloudFront sends in its origin-secret header (a stage variable for the functions). */
  originSecret: string;
  /** The custom domain (its name and a certificate for it in this stack's region). */
  domain?: { name: string; certificateArn: string } | undefined;
}

export class TendrilHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** With a domain: the API's custom domain (CloudFront's origin). */
  readonly domainName: DomainName | undefined;

  constructor(scope: Construct, id: string, props: TendrilHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.domain !== undefined,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      stageVariables: { [ORIGIN_SECRET_STAGE_VARIABLE]: props.originSecret },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.domainName = props.domain && this.customDomain(props.domain);
  }

  /** A regional custom domain for the API, mapped to its stage. */
  private customDomain(domain: { name: string; certificateArn: string }): DomainName {
    const domainName = new DomainName(this, 'Domain', {
      domainName: domain.name,
      certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ApiMapping(this, 'Mapping', { api: this.api, domainName, stage: this.stage });
    return domainName;
  }

  /** Deploys every route of the table to the function the manifest names. */
  addRoutes(
    table: Record<string, RouteDef>,
    functions: Record<HttpFunctionName, IFunction>,
    auth: { userPool: UserPool; client: UserPoolClient; keysOrUsers: IFunction },
  ): void {
    const authorizer = new HttpUserPoolAuthorizer('Admin', auth.userPool, { userPoolClients: [auth.client] });
    // Routes machine clients may call (with `scopes`) take an API key or a user's token. Not cached:
    // a revoked key is refused on its next request, and each request counts toward the key's rate.
    const keysOrUsers = new HttpLambdaAuthorizer('KeysOrUsers', auth.keysOrUsers, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(0),
    });
    // CfnStage's RouteSettings is raw JSON (CloudFormation's own spelling, not CDK's camelCase).
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const integrations = new Map<HttpFunctionName, HttpLambdaIntegration>();
    // The routes, their integrations and invoke permissions are a nested stack of their own: with one
    // resource per route they were a third of the 500 resources CloudFormation allows one stack. They
    // are stateless (a new logical id only recreates them); the authorizers stay with the API.
    const routes = new NestedStack(this, 'Routes', { description: 'Tendril HTTP API routes' });
    for (const [name, r] of Object.entries(table)) {
      let integration = integrations.get(r.fn);
      if (!integration) {
        // One invoke permission per function for this API (not one per route: 86 routes were 86
        // permissions, a fifth of CloudFormation's 500-resource limit), still only from this API.
        integration = new HttpLambdaIntegration(`${r.fn}-integration`, functions[r.fn], {
          scopePermissionToRoute: false,
        });
        integrations.set(r.fn, integration);
      }
      const route = new HttpRoute(routes, `${r.method}${r.path}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(r.path, HttpMethod[r.method]),
        integration,
        ...(r.auth === 'admin' ? { authorizer: r.scopes?.length ? keysOrUsers : authorizer } : {}),
      });
      if (r.auth === 'public') {
        routeSettings[`${r.method} ${r.path}`] = {
          ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
          ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
        };
        // The stage's settings name the route: it must exist first (API Gateway: "Unable to find Route by key").
        this.stage.node.addDependency(route);
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${name}: public lead-capture route, protected by honeypot, fill-time token, field allow-list, body limit and stage throttling instead.`,
        });
      }
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  }
}
