/**
 * API keys on DynamoDB Local: shown once and kept as a hash; the authorizer's decision (the right
 * secret, not revoked, or a user's token), each request counted toward the key's rate, its last use
 * recorded at most once a minute; and the route's check of the key's scopes and rate.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { authorize, type UserVerifier } from '#access/authorize.js';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from '#access/rules.js';
import type { DomainError } from '#platform/errors.js';
import { checkKeyCaller } from '#platform/http/api-keys.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
let now = new Date('2026-12-01T10:00:00.000Z');
/** Each reading of the clock a millisecond later (concurrent requests see different times). */
let ticking = false;
before(async () => {
  t = await createTestTable(() => {
    if (ticking) now = new Date(now.getTime() + 1);
    return now;
  });
});

const users: UserVerifier = { verify: async (token) => token === 'a-user-token' };
const bearer = (token: string) => `Bearer ${token}`;
/** A request as the authorizer lets it through to the route's function. */
const requestWith = (context: Record<string, string>) =>
  ({ requestContext: { authorizer: { lambda: context } } }) as unknown as APIGatewayProxyEventV2;
const refusal = (fn: () => void) => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return { kind: (err as DomainError).kind, message: (err as DomainError).message };
  }
};

describe('API keys', () => {
  it('are shown once, stored as a hash, and listed without their secret', async () => {
    const { apiKey, key } = await createApiKey(t.deps, {
      name: 'Shop',
      scopes: ['purchases:write', 'contacts:read', 'purchases:write'],
    });
    assert.match(key, /^tdk_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(apiKey.scopes, ['contacts:read', 'purchases:write']);
    assert.equal(apiKey.hint, `tdk_…${key.slice(-6)}`);
    const stored = JSON.stringify(await t.items());
    assert.ok(!stored.includes(key.slice(-43)), 'the secret is not stored');
    const listed = await listApiKeys(t.deps, { limit: 10 });
    assert.deepEqual(listed.items, [apiKey]);
    assert.ok(!JSON.stringify(listed).includes('secretHash'));
  });

  it('let a request through with the right secret and not revoked; users by their token', async () => {
    const { apiKey, key } = await createApiKey(t.deps, { name: 'Billing', scopes: ['purchases:write'] });
    assert.deepEqual(await authorize(t.deps, users, bearer(key)), {
      isAuthorized: true,
      context: { principal: 'api-key', keyId: apiKey.id, scopes: 'purchases:write', rateLimited: 'false' },
    });
    const forged = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    assert.deepEqual(await authorize(t.deps, users, bearer(forged)), {
      isAuthorized: false,
      why: 'unknown key',
    });
    assert.equal((await authorize(t.deps, users, bearer('tdk_nonsense'))).isAuthorized, false);
    assert.equal((await authorize(t.deps, users, undefined)).isAuthorized, false);
    assert.deepEqual(await authorize(t.deps, users, bearer('a-user-token')), {
      isAuthorized: true,
      context: { principal: 'user' },
    });
    assert.deepEqual(await authorize(t.deps, users, bearer('another-token')), {
      isAuthorized: false,
      why: 'invalid user token',
    });
    const revoked = await revokeApiKey(t.deps, apiKey.id);
    assert.equal(revoked.revokedAt, now.toISOString());
    assert.deepEqual(await authorize(t.deps, users, bearer(key)), {
      isAuthorized: false,
      why: 'revoked key',
    });
    assert.equal(
      (await revokeApiKey(t.deps, apiKey.id)).revokedAt,
      revoked.revokedAt,
      'revoking twice changes nothing',
    );
    const racing = await createApiKey(t.deps, { name: 'Racing', scopes: ['contacts:read'] });
    ticking = true;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => revokeApiKey(t.deps, racing.apiKey.id)),
    );
    ticking = false;
    const kept = (await listApiKeys(t.deps, { limit: 50 })).items.find((k) => k.id === racing.apiKey.id);
    assert.deepEqual(
      [...new Set(answers.map((a) => a.revokedAt))],
      [kept?.revokedAt],
      'concurrent revokes all answer the time kept',
    );
    await assert.rejects(
      revokeApiKey(t.deps, '01JAAAAAAAAAAAAAAAAAAAAAAA'),
      (e: DomainError) => e.code === 'not_found',
    );
  });

  it('hold each key to its rate, window by window, and record its last use once a minute', async () => {
    const { apiKey, key } = await createApiKey(t.deps, { name: 'Busy', scopes: ['contacts:read'] });
    const results = await Promise.all(Array.from({ length: 8 }, () => authenticateApiKey(t.deps, key, 5)));
    assert.equal(results.filter((r) => r.ok && !r.rateLimited).length, 5);
    assert.equal(results.filter((r) => r.ok && r.rateLimited).length, 3);
    const used = (await listApiKeys(t.deps, { limit: 10 })).items.find((k) => k.id === apiKey.id);
    assert.equal(used?.lastUsedAt, now.toISOString());
    now = new Date(now.getTime() + 61_000);
    const next = await authenticateApiKey(t.deps, key, 5);
    assert.deepEqual(next.ok && next.rateLimited, false, 'a new window');
    const later = (await listApiKeys(t.deps, { limit: 10 })).items.find((k) => k.id === apiKey.id);
    assert.equal(later?.lastUsedAt, now.toISOString());
  });
});

describe("a route's check of the key that calls it", () => {
  const key = (scopes: string, rateLimited = 'false') =>
    requestWith({ principal: 'api-key', keyId: '01JAAAAAAAAAAAAAAAAAAAAAAA', scopes, rateLimited });

  it('lets a key with one of the route’s scopes through, and users always', () => {
    assert.equal(
      refusal(() => checkKeyCaller(['contacts:read', 'contacts:write'], key('contacts:write'))),
      undefined,
    );
    assert.equal(
      refusal(() => checkKeyCaller(undefined, requestWith({ principal: 'user' }))),
      undefined,
    );
    assert.equal(
      refusal(() => checkKeyCaller(undefined, {} as APIGatewayProxyEventV2)),
      undefined,
    );
  });

  it('refuses a key without the scope (403), on an admins-only route, and over its rate (429)', () => {
    assert.deepEqual(
      refusal(() => checkKeyCaller(['contacts:read'], key('purchases:write'))),
      {
        kind: 'forbidden',
        message: 'the API key lacks the scope this route needs (contacts:read)',
      },
    );
    assert.equal(refusal(() => checkKeyCaller(undefined, key('contacts:read')))?.kind, 'forbidden');
    assert.equal(
      refusal(() => checkKeyCaller(['contacts:read'], key('contacts:read', 'true')))?.kind,
      'rate_limited',
    );
  });
});
