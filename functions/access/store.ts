/** Access's storage port: API keys (with their secret's hash) and per-key rate windows. */
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { ApiKey } from './model.js';

export type AccessWrite =
  | { kind: 'putApiKey'; apiKey: ApiKey; secretHash: string }
  /** A conflict when the key is revoked already or does not exist. */
  | { kind: 'revokeApiKey'; id: string; at: string }
  /** Records a use (at most once a minute per key: the caller decides). */
  | { kind: 'touchApiKey'; id: string; at: string };

export interface AccessReads {
  getApiKey(id: string): Promise<{ apiKey: ApiKey; secretHash: string } | undefined>;
  listApiKeys(options: ListOptions): Promise<Page<ApiKey>>;
  /** One more request in the key's current window; false when the window is full. */
  takeKeySlot(id: string, limit: number, windowStart: number, windowEnd: Date): Promise<boolean>;
}

export type AccessStore = AccessReads & Commit<AccessWrite>;
export type AccessDeps = Deps<AccessStore>;
