/**
 * Saved views of the contacts list through the contacts-api handler: created, listed by name, renamed
 * and changed at their version, deleted at their version; names unique in any case; bad input a 400
 * with the problem's path, a stale version a 409, nothing written by a refused request.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { api } from '#app/api.js';
import { MAX_CONTACT_VIEWS } from '#contacts/views-model.js';
import type { ApiHandler } from '#platform/http/handler.js';
import type { RouteDef } from '#platform/http/route.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { apiEvent, lambdaContext, type RequestSpec } from '#test/support/events.js';

let t: TestTable;
let handler: ApiHandler;

before(async () => {
  t = await createTestTable();
  process.env.TABLE_NAME = t.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  handler = (await import('#handlers/contacts-api.js')).handler;
});

async function send(route: RouteDef, spec: RequestSpec = {}) {
  const res = (await handler(apiEvent(route, spec), lambdaContext)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode ?? 0, body: res.body ? JSON.parse(res.body) : undefined };
}

const viewItems = async () => (await t.items()).filter((i) => i.PK === 'CONTACTVIEWS');
const paths = (body: { error: { details: Array<{ path: string }> } }) =>
  body.error.details.map((d) => d.path);

describe('saved views of the contacts list', () => {
  let hot: { id: string; version: number };

  it('saves a view with its filter, sort and columns, and lists the views by name', async () => {
    const created = await send(api.createContactView, {
      body: {
        name: 'Webinar leads',
        filter: { tag: ' Webinar ' },
        sort: 'created',
        columns: ['name', 'field:plan', 'created'],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      { ...created.body, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        name: 'Webinar leads',
        filter: { tag: 'webinar' },
        sort: 'created',
        columns: ['name', 'field:plan', 'created'],
        version: 1,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    // No sort given: newest first where a sort applies; none kept for a stage (its own order).
    const all = await send(api.createContactView, { body: { name: 'all people', columns: ['name'] } });
    assert.equal(all.body.sort, '-created');
    assert.deepEqual(all.body.filter, {});
    const stage = await send(api.createContactView, {
      body: { name: 'Customers', filter: { stage: 'customer' }, columns: [] },
    });
    assert.equal(stage.status, 201);
    assert.equal(stage.body.sort, undefined);
    hot = created.body;
    const list = await send(api.listContactViews);
    assert.deepEqual(
      list.body.items.map((v: { name: string }) => v.name),
      ['all people', 'Customers', 'Webinar leads'],
    );
    assert.deepEqual((await send(api.getContactView, { params: { id: hot.id } })).body, created.body);
  });

  it('refuses bad input with a 400 naming the problem, and writes nothing', async () => {
    const before = await viewItems();
    const bad: Array<[unknown, string]> = [
      [{ name: '', columns: [] }, 'name'],
      [{ name: 'x', columns: ['name', 'salary'] }, 'columns.1'],
      [{ name: 'x', columns: ['field:1bad'] }, 'columns.0'],
      [{ name: 'x', columns: ['name', 'name'] }, 'columns'],
      [{ name: 'x', filter: { tag: 'a', stage: 'lead' }, columns: [] }, 'filter'],
      [{ name: 'x', filter: { stage: 'prospect' }, columns: [] }, 'filter.stage'],
      [{ name: 'x', filter: { email: 'not an email' }, columns: [] }, 'filter.email'],
      [{ name: 'x', sort: 'score', columns: [] }, 'sort'],
      [{ name: 'x', columns: [], extra: true }, ''],
    ];
    for (const [body, path] of bad) {
      const res = await send(api.createContactView, { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(
        paths(res.body).some((p: string) => p.startsWith(path)),
        `${path}: ${JSON.stringify(res.body)}`,
      );
    }
    // A sort with a list that has its own order (a search, a stage, a band).
    const sorted = await send(api.createContactView, {
      body: { name: 'x', filter: { q: 'ada' }, sort: 'created', columns: [] },
    });
    assert.equal(sorted.status, 400);
    assert.equal(sorted.body.error.code, 'sort_not_applicable');
    assert.deepEqual(paths(sorted.body), ['sort']);
    assert.equal((await send(api.getContactView, { params: { id: 'nope' } })).status, 400);
    assert.equal(
      (await send(api.getContactView, { params: { id: '01JF0000000000000000000000' } })).status,
      404,
    );
    assert.deepEqual(await viewItems(), before);
  });

  it('refuses a second view of the same name in any case (409), on create and on rename', async () => {
    const dup = await send(api.createContactView, { body: { name: 'WEBINAR LEADS', columns: [] } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'view_name_taken');
    const customers = (await send(api.listContactViews)).body.items.find(
      (v: { name: string }) => v.name === 'Customers',
    );
    const rename = await send(api.updateContactView, {
      params: { id: customers.id },
      body: { version: customers.version, name: 'webinar leads' },
    });
    assert.equal(rename.status, 409);
    assert.equal(rename.body.error.code, 'view_name_taken');
    assert.equal((await send(api.getContactView, { params: { id: customers.id } })).body.version, 1);
  });

  it('renames and changes a view at its version; a stale version is a 409 and changes nothing', async () => {
    const renamed = await send(api.updateContactView, {
      params: { id: hot.id },
      body: { version: 1, name: 'Hot webinar leads', columns: ['tags', 'name'] },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.version, 2);
    assert.equal(renamed.body.sort, 'created', 'the sort stays');
    assert.deepEqual(renamed.body.columns, ['tags', 'name']);
    const stale = await send(api.updateContactView, {
      params: { id: hot.id },
      body: { version: 1, name: 'Lost' },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'version_conflict');
    assert.equal(stale.body.error.details.currentVersion, 2);
    // The old name is free again; the new one is taken.
    const reuse = await send(api.createContactView, { body: { name: 'Webinar leads', columns: [] } });
    assert.equal(reuse.status, 201);
    assert.equal(
      (await send(api.createContactView, { body: { name: 'hot webinar LEADS', columns: [] } })).status,
      409,
    );
    // Only the case of its own name changes: no conflict with itself.
    const recased = await send(api.updateContactView, {
      params: { id: hot.id },
      body: { version: 2, name: 'HOT webinar leads' },
    });
    assert.equal(recased.status, 200);
    // To a stage: its sort goes (a stage has its own order); a sort given with it is refused.
    const refused = await send(api.updateContactView, {
      params: { id: hot.id },
      body: { version: 3, filter: { stage: 'lead' }, sort: 'created' },
    });
    assert.equal(refused.status, 400);
    const toStage = await send(api.updateContactView, {
      params: { id: hot.id },
      body: { version: 3, filter: { stage: 'lead' } },
    });
    assert.equal(toStage.status, 200);
    assert.equal(toStage.body.sort, undefined);
    const back = await send(api.updateContactView, {
      params: { id: hot.id },
      body: { version: 4, filter: { tag: 'hot' } },
    });
    assert.equal(back.body.sort, '-created');
    hot = back.body;
    assert.equal(
      (
        await send(api.updateContactView, {
          params: { id: '01JF0000000000000000000000' },
          body: { version: 1 },
        })
      ).status,
      404,
    );
  });

  it('deletes a view at its version only (409 when stale, 404 when gone), with its name', async () => {
    const missing = await send(api.deleteContactView, { params: { id: hot.id } });
    assert.equal(missing.status, 400, 'the version is required');
    const stale = await send(api.deleteContactView, { params: { id: hot.id }, query: { version: '1' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.details.currentVersion, hot.version);
    const deleted = await send(api.deleteContactView, {
      params: { id: hot.id },
      query: { version: String(hot.version) },
    });
    assert.equal(deleted.status, 204);
    assert.equal((await send(api.getContactView, { params: { id: hot.id } })).status, 404);
    assert.equal(
      (await send(api.deleteContactView, { params: { id: hot.id }, query: { version: String(hot.version) } }))
        .status,
      404,
    );
    // Its name can be used again.
    assert.equal(
      (await send(api.createContactView, { body: { name: 'hot webinar leads', columns: [] } })).status,
      201,
    );
  });

  it('keeps an order by name for every contact only: refused with a tag, newest first when a tag is chosen', async () => {
    const withTag = await send(api.createContactView, {
      body: { name: 'Leads by name', filter: { tag: 'lead' }, sort: 'name', columns: [] },
    });
    assert.equal(withTag.status, 400);
    assert.equal(withTag.body.error.code, 'sort_not_applicable');
    assert.deepEqual(paths(withTag.body), ['sort']);
    const byName = await send(api.createContactView, {
      body: { name: 'Everyone Z to A', sort: '-name', columns: ['name'] },
    });
    assert.equal(byName.status, 201, JSON.stringify(byName.body));
    assert.equal(byName.body.sort, '-name');
    const refused = await send(api.updateContactView, {
      params: { id: byName.body.id },
      body: { version: 1, filter: { tag: 'lead' }, sort: 'name' },
    });
    assert.equal(refused.status, 400);
    const toTag = await send(api.updateContactView, {
      params: { id: byName.body.id },
      body: { version: 1, filter: { tag: 'lead' } },
    });
    assert.equal(toTag.status, 200);
    assert.equal(toTag.body.sort, '-created', 'a tag has no name order: newest first');
    const back = await send(api.updateContactView, {
      params: { id: byName.body.id },
      body: { version: 2, filter: {}, sort: 'name' },
    });
    assert.equal(back.body.sort, 'name');
    const gone = await send(api.deleteContactView, {
      params: { id: byName.body.id },
      query: { version: String(back.body.version) },
    });
    assert.equal(gone.status, 204);
  });

  it(`keeps at most ${MAX_CONTACT_VIEWS} views`, async () => {
    const have = (await send(api.listContactViews)).body.items.length;
    for (let i = have; i < MAX_CONTACT_VIEWS; i++) {
      assert.equal(
        (await send(api.createContactView, { body: { name: `View ${i}`, columns: [] } })).status,
        201,
      );
    }
    const more = await Promise.all(
      [1, 2, 3].map((i) => send(api.createContactView, { body: { name: `One more ${i}`, columns: [] } })),
    );
    assert.deepEqual(
      more.map((r) => [r.status, r.body.error.code]),
      [1, 2, 3].map(() => [409, 'too_many_views']),
    );
    assert.equal((await send(api.listContactViews)).body.items.length, MAX_CONTACT_VIEWS);
  });
});
