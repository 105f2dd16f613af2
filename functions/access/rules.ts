/**
 * API keys: created by an admin with their scopes (the key shown once, its SHA-256 kept), listed,
 * revoked; and who a machine client's request comes from — a known, unrevoked key whose secret
 * matches — with its scopes and whether it is over its rate this minute (the route then answers
 * 403 or 429: platform/http/api-keys.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { notFound } from '#platform/errors.js';
import { type ApiScope, KEY_PATTERN, KEY_PREFIX, KEY_REQUESTS_PER_MINUTE } from '#platform/http/api-keys.js';
import type { ListOptions, Page } from '#platform/store.js';
import { CommitConflict } from '#platform/store.js';
import type { ApiKey } from './model.js';
import type { AccessDeps } from './store.js';

/** A key's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function createApiKey(
  deps: AccessDeps,
  input: { name: string; scopes: ApiScope[] },
): Promise<{ apiKey: ApiKey; key: string }> {
  const id = deps.ids.next();
  const key = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  const apiKey: ApiKey = {
    id,
    name: input.name,
    scopes: [...new Set(input.scopes)].sort(),
    // The id's first characters are its time (alike for keys made together): the secret's last ones tell keys apart.
    hint: `${KEY_PREFIX}…${key.slice(-6)}`,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.commit([{ kind: 'putApiKey', apiKey, secretHash: sha256(key) }]);
  return { apiKey, key };
}

export const listApiKeys = (deps: AccessDeps, options: ListOptions): Promise<Page<ApiKey>> =>
  deps.store.listApiKeys(options);

export async function revokeApiKey(deps: AccessDeps, id: string): Promise<ApiKey> {
  const found = await deps.store.getApiKey(id);
  if (!found) throw notFound('API key', id);
  if (found.apiKey.revokedAt) return found.apiKey;
  const at = deps.clock.now().toISOString();
  try {
    await deps.store.commit([{ kind: 'revokeApiKey', id, at }]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    // Revoked meanwhile by another request: its time is the one kept.
    const now = await deps.store.getApiKey(id);
    if (now) return now.apiKey;
  }
  return { ...found.apiKey, revokedAt: at };
}

export type KeyIdentity =
  | { ok: true; keyId: string; scopes: ApiScope[]; rateLimited: boolean }
  | { ok: false; reason: 'unknown' | 'revoked' };

/**
 * Who `presented` (a bearer token) is: a known key with that secret, not revoked. Each request
 * takes a slot of the key's window (`perMinute`; beyond it `rateLimited`), and the key's last use is
 * recorded at most once a minute.
 */
export async function authenticateApiKey(
  deps: AccessDeps,
  presented: string,
  perMinute = KEY_REQUESTS_PER_MINUTE,
): Promise<KeyIdentity> {
  const id = KEY_PATTERN.exec(presented)?.[1];
  if (!id) return { ok: false, reason: 'unknown' };
  const found = await deps.store.getApiKey(id);
  const given = Buffer.from(sha256(presented));
  const stored = Buffer.from((found?.secretHash ?? '').padEnd(given.length).slice(0, given.length));
  if (!found || !timingSafeEqual(given, stored)) return { ok: false, reason: 'unknown' };
  if (found.apiKey.revokedAt) return { ok: false, reason: 'revoked' };
  const now = deps.clock.now();
  const windowStart = Math.floor(now.getTime() / 60_000) * 60_000;
  const withinRate = await deps.store.takeKeySlot(
    id,
    perMinute,
    windowStart,
    new Date(windowStart + 120_000),
  );
  const last = found.apiKey.lastUsedAt ? Date.parse(found.apiKey.lastUsedAt) : 0;
  if (withinRate && now.getTime() - last >= TOUCH_EVERY_MS)
    await deps.store.commit([{ kind: 'touchApiKey', id, at: now.toISOString() }]);
  return { ok: true, keyId: id, scopes: found.apiKey.scopes, rateLimited: !withinRate };
}
