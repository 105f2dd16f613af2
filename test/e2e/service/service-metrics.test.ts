/**
 * Customer service metrics on the local CRM: cases opened, answered, resolved and assigned (to a
 * user; anyone else is a 400 with nothing written) through the API reach the dashboard through the
 * event bus and its projector (backlog now, first response, resolution).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, idle, type LocalServer, outbox, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-service-metrics-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('service metrics on the dashboard', () => {
  it('counts the backlog by status and agent, a first response and a resolution', async () => {
    const before = await api('GET', '/v1/reports/dashboard');
    assert.equal(before.status, 200, JSON.stringify(before.json));
    assert.equal(before.json.service.backlog.total, 0);
    assert.equal(before.json.service.firstResponse.count, 0);

    const open = async (subject: string, email: string) => {
      const res = await api('POST', '/v1/cases', { subject, email, text: `${subject}, please help.` });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json as { id: string; ref: string };
    };
    const answered = await open('Invoice is wrong', 'ines@example.com');
    const waiting = await open('Cannot export', 'omar@example.com');

    const reply = await api('POST', `/v1/cases/${answered.id}/messages`, {
      text: 'Sorry about that: a corrected invoice is attached to your account.',
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.json));
    const sent = await outbox(server, 'ines@example.com');
    assert.ok(sent.some((e) => e.subject.includes(`[#${answered.ref}]`)));
    const resolved = await api('PATCH', `/v1/cases/${answered.id}`, { status: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.json));
    // Assignees are users: by id, or by a user's email (stored as the id); anyone else is a 400.
    const grace = await api('POST', '/v1/users', { name: 'Grace', email: 'grace@metrics.example' });
    assert.equal(grace.status, 201, JSON.stringify(grace.json));
    const notUser = await api('PATCH', `/v1/cases/${waiting.id}`, { assignee: 'grace', priority: 'high' });
    assert.equal(notUser.status, 400, JSON.stringify(notUser.json));
    assert.equal(notUser.json.error.code, 'invalid_reference');
    assert.equal(notUser.json.error.details[0].path, 'assignee');
    const untouched = (await api('GET', `/v1/cases/${waiting.id}`)).json.case;
    assert.deepEqual([untouched.version, untouched.priority, untouched.assignee], [1, 'normal', undefined]);
    const refused = await api('POST', '/v1/cases', {
      subject: 'Never opened',
      email: 'nobody@example.com',
      text: 'Assigned to a stranger.',
      assignee: 'stranger@example.com',
    });
    assert.equal(refused.status, 400, JSON.stringify(refused.json));
    assert.equal(refused.json.error.details[0].path, 'assignee');
    const assigned = await api('PATCH', `/v1/cases/${waiting.id}`, { assignee: 'Grace@Metrics.example' });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.json));
    assert.equal(assigned.json.assignee, grace.json.id);

    await idle(server);
    const res = await api('GET', '/v1/reports/dashboard');
    assert.equal(res.status, 200);
    const s = res.json.service;
    assert.equal(s.opened, 2, 'the refused case was never opened');
    assert.deepEqual(s.backlog, {
      total: 1,
      byStatus: { new: 1, open: 0, pending: 0 },
      byAssignee: [{ assignee: grace.json.id, count: 1 }],
    });
    assert.equal(
      (await api('GET', '/v1/contacts?email=nobody@example.com')).json.items.length,
      0,
      'nor its contact created',
    );
    assert.equal(s.firstResponse.count, 1);
    assert.ok(s.firstResponse.median && s.firstResponse.p90);
    assert.equal(s.resolution.count, 1);
    assert.ok(s.resolution.median);
    // SLA attainment is measured against the first responses and resolutions of the range.
    assert.equal(s.sla.firstResponse.total, 1);
    assert.equal(s.sla.resolution.total, 1);
    assert.deepEqual(s.csat, { count: 0, byAssignee: [] });
  });
});
