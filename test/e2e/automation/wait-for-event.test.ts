/**
 * waitForEvent on the local CRM (callback Tasks through the Step Functions emulation's Task
 * override), with days passing in seconds (TENDRIL_TIME_SCALE=86400): a tag added while a contact
 * waits ends the wait long before its timeout; a tag the contact already had ends it at once; with
 * no event the timeout lets the enrollment go on; and a wait survives kill -9 of the whole local CRM.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-wait-event-'));
const ENV = { TENDRIL_TIME_SCALE: '86400' };

before(async () => {
  server = await startLocalServer(dataDir, ENV);
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

async function publish(trigger: string, timeout: string, mark: string): Promise<string> {
  const wf = await api('POST', '/v1/workflows', {
    name: `Wait for qualified (${trigger})`,
    trigger: { type: 'tagAdded', tag: trigger },
    steps: [
      {
        id: 'await-qualified',
        type: 'waitForEvent',
        event: { type: 'tagAdded', tag: 'qualified' },
        timeout,
      },
      { id: 'mark', type: 'addTag', tag: mark },
    ],
  });
  assert.equal(wf.status, 201, JSON.stringify(wf.json));
  assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
  return wf.json.id;
}

async function contactTagged(email: string, tags: string[]): Promise<string> {
  const c = await api('POST', '/v1/contacts', { email, tags });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  return c.json.id;
}

const tagsOf = async (id: string): Promise<string[]> =>
  (await api('GET', `/v1/contacts/${id}`)).json.tags ?? [];
const withLog = (err: Error) => {
  throw new Error(`${err.message}; the server said:\n${server.output().slice(-6000)}`);
};

/** Until the contact's enrollment in the workflow waits at the waitForEvent step. */
const waiting = (contactId: string, workflowId: string) =>
  eventually(async () => {
    const page = (await api('GET', `/v1/contacts/${contactId}/enrollments`)).json;
    const e = (page.items ?? page).find((x: { workflowId: string }) => x.workflowId === workflowId);
    return e?.status === 'active' && e.currentStep === 'await-qualified' ? e : undefined;
  }, 30_000).catch(withLog);

/** Until the contact has the tag the step after the wait adds. */
const resumed = (contactId: string, mark: string) =>
  eventually(async () => ((await tagsOf(contactId)).includes(mark) ? true : undefined), 60_000).catch(
    withLog,
  );

describe('a waitForEvent step', () => {
  // 400 days of timeout are over 6 minutes here: only the event can end these waits within the test.
  let longWait: string;
  before(async () => {
    longWait = await publish('lead', 'P300D', 'resumed');
  });

  it('goes on when the contact is tagged while it waits, not at its timeout', async () => {
    const id = await contactTagged('waits@example.com', []);
    await api('POST', `/v1/contacts/${id}/tags`, { tags: ['lead'] });
    await waiting(id, longWait);
    assert.ok(!(await tagsOf(id)).includes('resumed'), 'still waiting');
    assert.equal((await api('POST', `/v1/contacts/${id}/tags`, { tags: ['qualified'] })).status, 200);
    await resumed(id, 'resumed');
  });

  it('goes on at once when the event already happened', async () => {
    const id = await contactTagged('already@example.com', ['qualified']);
    await api('POST', `/v1/contacts/${id}/tags`, { tags: ['lead'] });
    await resumed(id, 'resumed');
  });

  it('goes on without the event when its timeout passes', async () => {
    const shortWait = await publish('trial', 'PT12H', 'timed-out');
    const id = await contactTagged('never@example.com', []);
    await api('POST', `/v1/contacts/${id}/tags`, { tags: ['trial'] });
    await resumed(id, 'timed-out');
    const e = await eventually(async () => {
      const page = (await api('GET', `/v1/contacts/${id}/enrollments`)).json;
      const mine = (page.items ?? page).find((x: { workflowId: string }) => x.workflowId === shortWait);
      return mine?.status === 'active' ? undefined : mine;
    }, 30_000).catch(withLog);
    assert.equal(e?.status, 'completed');
    assert.ok(!(await tagsOf(id)).includes('qualified'));
  });

  it('keeps waiting through kill -9 of the whole local CRM, and the event still ends the wait', async () => {
    const id = await contactTagged('crash-wait@example.com', []);
    await api('POST', `/v1/contacts/${id}/tags`, { tags: ['lead'] });
    await waiting(id, longWait);
    await server.kill9();
    server = await startLocalServer(dataDir, ENV);
    assert.equal((await api('POST', `/v1/contacts/${id}/tags`, { tags: ['qualified'] })).status, 200);
    await resumed(id, 'resumed');
    // The step after the wait has run; the enrollment completes with the Task after it.
    const of = await eventually(async () => {
      const page = (await api('GET', `/v1/contacts/${id}/enrollments`)).json;
      const mine = (page.items ?? page).filter((x: { workflowId: string }) => x.workflowId === longWait);
      return mine.some((e: { status: string }) => e.status === 'active') ? undefined : mine;
    }, 30_000).catch(withLog);
    assert.deepEqual(
      of.map((e: { status: string }) => e.status),
      ['completed'],
    );
  });
});
