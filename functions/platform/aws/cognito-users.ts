/**
 * Signed-in users' tokens checked as API Gateway's JWT authorizer checks them: a Cognito ID token of
 * the admin app's client, signed by the user pool's key (its JWKS fetched once per container and
 * cached), not expired.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';

export function cognitoUsers(userPoolId: string, clientId: string) {
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' });
  return {
    verifier,
    async verify(token: string): Promise<boolean> {
      try {
        await verifier.verify(token);
        return true;
      } catch {
        return false;
      }
    },
  };
}
