/**
 * The HTTP API's Lambda authorizer on the routes machine clients may call: a signed-in user's
 * Cognito token or an API key (access/authorize.ts). Simple responses, not cached: a revoked key is
 * refused on its next request and every request counts toward its key's rate.
 */
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { authorize } from '#access/authorize.js';
import { accessStore } from '#access/store-dynamo.js';
import { depsOf } from '#app/runtime.js';
import { cognitoUsers } from '#platform/aws/cognito-users.js';
import { requireEnv } from '#platform/config.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(accessStore);
const userPoolId = requireEnv('USER_POOL_ID');
const clientId = requireEnv('USER_POOL_CLIENT_ID');
let users: ReturnType<typeof cognitoUsers> | undefined;

export const handler = lambdaHandler(
  'api-authorizer',
  async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>> => {
    users ??= cognitoUsers(userPoolId, clientId);
    const decision = await authorize(deps, users, event.headers?.authorization);
    if (!decision.isAuthorized) {
      logger.info('request refused', { routeKey: event.routeKey, why: decision.why });
      return { isAuthorized: false, context: {} };
    }
    return { isAuthorized: true, context: { ...decision.context } };
  },
);
