/**
 * A segment edited and deleted over the API of `npm start`, with its events through the local bus:
 * a tracked segment whose conditions change enrolls the contact who now matches (SegmentChanged →
 * segment-membership → SegmentEntered → enroller → one email) and not the one who no longer does;
 * a stale version is a 409; a segment a published workflow is triggered by is not deleted (409
 * segment_in_use, naming it); paused, it is deleted (SegmentDeleted handled, nothing dead-lettered).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox as readOutbox,
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-segment-edit-'));

before(async () => {
  server = await startLocalServer(dataDir, { TENDRIL_TIME_SCALE: '43200' });
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const outbox = (to: string) => readOutbox(server, to);

describe('segment edit and delete end to end', () => {
  it('re-matches a tracked segment on an edit, and refuses to delete it while a workflow uses it', async () => {
    const segment = await api('POST', '/v1/segments', {
      name: 'Pro plan',
      filter: { fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
    });
    assert.equal(segment.status, 201, JSON.stringify(segment.json));
    assert.equal(segment.json.version, 1);
    const id = String(segment.json.id);
    const template = await api('POST', '/v1/templates', {
      name: 'Plan welcome',
      subject: 'Welcome to your plan',
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const wf = await api('POST', '/v1/workflows', {
      name: 'Plan onboarding',
      trigger: { type: 'segmentEntered', segmentId: id },
      steps: [{ id: 'hello', type: 'sendEmail', templateId: template.json.id }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    // Pat is on pro and enters on creation; Lee is on basic.
    await api('POST', '/v1/contacts', { email: 'pat@example.com', fields: { plan: 'pro' } });
    await api('POST', '/v1/contacts', { email: 'lee@example.com', fields: { plan: 'basic' } });
    await eventually(async () => ((await outbox('pat@example.com')).length > 0 ? true : undefined));
    await idle(server);

    // Now basic: Lee enters (enrolled, one email), Pat leaves (nothing sent again).
    const stale = await api('PATCH', `/v1/segments/${id}`, { version: 2, name: 'x' });
    assert.equal(stale.status, 409, JSON.stringify(stale.json));
    assert.equal(stale.json.error.code, 'version_conflict');
    const empty = await api('PATCH', `/v1/segments/${id}`, { version: 1 });
    assert.equal(empty.status, 400, JSON.stringify(empty.json));
    const edited = await api('PATCH', `/v1/segments/${id}`, {
      version: 1,
      name: 'Basic plan',
      filter: { fields: [{ field: 'plan', op: 'eq', value: 'basic' }] },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.json));
    assert.equal(edited.json.version, 2);
    await eventually(async () => ((await outbox('lee@example.com')).length > 0 ? true : undefined));
    await idle(server);
    assert.equal((await outbox('lee@example.com')).length, 1);
    assert.equal((await outbox('pat@example.com')).length, 1);
    const events = (await api('GET', '/_local/events')).json.items as Array<{
      'detail-type': string;
      detail: Record<string, unknown>;
    }>;
    const kinds = events
      .filter((e) => e.detail.segmentId === id)
      .map((e) => e['detail-type'])
      .filter((t) => t !== 'SegmentEntered');
    assert.deepEqual(kinds, ['SegmentChanged', 'SegmentLeft']);

    // In use: refused, naming the workflow; paused, deleted.
    const refused = await api('DELETE', `/v1/segments/${id}?version=2`);
    assert.equal(refused.status, 409, JSON.stringify(refused.json));
    assert.equal(refused.json.error.code, 'segment_in_use');
    assert.deepEqual(refused.json.error.details, {
      workflows: [{ id: wf.json.id, name: 'Plan onboarding' }],
    });
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/pause`)).status, 200);
    assert.equal((await api('DELETE', `/v1/segments/${id}?version=1`)).status, 409);
    assert.equal((await api('DELETE', `/v1/segments/${id}?version=2`)).status, 204);
    assert.equal((await api('GET', `/v1/segments/${id}`)).status, 404);
    assert.equal((await api('DELETE', `/v1/segments/${id}?version=2`)).status, 404);
    await idle(server);
    const after = (await api('GET', '/_local/events')).json.items as Array<{ 'detail-type': string }>;
    assert.ok(after.some((e) => e['detail-type'] === 'SegmentDeleted'));
    assert.deepEqual((await api('GET', '/_local/dead-letters')).json.items, []);
  });
});
