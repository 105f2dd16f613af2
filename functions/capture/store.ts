/** Lead capture's storage port. */
import type { ContactsStore, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Form, IdempotencyRecord } from './model.js';

export type CaptureWrite =
  | ContactsWrite
  | { kind: 'putForm'; form: Form }
  /** Claims a submission's idempotency key until `expiresAt` (a conflict while an unexpired claim exists). */
  | { kind: 'claimIdempotency'; key: string; record: IdempotencyRecord; expiresAt: Date; now: Date };

export interface CaptureReads {
  getForm(id: string): Promise<Form | undefined>;
  listForms(options: ListOptions): Promise<Page<Form>>;
  /** The unexpired claim of an idempotency key, if any. */
  getIdempotency(key: string, now: Date): Promise<IdempotencyRecord | undefined>;
}

export type CaptureStore = CaptureReads & ContactsStore & Commit<CaptureWrite>;
export type CaptureDeps = Deps<CaptureStore>;
