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

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-date-trigger-')), {
    TENDRIL_TIME_SCALE: '86400',
  });
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
});
