/** Lead capture's storage port. */
import type { ContactsStore, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { DroppedSubmission, Form, IdempotencyRecord } from './model.js';

export type CaptureWrite =
  | ContactsWrite
  | { kind: 'putForm'; form: Form }
  /** Claims a submission's idempotency key until `expiresAt` (a conflict while an unexpired claim exists). */
  | { kind: 'claimIdempotency'; key: string; record: IdempotencyRecord; expiresAt: Date; now: Date }
  /** Claims a form token's nonce, once (a conflict when it was used before); kept until the token expires. */
  | { kind: 'claimFormToken'; formId: string; nonce: string; expiresAt: Date }
  | { kind: 'putDroppedSubmission'; dropped: DroppedSubmission };

export interface CaptureReads {
  getForm(id: string): Promise<Form | undefined>;
  listForms(options: ListOptions): Promise<Page<Form>>;
  /** The unexpired claim of an idempotency key, if any. */
  getIdempotency(key: string, now: Date): Promise<IdempotencyRecord | undefined>;
  /** A form's dropped submissions, newest first. */
  listDroppedSubmissions(formId: string, options: ListOptions): Promise<Page<DroppedSubmission>>;
  /**
   * Takes one slot of a fixed-window rate limit (`limit` per window ending at `windowEnd`); false when
   * the window is full (nothing is written then).
   */
  takeRateSlot(key: string, limit: number, windowEnd: Date): Promise<boolean>;
}

export type CaptureStore = CaptureReads & ContactsStore & Commit<CaptureWrite>;
export type CaptureDeps = Deps<CaptureStore>;
