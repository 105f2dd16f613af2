/** Commerce's storage port: purchases by the reporting system's order id, and a contact's purchases. */
import type { ContactsReads, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Purchase } from './model.js';

export type CommerceWrite =
  | ContactsWrite
  /**
   * The purchase on its contact, and its reference (source, external id): a conflict, part `ref`,
   * when that order was recorded already.
   */
  | { kind: 'recordPurchase'; purchase: Purchase };

export interface CommerceReads {
  /** The purchase recorded for a system's order id. */
  getPurchaseByRef(source: string, externalId: string): Promise<Purchase | undefined>;
  /** A contact's purchases, newest first. */
  listPurchases(contactId: string, options: ListOptions): Promise<Page<Purchase>>;
}

export type CommerceStore = CommerceReads & ContactsReads & Commit<CommerceWrite>;
export type CommerceDeps = Deps<CommerceStore>;
