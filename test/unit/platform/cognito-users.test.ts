/**
 * The authorizer's check of a signed-in user's token (aws-jwt-verify against the user pool's keys):
 * tokens signed here with a key the verifier is given as the pool's JWKS.
 */
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { cognitoUsers } from '#platform/aws/cognito-users.js';

const POOL = 'us-east-1_TeSt12345';
const CLIENT = 'adminclient123';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const pool = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function sign(claims: Record<string, unknown>, key = pool.privateKey, kid = 'pool-key') {
  const head = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
}
const nowSeconds = () => Math.floor(Date.now() / 1000);
const idToken = (extra: Record<string, unknown> = {}) =>
  sign({
    sub: 'user-1',
    iss: ISSUER,
    aud: CLIENT,
    token_use: 'id',
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    ...extra,
  });

function users() {
  const made = cognitoUsers(POOL, CLIENT);
  made.verifier.cacheJwks({
    keys: [{ ...pool.publicKey.export({ format: 'jwk' }), kid: 'pool-key', alg: 'RS256', use: 'sig' }],
  } as Parameters<typeof made.verifier.cacheJwks>[0]);
  return made;
}

describe('signed-in users’ tokens', () => {
  it('accepts an ID token of the admin client signed by the pool', async () => {
    assert.equal(await users().verify(idToken()), true);
  });

  it('refuses an expired token, another client’s, an access token, another issuer’s and a forged one', async () => {
    const check = users();
    assert.equal(await check.verify(idToken({ exp: nowSeconds() - 60 })), false, 'expired');
    assert.equal(await check.verify(idToken({ aud: 'someone-else' })), false, 'another client');
    assert.equal(await check.verify(idToken({ token_use: 'access' })), false, 'an access token');
    assert.equal(
      await check.verify(idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })),
      false,
      'another pool',
    );
    const forged = sign(
      { sub: 'x', iss: ISSUER, aud: CLIENT, token_use: 'id', exp: nowSeconds() + 60 },
      stranger.privateKey,
    );
    assert.equal(await check.verify(forged), false, 'signed by another key');
    assert.equal(await check.verify('not-a-jwt'), false);
  });
});
