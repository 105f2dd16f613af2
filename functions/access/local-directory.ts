/**
 * The users port on one machine: local mode's user list, a JSON file in its data directory
 * (`users.json`, made by `npm start` with the local admin as its first user). Read on every call (a
 * few lines; edited through `POST /v1/users`, or by hand while Tendril runs), written whole and
 * atomically (temp file + rename).
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { conflict } from '#platform/errors.js';
import { type User, UserSchema } from './model.js';
import type { UserDirectory } from './users.js';

/** The local admin (the printed token's user): the `sub` local mode's gateway passes for it. */
export const LOCAL_ADMIN: User = { id: 'local-admin', name: 'Admin', email: 'admin@tendril.local' };

const FileSchema = z.lazy(() => z.object({ users: z.array(UserSchema) }));

const byName = (a: User, b: User) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export function localDirectory(path: string): UserDirectory {
  let writing: Promise<unknown> = Promise.resolve();
  const read = async (): Promise<User[]> => {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    return text ? FileSchema.parse(JSON.parse(text)).users : [LOCAL_ADMIN];
  };
  return {
    list: async () => (await read()).sort(byName),
    get: async (id) => (await read()).find((u) => u.id === id),
    add(input) {
      // One change at a time in this process (read, add, write).
      const next = writing.then(async () => {
        const users = await read();
        const email = input.email.toLowerCase();
        if (users.some((u) => u.email.toLowerCase() === email))
          throw conflict('duplicate_user', `a user with email ${input.email} exists already`);
        const user: User = { id: randomUUID(), name: input.name, email: input.email };
        await writeLocalUsers(path, [...users, user]);
        return user;
      });
      writing = next.catch(() => undefined);
      return next;
    },
  };
}

/** Writes the user list whole (temp file + rename: a crash leaves the old list or the new one). */
export async function writeLocalUsers(path: string, users: User[]): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify({ users }, null, 1)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

/** Makes the list with the local admin as its first user, unless it exists. */
export async function ensureLocalUsers(path: string): Promise<string> {
  const exists = await readFile(path, 'utf8').then(
    () => true,
    () => false,
  );
  if (!exists) await writeLocalUsers(path, [LOCAL_ADMIN]);
  return path;
}
