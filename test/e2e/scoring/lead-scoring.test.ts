/**
 * Lead scoring on the local CRM: a marketer sets the rules; a lead who fills in the demo form
 * crosses the threshold, becomes a marketing qualified lead, and a workflow on `scoreReached` gives
 * sales a task to call them. A second submission of another form adds points but no second task.
 * Bad settings are refused at their field; a person sets a stage by hand.
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
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-scoring-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const newForm = async (name: string) => {
  const form = await api('POST', '/v1/forms', {
    name,
    fields: ['email', 'firstName'],
    spam: { minFillSeconds: 0, requireToken: false },
  });
  assert.equal(form.status, 201, JSON.stringify(form.json));
  return form.json.id as string;
};
const submit = async (formId: string, email: string) => {
  const res = await fetch(`${server.url}/f/${formId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, firstName: 'Kay' }),
  });
  assert.equal(res.status, 201, await res.text());
};

describe('lead scoring', () => {
  it('qualifies a lead who asks for a demo and gives sales a task to call them, once', async () => {
    const defaults = await api('GET', '/v1/scoring');
    assert.equal(defaults.status, 200);
    assert.equal(defaults.json.version, 0, 'the defaults until saved');
    const demo = await newForm('Demo request');
    const newsletter = await newForm('Newsletter');

    const bad = await api('PUT', '/v1/scoring', {
      rules: [{ id: 'demo', name: 'Demo', on: 'deal_created', filter: demo, points: 0 }],
      threshold: 0,
      halfLifeDays: 30,
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.error.details.map((d: { path: string }) => d.path).sort(), [
      'rules.0.filter',
      'rules.0.points',
      'threshold',
    ]);
    assert.equal((await api('GET', '/v1/scoring')).json.version, 0, 'nothing saved');

    const saved = await api('PUT', '/v1/scoring', {
      rules: [
        { id: 'demo', name: 'Asked for a demo', on: 'form_submitted', filter: demo, points: 60 },
        { id: 'any-form', name: 'Filled in a form', on: 'form_submitted', points: 5 },
      ],
      threshold: 50,
      halfLifeDays: 30,
      expectedVersion: 0,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.json));
    assert.equal(saved.json.version, 1);
    const stale = await api('PUT', '/v1/scoring', {
      ...saved.json,
      version: undefined,
      updatedAt: undefined,
      expectedVersion: 0,
    });
    assert.equal(stale.status, 409);

    const wf = await api('POST', '/v1/workflows', {
      name: 'Hand MQLs to sales',
      trigger: { type: 'scoreReached' },
      steps: [{ id: 'call', type: 'createTask', title: 'Call this new MQL', dueIn: 'P1D' }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);

    // Kay is known already, and followed up by Sam (a user: owners are users).
    const sam = (await api('POST', '/v1/users', { name: 'Sam', email: 'sam@example.com' })).json.id as string;
    const kay = await api('POST', '/v1/contacts', { email: 'kay@example.com', owner: sam });
    assert.equal(kay.status, 201, JSON.stringify(kay.json));
    assert.equal(kay.json.owner, sam);
    const contactId = kay.json.id as string;
    await submit(demo, 'kay@example.com');
    const qualified = await eventually(async () => {
      const standing = await api('GET', `/v1/contacts/${contactId}/standing`);
      return standing.json.stage === 'marketing_qualified_lead' ? standing.json : undefined;
    }, 30_000);
    assert.equal(qualified.score, 65);
    assert.deepEqual(qualified.history.map((h: { reason: string }) => h.reason).sort(), [
      'Asked for a demo',
      'Filled in a form',
    ]);
    const task = await eventually(async () => {
      const tasks = await api('GET', '/v1/tasks?status=open');
      return tasks.json.items.find((x: { contactId?: string }) => x.contactId === contactId);
    }, 30_000);
    assert.equal(task.title, 'Call this new MQL');
    assert.equal(task.owner, sam, "the contact's owner gets the call");
    const mine = await api('GET', `/v1/tasks?status=open&owner=${sam}`);
    assert.deepEqual(
      mine.json.items.map((x: { id: string }) => x.id),
      [task.id],
      "in Sam's tasks",
    );

    await submit(newsletter, 'kay@example.com');
    await eventually(async () => {
      const standing = await api('GET', `/v1/contacts/${contactId}/standing`);
      return standing.json.score === 70 ? true : undefined;
    }, 30_000);
    await idle(server);
    const tasks = await api('GET', '/v1/tasks?status=open');
    assert.equal(
      tasks.json.items.filter((x: { contactId?: string }) => x.contactId === contactId).length,
      1,
      'qualified once, one task',
    );
  });

  it('lets a person set a stage, and refuses what is not one', async () => {
    const contact = await api('POST', '/v1/contacts', { email: 'manual@example.com' });
    assert.equal(contact.status, 201);
    const set = await api('PUT', `/v1/contacts/${contact.json.id}/lifecycle-stage`, { stage: 'customer' });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    assert.equal(set.json.stage, 'customer');
    const wrong = await api('PUT', `/v1/contacts/${contact.json.id}/lifecycle-stage`, { stage: 'king' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error.details[0].path, 'stage');
    const stale = await api('PUT', `/v1/contacts/${contact.json.id}/lifecycle-stage`, {
      stage: 'lead',
      expectedVersion: 0,
    });
    assert.equal(stale.status, 409);
    const missing = await api('GET', '/v1/contacts/01JF0000000000000000000000/standing');
    assert.equal(missing.status, 404);
  });
});
