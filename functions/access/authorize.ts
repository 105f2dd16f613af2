/**
 * The API authorizer's decision for the routes machine clients may call (those with `scopes`): a
 * request carries either a signed-in user's token (verified by the `users` port: Cognito in the
 * cloud) or an API key. It says who is calling; the route then checks the key's scopes and rate
 * (platform/http/api-keys.ts), so refusals there are JSON errors with their own status.
 */
import type { KeyCallerContext } from '#platform/http/api-keys.js';
import { KEY_PREFIX } from '#platform/http/api-keys.js';
import { authenticateApiKey } from './rules.js';
import type { AccessDeps } from './store.js';

/** Whether a token is a signed-in user's (a Cognito ID token for the admin app in the cloud). */
export interface UserVerifier {
  verify(token: string): Promise<boolean>;
}

export type Decision =
  | { isAuthorized: true; context: KeyCallerContext | { principal: 'user' } }
  | { isAuthorized: false; why: 'no token' | 'unknown key' | 'revoked key' | 'invalid user token' };

export async function authorize(
  deps: AccessDeps,
  users: UserVerifier,
  authorization: string | undefined,
): Promise<Decision> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { isAuthorized: false, why: 'no token' };
  if (token.startsWith(KEY_PREFIX)) {
    const key = await authenticateApiKey(deps, token);
    if (!key.ok)
      return { isAuthorized: false, why: key.reason === 'revoked' ? 'revoked key' : 'unknown key' };
    return {
      isAuthorized: true,
      context: {
        principal: 'api-key',
        keyId: key.keyId,
        scopes: key.scopes.join(' '),
        rateLimited: key.rateLimited ? 'true' : 'false',
      },
    };
  }
  return (await users.verify(token))
    ? { isAuthorized: true, context: { principal: 'user' } }
    : { isAuthorized: false, why: 'invalid user token' };
}
