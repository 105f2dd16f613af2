/**
 * The HTTP API: one route per entry of the route table (functions/app/api.ts), admin routes behind
 * the Cognito JWT authorizer, public routes (hosted forms, unsubscribe) open; stage throttling, a
 * lower throttle of its own on each public route (a flood on `/f` or `/u` is refused there, not
 * spread over the admin routes' share), and access logs in the HTTP API's own variables.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
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

export class TendrilHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /** Deploys every route of the table to the function the manifest names. */
  addRoutes(
    routes: Record<string, RouteDef>,
    functions: Record<HttpFunctionName, IFunction>,
    auth: { userPool: UserPool; client: UserPoolClient },
  ): void {
    const authorizer = new HttpUserPoolAuthorizer('Admin', auth.userPool, { userPoolClients: [auth.client] });
    // CfnStage's RouteSettings is raw JSON (CloudFormation's own spelling, not CDK's camelCase).
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const integrations = new Map<HttpFunctionName, HttpLambdaIntegration>();
    for (const [name, r] of Object.entries(routes)) {
      let integration = integrations.get(r.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${r.fn}-integration`, functions[r.fn]);
        integrations.set(r.fn, integration);
      }
      const [route] = this.api.addRoutes({
        path: r.path,
        methods: [HttpMethod[r.method]],
        integration,
        ...(r.auth === 'admin' ? { authorizer } : {}),
      });
      if (r.auth === 'public' && route) {
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
