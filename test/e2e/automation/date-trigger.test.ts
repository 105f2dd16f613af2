/**
 * A date-based workflow on the local CRM, with days passing in seconds (TENDRIL_TIME_SCALE=86400): a
 * contact created with a renewal date is scheduled (the bus, the enroller, the Scheduler emulation)
 * and enrolled on the day before it, and its step runs then; one whose date is past is not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-date-trigger-'));
const ENV = { TENDRIL_TIME_SCALE: '86400' };

before(async () => {
  server = await startLocalServer(dataDir, ENV);
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('a workflow on a date field', () => {
  it('enrolls a contact the day before its renewal date', async () => {
    const field = await api('POST', '/v1/fields', { name: 'renewal', label: 'Renewal', type: 'date' });
    assert.equal(field.status, 201, JSON.stringify(field.json));
    const wf = await api('POST', '/v1/workflows', {
      name: 'Renewal reminder',
      trigger: { type: 'dateReached', field: 'renewal', days: -1, time: '00:00' },
      steps: [{ id: 'remind', type: 'addTag', tag: 'renewal-due' }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);

    // Days pass at a day per second: the server's today is read from a contact it stamps, and a date
    // four days on is a few seconds away.
    const probe = await api('POST', '/v1/contacts', { email: 'clock@example.com' });
    const today = Date.parse(probe.json.createdAt);
    const day = (offsetDays: number) => new Date(today + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const soon = await api('POST', '/v1/contacts', {
      email: 'renews@example.com',
      fields: { renewal: day(4) },
    });
    const past = await api('POST', '/v1/contacts', {
      email: 'lapsed@example.com',
      fields: { renewal: day(-30) },
    });
    assert.equal(soon.status, 201, JSON.stringify(soon.json));
    assert.equal(past.status, 201, JSON.stringify(past.json));

    const tagged = await eventually(async () => {
      const c = (await api('GET', `/v1/contacts/${soon.json.id}`)).json;
      return c.tags?.includes('renewal-due') ? c : undefined;
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; the server said:\n${server.output().slice(-6000)}`);
    });
    assert.ok(tagged);
    const enrolled = await api('GET', `/v1/workflows/${wf.json.id}`);
    assert.equal(enrolled.status, 200);
    const lapsed = (await api('GET', `/v1/contacts/${past.json.id}`)).json;
    assert.ok(!lapsed.tags?.includes('renewal-due'), 'a day already past is not scheduled');
  });

  it('keeps a contact’s day through kill -9 of the whole local CRM, and enrolls it once', async () => {
    const wf = await api('POST', '/v1/workflows', {
      name: 'Renewal day',
      trigger: { type: 'dateReached', field: 'renewal', days: 0, time: '00:00' },
      steps: [{ id: 'mark', type: 'addTag', tag: 'renewal-day' }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    const probe = await api('POST', '/v1/contacts', { email: 'clock2@example.com' });
    const renewal = new Date(Date.parse(probe.json.createdAt) + 20 * 86_400_000).toISOString().slice(0, 10);
    const c = await api('POST', '/v1/contacts', { email: 'crash@example.com', fields: { renewal } });
    assert.equal(c.status, 201, JSON.stringify(c.json));
    // The day is scheduled (the enroller ran), then everything dies before it comes.
    await eventually(async () => {
      const events = JSON.stringify((await api('GET', '/_local/events')).json);
      return events.includes(c.json.id) ? true : undefined;
    });
    await server.kill9();
    server = await startLocalServer(dataDir, ENV);
    const tagged = await eventually(async () => {
      const now = (await api('GET', `/v1/contacts/${c.json.id}`)).json;
      return now.tags?.includes('renewal-day') ? now : undefined;
    }, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}; the server said:\n${server.output().slice(-6000)}`);
    });
    assert.ok(tagged);
    const enrollments = (await api('GET', `/v1/contacts/${c.json.id}/enrollments`)).json;
    const of = (enrollments.items ?? enrollments).filter(
      (e: { workflowId: string }) => e.workflowId === wf.json.id,
    );
    assert.equal(of.length, 1, 'enrolled once');
  });
});
