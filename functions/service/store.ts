/** Customer service's storage port: cases, their messages, and the indexes threading needs. */

import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads, MessagingWrite } from '#messaging/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { CannedResponse } from './canned.js';
import type { Case, CaseMessage, CaseStatus } from './model.js';
import type { ServiceSettings } from './sla-model.js';

export type ServiceWrite =
  | MessagingWrite
  /**
   * A new case, its reference (a conflict, part `ref`, when another case has it) and its pointer on
   * the contact.
   */
  | { kind: 'openCase'; case: Case }
  /** The case, if still at `expectedVersion` (part `version`); its pointer on the contact follows. */
  | { kind: 'putCase'; case: Case; expectedVersion: number }
  /**
   * Claims the notification of a missed SLA target until `until` (a conflict, part `notice`, when
   * another attempt holds a live claim or sent it); `sent`: it went out (with the breach's record).
   */
  | { kind: 'claimSlaNotice'; caseId: string; dueAt: string; target: string; until: string; at: string }
  | { kind: 'completeSlaNotice'; caseId: string; dueAt: string; target: string; at: string }
  /** A canned response, if still at `expectedVersion` (0: new; part `version`). */
  | { kind: 'putCannedResponse'; response: CannedResponse; expectedVersion: number }
  | { kind: 'deleteCannedResponse'; id: string }
  /** The SLA settings, if still at `expectedVersion` (0: never saved; part `version`). */
  | { kind: 'putServiceSettings'; settings: ServiceSettings; expectedVersion: number }
  /** A message on a case, and the email ids replies to it will quote (threading). */
  | { kind: 'addCaseMessage'; message: CaseMessage; emailIds: string[] }
  /**
   * The inbound email was taken in (a conflict, part `duplicate`, when it was already); `acknowledge`:
   * it opened a case that is answered (a redelivery sends the acknowledgement if it was not yet).
   */
  | { kind: 'claimInbound'; inboundId: string; caseId: string; acknowledge: boolean; at: string };

export interface CaseQuery extends ListOptions {
  status?: CaseStatus | undefined;
  assignee?: string | undefined;
}

export interface ServiceReads {
  /** The workspace's SLA settings (undefined: never saved, the defaults apply). */
  getServiceSettings(): Promise<ServiceSettings | undefined>;
  /** Every canned response, by name (at most MAX_CANNED). */
  listCannedResponses(): Promise<CannedResponse[]>;
  getCannedResponse(id: string): Promise<CannedResponse | undefined>;
  getCase(id: string): Promise<Case | undefined>;
  getCaseByRef(ref: string): Promise<Case | undefined>;
  /** The case an email id (a Message-ID, or a provider's message id) was sent or received on. */
  findCaseByEmailId(emailId: string): Promise<string | undefined>;
  /** The case an inbound email was taken into, when it was. */
  getInbound(inboundId: string): Promise<{ caseId: string; acknowledge: boolean } | undefined>;
  /** A case's messages, oldest first. */
  listCaseMessages(caseId: string, limit: number): Promise<CaseMessage[]>;
  /**
   * Cases by status, or an assignee's active cases (`unassigned`: nobody's), the latest activity
   * first.
   */
  listCases(query: CaseQuery): Promise<Page<Case>>;
  /** A contact's cases, the latest opened first. */
  listContactCases(contactId: string, options: ListOptions): Promise<Page<Case>>;
}

export type ServiceStore = ServiceReads & MessagingReads & ContactsReads & Commit<ServiceWrite>;
export type ServiceDeps = Deps<ServiceStore>;
