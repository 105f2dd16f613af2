/**
 * Access's storage port: API keys (with their secret's hash), per-key rate windows, and the ledger
 * of emails to users (each notice once: a claim with a lease, then its outcome).
 */
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { ApiKey } from './model.js';

export type AccessWrite =
  | { kind: 'putApiKey'; apiKey: ApiKey; secretHash: string }
  /** A conflict when the key is revoked already or does not exist. */
  | { kind: 'revokeApiKey'; id: string; at: string }
  /** Records a use (at most once a minute per key: the caller decides). */
  | { kind: 'touchApiKey'; id: string; at: string }
  /**
   * Claims a notice to a user for one attempt until `until`: a conflict when it went out already or
   * another attempt's lease is still running.
   */
  | { kind: 'claimNotice'; key: string; until: string; at: string }
  /** What became of a claimed notice: sent, or refused for good by the provider. */
  | { kind: 'completeNotice'; key: string; outcome: NoticeOutcome; at: string };

export type NoticeOutcome = 'sent' | 'rejected';
/** A notice's ledger entry: claimed (`sending`, until its lease ends) or done. */
export type NoticeRecord = { status: 'sending'; until: string } | { status: NoticeOutcome; at: string };

export interface AccessReads {
  getApiKey(id: string): Promise<{ apiKey: ApiKey; secretHash: string } | undefined>;
  listApiKeys(options: ListOptions): Promise<Page<ApiKey>>;
  /** One more request in the key's current window; false when the window is full. */
  takeKeySlot(id: string, limit: number, windowStart: number, windowEnd: Date): Promise<boolean>;
  getNotice(key: string): Promise<NoticeRecord | undefined>;
}

export type AccessStore = AccessReads & Commit<AccessWrite>;
export type AccessDeps = Deps<AccessStore>;
