/**
 * Users and task owners as a user runs them locally (`npm start`, time 60x): the local user list
 * (the admin first, users added through the API), who is signed in, owners that must be users, and
 * the owner's emails in the SES emulator's store — assigned (on create and on reassign) and due —
 * each sent once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox,
  startLocalServer,
} from '#test/support/local-server.js';

const SCALE = 60;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-task-owners-'));
let server: LocalServer;
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

before(async () => {
  server = await startLocalServer(dataDir, { TENDRIL_TIME_SCALE: String(SCALE) });
});
after(async () => {
  await server?.stop();
});

describe('users (local mode)', () => {
  it('starts with the signed-in admin, adds users, and keeps them in the data folder', async () => {
    const me = await api('GET', '/v1/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.json, { id: 'local-admin', name: 'Admin', email: 'admin@tendril.local' });
    const added = await api('POST', '/v1/users', { name: 'Sam Seller', email: 'Sam@Example.com' });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    assert.equal(added.json.email, 'sam@example.com');
    const again = await api('POST', '/v1/users', { name: 'Sam 2', email: 'sam@example.com' });
    assert.equal(again.status, 409);
    assert.equal((await api('POST', '/v1/users', { name: 'No mail' })).status, 400);
    const listed = await api('GET', '/v1/users');
    assert.deepEqual(
      listed.json.items.map((u: { name: string }) => u.name),
      ['Admin', 'Sam Seller'],
    );
    const file = JSON.parse(readFileSync(join(dataDir, 'users.json'), 'utf8'));
    assert.equal(file.users.length, 2);
  });
});

describe('owners are users', () => {
  it('refuses an owner who is not a user on tasks, contacts and deals; takes a user by id or email', async () => {
    for (const [path, body] of [
      ['/v1/tasks', { title: 'x', dueAt: inMinutes(60), owner: 'sam' }],
      ['/v1/contacts', { email: 'refused@example.com', owner: 'sam' }],
    ] as const) {
      const res = await api('POST', path, body);
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json.error.code, 'invalid_reference');
      assert.equal(res.json.error.details[0].path, 'owner');
    }
    const contact = await api('POST', '/v1/contacts', {
      email: 'owned@example.com',
      owner: 'sam@example.com',
    });
    assert.equal(contact.status, 201, JSON.stringify(contact.json));
    const sam = (await api('GET', '/v1/users')).json.items.find(
      (u: { name: string }) => u.name === 'Sam Seller',
    );
    assert.equal(contact.json.owner, sam.id, "a user's email is stored as the user's id");
  });
});

describe("the owner's emails", () => {
  it('emails the owner when a task is assigned, reassigned and due; once each', async () => {
    const sam = (await api('GET', '/v1/users')).json.items.find(
      (u: { name: string }) => u.name === 'Sam Seller',
    );
    const created = await api('POST', '/v1/tasks', {
      title: 'Send Ada the quote',
      dueAt: inMinutes(5),
      owner: sam.id,
      notes: 'Both options',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const [assigned] = await eventually(async () => {
      const mails = await outbox(server, 'sam@example.com');
      return mails.length > 0 ? mails : undefined;
    });
    assert.equal(assigned?.subject, 'Task assigned to you: Send Ada the quote');
    assert.match(assigned?.body?.text ?? '', /Notes: Both options/);

    // Reassigned to the admin: the admin is told; a stale edit is refused.
    const moved = await api('PATCH', `/v1/tasks/${created.json.id}`, { version: 1, owner: 'local-admin' });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    const stale = await api('PATCH', `/v1/tasks/${created.json.id}`, { version: 1, title: 'Lost' });
    assert.equal(stale.status, 409);
    assert.match(stale.json.error.message, /changed by someone else/);
    await eventually(async () => {
      const mails = await outbox(server, 'admin@tendril.local');
      return mails.some((m) => m.subject === 'Task assigned to you: Send Ada the quote') ? true : undefined;
    });

    // Due (5 minutes at 60x): its owner now, the admin, gets the reminder.
    await eventually(async () => {
      const mails = await outbox(server, 'admin@tendril.local');
      return mails.some((m) => m.subject === 'Task due: Send Ada the quote') ? true : undefined;
    }, 30_000);
    await idle(server, 60_000);
    assert.deepEqual(
      (await outbox(server, 'sam@example.com')).map((m) => m.subject),
      ['Task assigned to you: Send Ada the quote'],
    );
    assert.deepEqual((await outbox(server, 'admin@tendril.local')).map((m) => m.subject).sort(), [
      'Task assigned to you: Send Ada the quote',
      'Task due: Send Ada the quote',
    ]);
  });
});
