import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { api } from '#app/api.js';
import { conflict } from '#platform/errors.js';
import { httpHandler, MAX_BODY_BYTES, operation } from '#platform/http/handler.js';
import { buildOpenApi } from '#platform/http/openapi.js';
import type { RouteDef } from '#platform/http/route.js';
import { apiEvent, lambdaContext } from '#test/support/events.js';

const echo = {
  method: 'POST',
  path: '/v1/echo/{id}',
  fn: 'contacts-api',
  auth: 'admin',
  summary: 'echo',
  params: z.strictObject({ id: z.string().check(z.regex(/^\d+$/)) }),
  body: z.strictObject({ n: z.number().check(z.int()) }),
  responses: {},
} satisfies RouteDef;
const boom = {
  ...echo,
  method: 'GET',
  path: '/v1/boom',
  params: undefined,
  body: undefined,
} satisfies RouteDef;
const taken = { ...boom, path: '/v1/taken' } satisfies RouteDef;

const handler = httpHandler([
  operation(echo, async ({ params, body }) => ({ status: 201, body: { id: params.id, n: body.n } })),
  operation(boom, async () => {
    throw new Error('kaboom');
  }),
  operation(taken, async () => {
    throw conflict('email_taken', 'taken', { existingId: 'abc' });
  }),
]);

async function call(route: RouteDef, spec: Parameters<typeof apiEvent>[1]) {
  const res = (await handler(apiEvent(route, spec), lambdaContext)) as APIGatewayProxyStructuredResultV2;
  return {
    status: res.statusCode,
    body: res.body ? JSON.parse(res.body) : undefined,
    headers: res.headers ?? {},
  };
}

describe('the shared HTTP stack', () => {
  it('parses, validates and answers', async () => {
    const res = await call(echo, { params: { id: '7' }, body: { n: 3 } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { id: '7', n: 3 });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  const bad: Array<[string, Parameters<typeof apiEvent>[1], number, string]> = [
    [
      'invalid JSON',
      { params: { id: '7' }, rawBody: '{"n":', headers: { 'content-type': 'application/json' } },
      400,
      'invalid_json',
    ],
    ['missing body', { params: { id: '7' } }, 400, 'missing_body'],
    [
      'wrong media type',
      { params: { id: '7' }, rawBody: 'n=1', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported_media_type',
    ],
    ['wrong type', { params: { id: '7' }, body: { n: 'three' } }, 400, 'validation_error'],
    ['unknown field', { params: { id: '7' }, body: { n: 1, admin: true } }, 400, 'validation_error'],
    ['bad id', { params: { id: 'abc' }, body: { n: 1 } }, 400, 'validation_error'],
    [
      'oversize body',
      {
        params: { id: '7' },
        rawBody: JSON.stringify({ n: 1, pad: 'x'.repeat(MAX_BODY_BYTES) }),
        headers: { 'content-type': 'application/json' },
      },
      413,
      'payload_too_large',
    ],
  ];
  for (const [name, spec, status, code] of bad) {
    it(`answers ${name} with ${status} ${code}`, async () => {
      const res = await call(echo, spec);
      assert.equal(res.status, status);
      assert.equal(res.body.error.code, code);
      assert.equal(typeof res.body.error.message, 'string');
      assert.ok(res.body.error.details !== undefined);
    });
  }

  it('names each unknown key and each invalid path in details', async () => {
    const res = await call(echo, { params: { id: 'x' }, body: { n: 1, admin: true, role: 'x' } });
    assert.deepEqual(
      res.body.error.details.map((d: { path: string }) => d.path),
      ['params.id'],
    );
    const res2 = await call(echo, { params: { id: '1' }, body: { n: 1, admin: true, role: 'x' } });
    assert.deepEqual(
      res2.body.error.details.map((d: { path: string }) => d.path),
      ['admin', 'role'],
    );
  });

  it('explains each problem in English, not just "Invalid input"', async () => {
    const res = await call(echo, { params: { id: 'x' }, body: { n: 1.5 } });
    assert.equal(res.status, 400);
    const messages = Object.fromEntries(
      res.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]),
    );
    assert.deepEqual(messages, { 'params.id': 'Invalid string: must match pattern /^\\d+$/' });
    const res2 = await call(echo, { params: { id: '1' }, body: { n: 1.5 } });
    assert.equal(res2.body.error.details[0].message, 'Invalid input: expected int, received number');
  });

  it('maps domain errors with their details, and hides unexpected ones behind a 500', async () => {
    const t = await call(taken, {});
    assert.equal(t.status, 409);
    assert.deepEqual(t.body.error, { code: 'email_taken', message: 'taken', details: { existingId: 'abc' } });
    const b = await call(boom, {});
    assert.equal(b.status, 500);
    assert.equal(b.body.error.code, 'internal_error');
    assert.doesNotMatch(JSON.stringify(b.body), /kaboom/);
  });

  it('answers a browser with a friendly page that no one may frame, a JSON client with JSON', async () => {
    const res = (await handler(
      apiEvent(taken, { headers: { accept: 'text/html,application/xhtml+xml' } }),
      lambdaContext,
    )) as APIGatewayProxyStructuredResultV2;
    assert.equal(res.statusCode, 409);
    assert.match(String(res.headers?.['content-type']), /text\/html/);
    assert.match(String(res.body), /<h1>This changed meanwhile<\/h1>/);
    assert.match(String(res.headers?.['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(
      (await call(taken, { headers: { accept: 'application/json' } })).body.error.code,
      'email_taken',
    );
  });

  it('answers an unknown routeKey with 404', async () => {
    const res = await call({ ...boom, path: '/v1/nowhere' }, {});
    assert.equal(res.status, 404);
  });
});

describe('the OpenAPI document', () => {
  it('describes every route of the contract with its auth and schemas', () => {
    const doc = buildOpenApi(api);
    const ops = Object.entries(doc.paths).flatMap(
      ([, methods]) => Object.values(methods) as Array<Record<string, unknown>>,
    );
    assert.equal(ops.length, Object.keys(api).length);
    const create = (doc.paths['/v1/contacts'] as Record<string, Record<string, unknown>>).post;
    // A user's token, or an API key with the scope (machine clients).
    assert.deepEqual(create?.security, [{ bearer: [] }, { apiKey: ['contacts:write'] }]);
    const keys = (doc.paths['/v1/api-keys'] as Record<string, Record<string, unknown>>).post;
    assert.deepEqual(keys?.security, [{ bearer: [] }], 'admins only');
    const schema = JSON.stringify(create?.requestBody);
    assert.match(schema, /"email"/);
    assert.match(schema, /"additionalProperties":false/);
    const submit = (doc.paths['/f/{formId}'] as Record<string, Record<string, unknown>>).post;
    assert.deepEqual(submit?.security, []);
    assert.match(JSON.stringify(submit?.requestBody), /application\/x-www-form-urlencoded/);
  });
});
