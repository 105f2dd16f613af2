/** The tracking context's storage port: visitors, their hits, and a contact's visits and summary. */
import type { ContactsReads, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Visit, WebSummary } from './model.js';

export type TrackingWrite =
  | ContactsWrite
  /** A hit of a visitor nobody knows yet (it expires). */
  | { kind: 'recordAnonymousHit'; visitorId: string; visit: Visit }
  /**
   * Hits of a known contact (they expire) and their count in its summary (it stays). At most 90 in
   * one write: an identification moves a visitor's latest hits with it.
   */
  | { kind: 'recordVisits'; contactId: string; visits: Visit[] }
  /** The visitor is this contact from now on (a conflict, part `identified`, when it already was). */
  | { kind: 'identifyVisitor'; visitorId: string; contactId: string; at: string }
  /**
   * The contact still exists (a conflict, part `contact`, when it was erased): what a visitor token
   * names is checked in the hit's own transaction, not read first.
   */
  | { kind: 'requireContact'; contactId: string };

export interface TrackingReads {
  /** The contact a visitor was identified as. */
  getVisitorContact(visitorId: string): Promise<string | undefined>;
  /** A visitor's anonymous hits, newest first. */
  listAnonymousHits(visitorId: string, limit: number): Promise<Visit[]>;
  getWebSummary(contactId: string): Promise<WebSummary | undefined>;
  /** The summaries of these contacts that have one, by contact id (batched: predictions' training). */
  getWebSummaries(contactIds: string[]): Promise<Map<string, WebSummary>>;
  /** A contact's visits and events still kept, newest first. */
  listVisits(contactId: string, options: ListOptions): Promise<Page<Visit>>;
}

export type TrackingStore = TrackingReads &
  Pick<ContactsReads, 'getContact' | 'findContactIdByEmail'> &
  Commit<TrackingWrite>;
export type TrackingDeps = Deps<TrackingStore>;
