/**
 * Property-based fuzzing of every route of the API contract (public and admin) with malformed
 * bodies, headers, ids and query strings: never a 5xx, a rejected request never writes, and every
 * 2xx body has the shape the route declares (the schema OpenAPI and the web client are built from).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { api } from '#app/api.js';
import { loadHttpHandlers } from '#local/handlers.js';
import { LOCAL_FILES_BUCKET, S3RVER_CREDENTIALS, startS3Local } from '#local/s3.js';
import { LocalScheduler } from '#local/scheduler.js';
import { LocalStepFunctions } from '#local/step-functions.js';
import type { ApiHandler } from '#platform/http/handler.js';
import type { RouteDef } from '#platform/http/route.js';
import type { HttpFunctionName as FunctionName } from '#platform/manifest.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { apiEvent, lambdaContext } from '#test/support/events.js';

let t: TestTable;
let handlers: Record<FunctionName, ApiHandler>;
const known: Record<string, string> = {};
let closeSfn: () => void = () => {};

after(() => closeSfn());

before(async () => {
  t = await createTestTable();
  const sfn = await new LocalStepFunctions({
    region: 'us-east-1',
    account: '000000000000',
    timeScale: 1,
  }).listen();
  const scheduler = await new LocalScheduler({
    region: 'us-east-1',
    account: '000000000000',
    timeScale: 1,
  }).listen();
  // The files bucket (imports, exports) on a throwaway s3rver.
  const s3 = await startS3Local('127.0.0.1');
  closeSfn = () => {
    sfn.server.close();
    scheduler.server.close();
    void s3.stop();
  };
  Object.assign(process.env, {
    TABLE_NAME: t.tableName,
    SIGNING_SECRET: 'fuzz-secret-fuzz-secret-fuzz-secret',
    // Nothing listens: no fuzzed request reaches a webhook that exists (sending would fail loudly).
    WEBHOOK_QUEUE_URL: 'http://127.0.0.1:9/000000000000/webhooks',
    SUPPORT_EMAIL: 'support@example.com',
    PUBLIC_API_URL: 'https://fuzz.example.com',
    AWS_ENDPOINT_URL_DYNAMODB: process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT,
    AWS_ENDPOINT_URL_SFN: sfn.url,
    AWS_ENDPOINT_URL_SCHEDULER: scheduler.url,
    SCHEDULE_GROUP_NAME: 'fuzz',
    SCHEDULE_TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:scheduled',
    SCHEDULE_ROLE_ARN: 'arn:aws:iam::000000000000:role/s',
    SCHEDULE_DLQ_ARN: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.url,
    FILES_BUCKET: LOCAL_FILES_BUCKET,
    STEP_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:step',
    STATE_MACHINE_ROLE_ARN: 'arn:aws:iam::000000000000:role/r',
    STATE_MACHINE_ARN_PREFIX: 'arn:aws:states:us-east-1:000000000000:stateMachine:',
    WORKFLOW_LOG_GROUP_ARN: 'arn:aws:logs:us-east-1:000000000000:log-group:l',
    WORKFLOW_MACHINE_PREFIX: 'tendril-wf-',
    // Owners are users: local mode's list, absent here (so only its admin, local-admin).
    LOCAL_USERS_FILE: '/nonexistent/tendril-fuzz-users.json',
  });
  handlers = await loadHttpHandlers();
  // Real records, so that fuzzed requests also reach existing things.
  const call = async (route: RouteDef, body: unknown, params?: Record<string, string>) => {
    const res = (await handlers[route.fn](
      apiEvent(route, { body, ...(params ? { params } : {}) }),
      lambdaContext,
    )) as APIGatewayProxyStructuredResultV2;
    assertDeclaredShape(route, res);
    return JSON.parse(String(res.body));
  };
  known.contact = (await call(api.createContact, { email: 'seed@example.com', tags: ['seed'] })).id;
  known.form = (
    await call(api.createForm, { name: 'Seed', fields: ['email', 'firstName'], tags: ['seed'] })
  ).id;
  known.template = (await call(api.createTemplate, { name: 'Seed', subject: 'Hi', html: '<p>Hi</p>' })).id;
  known.workflow = (
    await call(api.createWorkflow, {
      name: 'Seed',
      trigger: { type: 'tagAdded', tag: 'seed' },
      steps: [{ id: 'a', type: 'sendEmail', templateId: known.template }],
    })
  ).id;
  known.pipeline = (
    await call(api.createPipeline, { name: 'Seed', stages: [{ name: 'New', probability: 0.1 }] })
  ).id;
  known.deal = (
    await call(api.createDeal, {
      title: 'Seed',
      amount: 100,
      currency: 'EUR',
      pipelineId: known.pipeline,
      stage: 'New',
    })
  ).id;
  known.company = (await call(api.createCompany, { name: 'Seed', domain: 'seed.example' })).id;
  known.task = (await call(api.createTask, { title: 'Seed', dueAt: '2030-01-01T00:00:00Z' })).id;
  known.segment = (await call(api.createSegment, { name: 'Seed', filter: { tags: { all: ['seed'] } } })).id;
  known.followUp = (
    await call(
      api.createFollowUp,
      { templateId: known.template, sendAt: '2030-01-01T00:00:00Z' },
      { id: known.contact as string },
    )
  ).id;
  // A booking page open around the clock, and an appointment on it (its signed link's token).
  known.meetingType = (
    await call(api.createMeetingType, {
      slug: 'seed',
      name: 'Seed',
      ownerName: 'Owner',
      ownerEmail: 'owner@example.com',
      durationMinutes: 30,
      minNoticeMinutes: 0,
      timeZone: 'UTC',
      workingHours: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
        day,
        start: '00:00',
        end: '24:00',
      })),
    })
  ).id;
  known.slug = 'seed';
  const slot = new Date(Math.ceil(Date.now() / 3_600_000 + 2) * 3_600_000).toISOString();
  const booked = await call(
    api.book,
    { startsAt: slot, firstName: 'Seed', email: 'booked@example.com' },
    { slug: 'seed' },
  );
  known.token = String(String(booked.manageUrl).split('/m/a/')[1]);
});

/** A 2xx JSON body must parse with the schema the route declares for that status. */
function assertDeclaredShape(route: RouteDef, res: APIGatewayProxyStructuredResultV2) {
  const status = res.statusCode ?? 0;
  const declared = route.responses[status];
  if (status >= 300 || declared === undefined || typeof declared === 'string') return;
  const parsed = declared.safeParse(JSON.parse(String(res.body)));
  assert.ok(
    parsed.success,
    `${route.method} ${route.path} ${status} body: ${JSON.stringify(parsed.error?.issues)}`,
  );
}

const nasty = fc.constantFrom(
  '',
  ' ',
  '..%2F..%2Fetc',
  '%00',
  '💥',
  'null',
  '[]',
  '{}',
  'x'.repeat(5000),
  '01JF0000000000000000000000',
  '<script>',
);
const idLike = () => fc.oneof(fc.string(), nasty, fc.constantFrom(...Object.values(known)));
const json = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        'email',
        'name',
        'tags',
        'version',
        'fields',
        'steps',
        'trigger',
        'type',
        'body',
        'contactId',
        'stage',
        'amount',
        'dueAt',
        'sendAt',
        'filter',
        'startsAt',
        'action',
        'slug',
        '__proto__',
        'constructor',
      ),
      fc.jsonValue(),
    )
    .map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant('{"email":'),
  fc.constant(JSON.stringify({ email: 'big@example.com', pad: 'x'.repeat(270_000) })),
);
const request = (route: RouteDef) =>
  fc.record({
    params: fc.record(
      Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], idLike()])),
    ),
    query: fc.dictionary(
      fc.oneof(
        fc.constantFrom('limit', 'cursor', 'tag', 'email', 'status', 'owner', 'dueBefore', 'from', 'to'),
        fc.string(),
      ),
      fc.oneof(fc.string(), nasty),
      { maxKeys: 3 },
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json; charset=utf-8',
      'text/csv',
      '',
      'multipart/form-data',
    ),
    body: fc.option(json, { nil: undefined }),
    idempotencyKey: fc.option(fc.oneof(fc.string(), nasty), { nil: undefined }),
    origin: fc.option(fc.constantFrom('https://evil.example', 'null', 'http://localhost:3000'), {
      nil: undefined,
    }),
  });

/** The table, less the rate windows of public forms (they count refused attempts too, by design). */
const state = async () => JSON.stringify((await t.items()).filter((i) => !String(i.PK).startsWith('RATE#')));

describe('fuzzing every route', () => {
  for (const [name, route] of Object.entries(api) as Array<[string, RouteDef]>) {
    it(`${route.method} ${route.path} (${name}) never answers 5xx and never writes when it refuses`, async () => {
      await fc.assert(
        fc.asyncProperty(request(route), async (req) => {
          const before = await state();
          const event = apiEvent(route, {
            params: req.params as Record<string, string>,
            query: req.query,
            headers: {
              ...(req.contentType ? { 'content-type': req.contentType } : {}),
              ...(req.idempotencyKey !== undefined ? { 'idempotency-key': req.idempotencyKey } : {}),
              ...(req.origin ? { origin: req.origin } : {}),
            },
            ...(req.body !== undefined ? { rawBody: req.body } : {}),
          });
          const res = (await handlers[route.fn](event, lambdaContext)) as APIGatewayProxyStructuredResultV2;
          const status = res.statusCode ?? 0;
          assert.ok(status >= 200 && status < 500, `${status}: ${res.body}`);
          if (status < 300)
            assert.ok(route.responses[status] !== undefined, `${status} is not a declared answer`);
          assertDeclaredShape(route, res);
          if (status >= 400) {
            assert.equal(await state(), before, 'a refused request changed the table');
            const body = JSON.parse(String(res.body));
            assert.equal(typeof body.error.code, 'string');
          }
        }),
        { numRuns: 15 },
      );
    });
  }
});
