/** The deployed handlers, invoked with API Gateway events against DynamoDB Local. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { api } from '#app/api.js';
import type { ApiHandler } from '#platform/http/handler.js';
import type { RouteDef } from '#platform/http/route.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { apiEvent, lambdaContext, type RequestSpec } from '#test/support/events.js';

let t: TestTable;
let handlers: Record<'contacts' | 'forms' | 'submit' | 'openapi', ApiHandler>;

before(async () => {
  t = await createTestTable();
  process.env.TABLE_NAME = t.tableName;
  process.env.SIGNING_SECRET = 'handler-test-secret-handler-test-secret';
  process.env.AWS_ENDPOINT_URL_DYNAMODB = process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  handlers = {
    contacts: (await import('#handlers/contacts-api.js')).handler,
    forms: (await import('#handlers/forms-api.js')).handler,
    submit: (await import('#handlers/form-submit.js')).handler,
    openapi: (await import('#handlers/openapi.js')).handler,
  };
});

function handlerFor(route: RouteDef): ApiHandler {
  const byFunction: Record<string, ApiHandler> = {
    'contacts-api': handlers.contacts,
    'forms-api': handlers.forms,
    'form-submit': handlers.submit,
    openapi: handlers.openapi,
  };
  const handler = byFunction[route.fn];
  if (!handler) throw new Error(`no handler loaded for ${route.fn}`);
  return handler;
}

async function send(route: RouteDef, spec: RequestSpec = {}, tweak?: (e: APIGatewayProxyEventV2) => void) {
  const event = apiEvent(route, spec);
  tweak?.(event);
  const res = (await handlerFor(route)(event, lambdaContext)) as APIGatewayProxyStructuredResultV2;
  const type = String(res.headers?.['content-type'] ?? '');
  return {
    status: res.statusCode ?? 0,
    headers: res.headers ?? {},
    body: res.body && type.startsWith('application/json') ? JSON.parse(res.body) : res.body,
  };
}

describe('contacts API handler', () => {
  it('runs the contact lifecycle', async () => {
    const created = await send(api.createContact, {
      body: { email: 'H@Example.com', firstName: 'Hal', tags: ['lead'] },
    });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const dup = await send(api.createContact, { body: { email: 'h@example.com' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.details.existingId, id);

    assert.equal((await send(api.getContact, { params: { id } })).body.email, 'h@example.com');
    const patched = await send(api.patchContact, { params: { id }, body: { version: 1, lastName: 'Lee' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.version, 2);
    const stale = await send(api.patchContact, { params: { id }, body: { version: 1, lastName: 'X' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'version_conflict');

    const tagged = await send(api.addTags, { params: { id }, body: { tags: ['VIP', 'lead'] } });
    assert.deepEqual(tagged.body.added, ['vip']);
    assert.equal((await send(api.removeTag, { params: { id, tag: 'vip' } })).status, 204);
    const byTag = await send(api.listContacts, { query: { tag: 'lead' } });
    assert.deepEqual(
      byTag.body.items.map((c: { id: string }) => c.id),
      [id],
    );
    const byEmail = await send(api.listContacts, { query: { email: ' H@example.com ' } });
    assert.equal(byEmail.body.items[0].id, id);

    const act = await send(api.createActivity, {
      params: { id },
      body: { type: 'meeting', body: 'Demo call' },
    });
    assert.equal(act.status, 201);
    const timeline = await send(api.listActivities, { params: { id } });
    assert.equal(timeline.body.items[0].body, 'Demo call');

    assert.equal((await send(api.deleteContact, { params: { id } })).status, 204);
    assert.equal((await send(api.getContact, { params: { id } })).status, 404);
  });

  it('takes a time zone on create and update in its canonical spelling, and refuses one that is none with a 400 at timeZone, writing nothing', async () => {
    const created = await send(api.createContact, {
      body: { email: 'tz@example.com', timeZone: 'europe/paris' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.timeZone, 'Europe/Paris');
    const id = created.body.id as string;
    assert.equal((await send(api.getContact, { params: { id } })).body.timeZone, 'Europe/Paris');

    const before = JSON.stringify(await t.items());
    const refusals = [
      await send(api.createContact, { body: { email: 'tz2@example.com', timeZone: 'Mars/Base' } }),
      await send(api.patchContact, {
        params: { id },
        body: { version: 1, firstName: 'Tom', timeZone: '+02:00' },
      }),
    ];
    for (const refused of refusals) {
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'validation_error');
      assert.deepEqual(
        refused.body.error.details.map((d: { path: string }) => d.path),
        ['timeZone'],
      );
      assert.match(refused.body.error.details[0].message, /IANA time zone/);
    }
    assert.equal(JSON.stringify(await t.items()), before, 'nothing written');

    const moved = await send(api.patchContact, {
      params: { id },
      body: { version: 1, timeZone: 'AMERICA/NEW_YORK' },
    });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.timeZone, 'America/New_York');
    assert.equal(moved.body.version, 2);
    const cleared = await send(api.patchContact, { params: { id }, body: { version: 2, timeZone: null } });
    assert.equal(cleared.status, 200);
    assert.equal('timeZone' in cleared.body, false);
    assert.equal((await send(api.getContact, { params: { id } })).body.timeZone, undefined);
    assert.equal((await send(api.deleteContact, { params: { id } })).status, 204);
  });

  it('answers bad input with 4xx JSON errors and writes nothing', async () => {
    const before = JSON.stringify(await t.items());
    const cases: Array<[RouteDef, RequestSpec, number]> = [
      [api.createContact, { rawBody: '{"email":', headers: { 'content-type': 'application/json' } }, 400],
      [api.createContact, { body: { email: 42 } }, 400],
      [api.createContact, { body: { email: 'a@b.co', isAdmin: true } }, 400],
      [
        api.createContact,
        { body: { email: 'a@b.co', tags: Array.from({ length: 26 }, (_, i) => `t${i}`) } },
        400,
      ],
      [api.createContact, { body: { email: 'a@b.co', fields: { 'bad key': 1 } } }, 400],
      // Names every object inherits are not field names (they used to reach the prototype: a 500).
      ...['constructor', 'toString', '__proto__'].map((name): [RouteDef, RequestSpec, number] => [
        api.createContact,
        {
          rawBody: `{"email":"a@b.co","fields":{"${name}":"x"}}`,
          headers: { 'content-type': 'application/json' },
        },
        400,
      ]),
      [
        api.patchContact,
        {
          params: { id: '01JF0000000000000000000000' },
          rawBody: '{"version":1,"fields":{"constructor":null}}',
          headers: { 'content-type': 'application/json' },
        },
        400,
      ],
      [
        api.createContact,
        {
          rawBody: JSON.stringify({ email: 'a@b.co', firstName: 'x'.repeat(300_000) }),
          headers: { 'content-type': 'application/json' },
        },
        413,
      ],
      [api.createContact, { body: ['email'] }, 400],
      [
        api.createContact,
        { rawBody: 'email=a@b.co', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
      ],
      [api.getContact, { params: { id: 'not-an-id' } }, 400],
      [api.getContact, { params: { id: '01JF0000000000000000000000' } }, 404],
      [
        api.patchContact,
        { params: { id: '01JF0000000000000000000000' }, body: { version: 1, firstName: 'x' } },
        404,
      ],
      [api.patchContact, { params: { id: '01JF0000000000000000000000' }, body: { firstName: 'x' } }, 400],
      [api.listContacts, { query: { limit: '1000' } }, 400],
      [api.listContacts, { query: { cursor: 'garbage' } }, 400],
      [api.listContacts, { query: { tag: 'a', email: 'b@c.de' } }, 400],
      [api.listContacts, { query: { unknown: 'x' } }, 400],
      [api.addTags, { params: { id: '01JF0000000000000000000000' }, body: { tags: [] } }, 400],
      [
        api.createActivity,
        { params: { id: '01JF0000000000000000000000' }, body: { type: 'note', body: 'x', amount: 5 } },
        400,
      ],
      [
        api.createActivity,
        { params: { id: '01JF0000000000000000000000' }, body: { type: 'purchase', body: 'x' } },
        400,
      ],
      [
        api.createActivity,
        { params: { id: '01JF0000000000000000000000' }, body: { type: 'note', body: 'x' } },
        404,
      ],
    ];
    for (const [route, spec, status] of cases) {
      const res = await send(route, spec);
      assert.equal(
        res.status,
        status,
        `${route.method} ${route.path} ${JSON.stringify(spec).slice(0, 120)} → ${JSON.stringify(res.body)}`,
      );
      assert.equal(typeof res.body.error.code, 'string');
      assert.equal(typeof res.body.error.message, 'string');
      assert.ok('details' in res.body.error);
    }
    assert.equal(JSON.stringify(await t.items()), before);
  });

  it('decodes base64 bodies as API Gateway sends binary-safe payloads', async () => {
    const res = await send(api.createContact, {}, (e) => {
      e.body = Buffer.from(JSON.stringify({ email: 'b64@example.com' })).toString('base64');
      e.isBase64Encoded = true;
      e.headers['content-type'] = 'application/json';
    });
    assert.equal(res.status, 201);
  });
});

describe('forms API and public submission handlers', () => {
  it('creates a form, serves its page with a token and accepts both HTML and JSON posts', async () => {
    const form = await send(api.createForm, {
      body: {
        name: 'Newsletter <b>',
        fields: ['email', { name: 'firstName', label: 'First name' }],
        tags: ['newsletter'],
        redirectUrl: 'https://example.com/thanks',
        allowedOrigins: ['https://www.example.com'],
        spam: { requireToken: false },
      },
    });
    assert.equal(form.status, 201);
    const formId = form.body.id as string;
    assert.equal((await send(api.getForm, { params: { id: formId } })).body.name, 'Newsletter <b>');
    assert.equal((await send(api.listForms)).body.items[0].id, formId);

    const page = await send(api.showPublicForm, { params: { formId } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /Newsletter &lt;b&gt;/);
    assert.match(page.body, /name="_ts" value="\d+\.[0-9A-Z]{26}\.[\w-]{43}"/);
    assert.match(page.body, /name="_hp"/);

    const html = await send(api.submitForm, {
      params: { formId },
      rawBody: 'email=reader%40example.com&firstName=Rea',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(html.status, 303);
    assert.equal(html.headers.location, 'https://example.com/thanks');

    const json = await send(api.submitForm, {
      params: { formId },
      body: { email: 'json@example.com' },
      headers: { origin: 'https://www.example.com', 'idempotency-key': 'k1' },
    });
    assert.equal(json.status, 201);
    assert.equal(json.headers['access-control-allow-origin'], 'https://www.example.com');
    const replay = await send(api.submitForm, {
      params: { formId },
      body: { email: 'json@example.com' },
      headers: { origin: 'https://www.example.com', 'idempotency-key': 'k1' },
    });
    assert.match(json.body.submissionId, /^[0-9A-Z]{26}$/);
    assert.equal(replay.body.submissionId, json.body.submissionId);
    assert.equal(replay.headers['idempotent-replayed'], 'true');

    const preflight = await send(api.formPreflight, {
      params: { formId },
      headers: { origin: 'https://www.example.com' },
    });
    assert.equal(preflight.status, 204);
    assert.match(String(preflight.headers['access-control-allow-headers']), /idempotency-key/);

    // Rate windows count every attempt, refused ones too; nothing else may change.
    const state = async () =>
      JSON.stringify((await t.items()).filter((i) => !String(i.PK).startsWith('RATE#')));
    const before = await state();
    const bad: Array<[RequestSpec, number]> = [
      [{ params: { formId }, body: { email: 'x@example.com', tags: 'vip' } }, 400],
      [
        {
          params: { formId },
          rawBody: 'email=x%40example.com&email=y%40example.com',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        400,
      ],
      [{ params: { formId }, rawBody: '<xml/>', headers: { 'content-type': 'text/xml' } }, 415],
      [
        { params: { formId }, body: { email: 'x@example.com' }, headers: { origin: 'https://evil.example' } },
        403,
      ],
      [{ params: { formId: 'nope' }, body: { email: 'x@example.com' } }, 400],
      [{ params: { formId: '01JF0000000000000000000000' }, body: { email: 'x@example.com' } }, 404],
    ];
    for (const [spec, status] of bad) {
      const res = await send(api.submitForm, spec);
      assert.equal(res.status, status, JSON.stringify(res.body));
      // A browser's post gets the form again with the problem shown; JSON clients the JSON error.
      if (String(res.headers['content-type']).startsWith('text/html')) assert.match(res.body, /role="alert"/);
      else assert.equal(typeof res.body.error.code, 'string');
    }
    const spam = await send(api.submitForm, {
      params: { formId },
      body: { email: 'bot@example.com', _hp: 'x' },
    });
    assert.equal(spam.status, 201);
    const added = (await t.items()).filter(
      (i) => !String(i.PK).startsWith('RATE#') && !before.includes(String(i.PK)),
    );
    // A bot's post leaves only its dropped-submission record and the event that counts it.
    assert.deepEqual(added.map((i) => i._type).sort(), ['DroppedSubmission', 'Outbox']);
  });

  it('rejects form definitions with problems at their paths', async () => {
    const res = await send(api.createForm, {
      body: { name: '', fields: ['firstName', 'firstName'], redirectUrl: 'ftp://x' },
    });
    assert.equal(res.status, 400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    assert.ok(paths.includes('name'));
    assert.ok(paths.includes('redirectUrl'));
  });

  it('serves the OpenAPI document', async () => {
    const res = await send(api.openapi);
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    assert.ok(res.body.paths['/v1/contacts/{id}'].patch);
  });
});
