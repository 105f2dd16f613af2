/**
 * The people who sign in, as the rest of Tendril needs them: who they are (the `users` port: the
 * Cognito user pool in the cloud, local mode's user list on one machine), who is signed in on a
 * request (the token's claims), and owners that are users (a contact's, a deal's, a task's).
 */
import { invalid, invalidReference } from '#platform/errors.js';
import type { User } from './model.js';

export interface UserDirectory {
  /** Every user, by name. */
  list(): Promise<User[]>;
  /** One user by id (Cognito's `sub`); undefined when there is none. */
  get(id: string): Promise<User | undefined>;
  /** Adds a user (local mode only: in the cloud users are managed in the Cognito user pool). */
  add(input: { name: string; email: string }): Promise<User>;
}

/** The claims of a signed-in user's token, as API Gateway's JWT authorizer (or local mode) passes them. */
export type Claims = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** A display name from what is known: a name, the given and family names, else the email. */
export function displayName(parts: {
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  email?: string | undefined;
  fallback: string;
}): string {
  const full = [parts.givenName, parts.familyName].filter(Boolean).join(' ');
  return text(parts.name) ?? (text(full) || undefined) ?? text(parts.email) ?? parts.fallback;
}

/**
 * Who is signed in: the directory's user of the token's `sub`, or (a user the directory does not
 * list, e.g. a token of a user deleted since) one made from the claims themselves.
 */
export async function signedInUser(users: UserDirectory, claims: Claims | undefined): Promise<User> {
  const sub = text(claims?.sub);
  if (!sub) throw invalid('no_user', 'this request is not made by a signed-in user');
  const known = await users.get(sub);
  if (known) return known;
  const email = text(claims?.email) ?? '';
  return {
    id: sub,
    email,
    name: displayName({
      name: text(claims?.name),
      givenName: text(claims?.given_name),
      familyName: text(claims?.family_name),
      email,
      fallback: text(claims?.['cognito:username']) ?? sub,
    }),
  };
}

/**
 * The owner to store for what a request asked: a user's id (an email of a user is taken as that
 * user). Anything else is refused (400 `invalid_reference` on `path`): new owners are users. Owners
 * written before owners were users (free text) stay readable; they are checked only when changed.
 */
export async function resolveOwner(users: UserDirectory, owner: string, path = 'owner'): Promise<string> {
  const byId = await users.get(owner);
  if (byId) return byId.id;
  if (owner.includes('@')) {
    const email = owner.toLowerCase();
    const byEmail = (await users.list()).find((u) => u.email.toLowerCase() === email);
    if (byEmail) return byEmail.id;
  }
  throw invalidReference(path, 'user', owner);
}

/** The body with its owner (if it gives one: not absent, not null) resolved to a user's id. */
export async function ownerChecked<B extends { owner?: string | null | undefined }>(
  users: UserDirectory,
  body: B,
): Promise<B> {
  if (typeof body.owner !== 'string') return body;
  return { ...body, owner: await resolveOwner(users, body.owner) };
}
