/** The users port's two adapters (Cognito through a fake SDK client, local mode's JSON file) and owners as users. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cognitoDirectory } from '#access/cognito-directory.js';
import { ensureLocalUsers, LOCAL_ADMIN, localDirectory } from '#access/local-directory.js';
import { ownerChecked, resolveOwner, signedInUser, type UserDirectory } from '#access/users.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';

const attrs = (o: Record<string, string>) => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

/** A Cognito user pool as the SDK answers: ListUsers in pages of `pageSize`, AdminGetUser by sub. */
function fakeCognito(pageSize = 2) {
  const pool = [
    {
      Username: 'u-3',
      Enabled: true,
      Attributes: attrs({ sub: 'sub-3', email: 'zoe@example.com', name: 'Zoe' }),
    },
    {
      Username: 'u-1',
      Enabled: true,
      Attributes: attrs({
        sub: 'sub-1',
        email: 'ada@example.com',
        given_name: 'Ada',
        family_name: 'Lovelace',
      }),
    },
    { Username: 'u-2', Enabled: true, Attributes: attrs({ sub: 'sub-2', email: 'bob@example.com' }) },
    {
      Username: 'u-4',
      Enabled: false,
      Attributes: attrs({ sub: 'sub-4', email: 'gone@example.com', name: 'Gone' }),
    },
  ];
  const calls: Array<{ command: string; input: Record<string, unknown> }> = [];
  const client = {
    async send(command: unknown) {
      const name = (command as object).constructor.name;
      const input = (command as { input: Record<string, unknown> }).input;
      calls.push({ command: name, input });
      assert.equal(input.UserPoolId, 'us-east-1_pool');
      if (name === 'ListUsersCommand') {
        const start = Number(input.PaginationToken ?? 0);
        const next = start + pageSize;
        return {
          Users: pool.slice(start, next),
          ...(next < pool.length ? { PaginationToken: String(next) } : {}),
        };
      }
      if (name === 'AdminGetUserCommand') {
        const u = pool.find((p) => p.Attributes.some((a) => a.Name === 'sub' && a.Value === input.Username));
        if (!u) throw Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' });
        return { Username: u.Username, Enabled: u.Enabled, UserAttributes: u.Attributes };
      }
      throw new Error(`unexpected command ${name}`);
    },
  };
  return { client, calls };
}

describe('users on the Cognito user pool', () => {
  it('lists every page of enabled users by name, with names from name, given and family name, or email', async () => {
    const { client, calls } = fakeCognito();
    const users = cognitoDirectory('us-east-1_pool', { client });
    assert.deepEqual(await users.list(), [
      { id: 'sub-1', name: 'Ada Lovelace', email: 'ada@example.com' },
      { id: 'sub-2', name: 'bob@example.com', email: 'bob@example.com' },
      { id: 'sub-3', name: 'Zoe', email: 'zoe@example.com' },
    ]);
    assert.deepEqual(
      calls.map((c) => [c.command, c.input.PaginationToken]),
      [
        ['ListUsersCommand', undefined],
        ['ListUsersCommand', '2'],
      ],
    );
  });

  it('keeps the list a minute, then asks again', async () => {
    const { client, calls } = fakeCognito(10);
    let now = 0;
    const users = cognitoDirectory('us-east-1_pool', { client, now: () => now });
    await users.list();
    now = 59_000;
    await users.list();
    assert.equal(calls.length, 1);
    now = 61_000;
    await users.list();
    assert.equal(calls.length, 2);
  });

  it('gets one user by sub with AdminGetUser; an unknown or disabled one is none', async () => {
    const { client, calls } = fakeCognito();
    const users = cognitoDirectory('us-east-1_pool', { client });
    assert.deepEqual(await users.get('sub-3'), { id: 'sub-3', name: 'Zoe', email: 'zoe@example.com' });
    assert.equal(await users.get('nobody'), undefined);
    assert.equal(await users.get('sub-4'), undefined);
    assert.deepEqual(
      calls.map((c) => [c.command, c.input.Username]),
      [
        ['AdminGetUserCommand', 'sub-3'],
        ['AdminGetUserCommand', 'nobody'],
        ['AdminGetUserCommand', 'sub-4'],
      ],
    );
  });

  it('refuses to add users (they are managed in Cognito): 403', async () => {
    const users = cognitoDirectory('us-east-1_pool', { client: fakeCognito().client });
    await assert.rejects(
      users.add({ name: 'X', email: 'x@example.com' }),
      (err) => err instanceof DomainError && STATUS_OF[err.kind] === 403,
    );
  });

  it('passes other SDK failures on', async () => {
    const users = cognitoDirectory('us-east-1_pool', {
      client: {
        send: async () => {
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        },
      },
    });
    await assert.rejects(users.get('sub-1'), /denied/);
    await assert.rejects(users.list(), /denied/);
  });
});

describe("local mode's user list", () => {
  it('starts with the local admin, adds users (refusing a second of one email) and keeps them on disk', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tendril-users-')), 'users.json');
    await ensureLocalUsers(path);
    const users = localDirectory(path);
    assert.deepEqual(await users.list(), [LOCAL_ADMIN]);
    const [sam, kim] = await Promise.all([
      users.add({ name: 'Sam Seller', email: 'sam@example.com' }),
      users.add({ name: 'Kim', email: 'kim@example.com' }),
    ]);
    assert.deepEqual(
      (await users.list()).map((u) => u.name),
      ['Admin', 'Kim', 'Sam Seller'],
    );
    assert.deepEqual(await users.get(sam.id), sam);
    await assert.rejects(
      users.add({ name: 'Sam again', email: 'SAM@example.com' }),
      (err) => err instanceof DomainError && STATUS_OF[err.kind] === 409,
    );
    // Another process (a restart) reads the same list; ensuring it again keeps it.
    await ensureLocalUsers(path);
    assert.deepEqual(
      (await localDirectory(path).list()).map((u) => u.id).sort(),
      [LOCAL_ADMIN.id, sam.id, kim?.id].sort(),
    );
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).users.length, 3);
  });

  it('reads a list edited by hand', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tendril-users-')), 'users.json');
    writeFileSync(path, JSON.stringify({ users: [{ id: 'x1', name: 'Xena', email: 'xena@example.com' }] }));
    assert.deepEqual(await localDirectory(path).get('x1'), {
      id: 'x1',
      name: 'Xena',
      email: 'xena@example.com',
    });
  });
});

const directory = (...list: Array<{ id: string; name: string; email: string }>): UserDirectory => ({
  list: async () => list,
  get: async (id) => list.find((u) => u.id === id),
  add: async () => {
    throw new Error('not here');
  },
});

describe('owners are users', () => {
  const users = directory({ id: 'u1', name: 'Sam', email: 'sam@example.com' });

  it("takes a user's id, or a user's email as that user", async () => {
    assert.equal(await resolveOwner(users, 'u1'), 'u1');
    assert.equal(await resolveOwner(users, 'SAM@example.com'), 'u1');
  });

  it('refuses anything else with a 400 on the owner field', async () => {
    await assert.rejects(resolveOwner(users, 'sam'), (err) => {
      assert.ok(err instanceof DomainError);
      assert.equal(STATUS_OF[err.kind], 400);
      assert.equal(err.code, 'invalid_reference');
      assert.deepEqual(
        (err.details as Array<{ path: string }>).map((d) => d.path),
        ['owner'],
      );
      return true;
    });
    await assert.rejects(resolveOwner(users, 'nobody@example.com'), DomainError);
  });

  it('checks an owner only when a body gives one (absent and null pass as they are)', async () => {
    const untitled: { title: string; owner?: string } = { title: 'x' };
    assert.deepEqual(await ownerChecked(users, untitled), { title: 'x' });
    assert.deepEqual(await ownerChecked(users, { owner: null }), { owner: null });
    assert.deepEqual(await ownerChecked(users, { owner: 'sam@example.com', x: 1 }), { owner: 'u1', x: 1 });
  });
});

describe('who is signed in', () => {
  it("is the directory's user of the token's sub, else one made from the claims", async () => {
    const users = directory({ id: 'u1', name: 'Sam', email: 'sam@example.com' });
    assert.deepEqual(await signedInUser(users, { sub: 'u1', email: 'other@example.com' }), {
      id: 'u1',
      name: 'Sam',
      email: 'sam@example.com',
    });
    assert.deepEqual(await signedInUser(users, { sub: 'u9', email: 'new@example.com', given_name: 'New' }), {
      id: 'u9',
      name: 'New',
      email: 'new@example.com',
    });
    await assert.rejects(signedInUser(users, undefined), (err) => err instanceof DomainError);
  });
});
