/**
 * The HTTP API: one route per entry of the route table (functions/app/api.ts), admin routes behind
 * the Cognito JWT authorizer, public routes (hosted forms, unsubscribe) open; stage throttling and
 * access logs.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDef } from '#platform/http/route.js';
import type { HttpFunctionName } from '#platform/manifest.js';

export class TendrilHttpApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
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
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${name}: public lead-capture route, protected by honeypot, fill-time token, field allow-list, body limit and stage throttling instead.`,
        });
      }
    }
  }
}
