/** Email's storage port: templates, the send ledger, engagement, follow-ups, settings and the frequency cap (suppressions are contacts'). */
import type { ContactsStore, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type {
  EmailSend,
  EmailSettings,
  EmailTemplate,
  EngagementType,
  FollowUp,
  FollowUpStatus,
  SendCap,
} from './model.js';

export type MessagingWrite =
  | ContactsWrite
  /** `expectedVersion`: replace only that version (optimistic concurrency); absent: create. */
  | { kind: 'putTemplate'; template: EmailTemplate; expectedVersion?: number }
  /**
   * Claims a send slot until `send.claimedUntil` (a conflict when the slot was claimed before: nothing
   * is sent twice). `takeOver`: the slot's earlier claim, whose lease expired, is replaced instead.
   */
  | { kind: 'claimSend'; send: EmailSend; takeOver?: { claimedUntil: string | undefined } }
  /** Gives one's own claim back when nothing was sent. */
  | { kind: 'releaseSend'; send: EmailSend }
  /** Records the provider's message id for the slot, and the message → slot reference. */
  | { kind: 'completeSend'; send: EmailSend & { messageId: string; sentAt: string } }
  /** First open or click of a send (a conflict when already recorded); the contact's latest engagement. */
  | { kind: 'recordEngagement'; send: EmailSend; type: EngagementType; at: string }
  /** A contact's first click on one link of a campaign's email (a conflict when already recorded). */
  | { kind: 'recordLinkClick'; contactId: string; campaignId: string; link: string; at: string }
  /** `expectedStatus`: replace only a follow-up in that status; absent: create. */
  | { kind: 'putFollowUp'; followUp: FollowUp; expectedStatus?: FollowUpStatus }
  /** `expectedUpdatedAt`: replace only that save (absent: whatever is saved). */
  | { kind: 'putEmailSettings'; settings: EmailSettings; expectedUpdatedAt?: string }
  /** A contact's recent marketing sends; `cap.version` is the next version (1: create). */
  | { kind: 'putSendCap'; cap: SendCap };

export interface MessagingReads {
  getTemplate(id: string): Promise<EmailTemplate | undefined>;
  listTemplates(options: ListOptions): Promise<Page<EmailTemplate>>;
  getSend(contactId: string, enrollmentId: string, stepId: string): Promise<EmailSend | undefined>;
  findSendByMessageId(messageId: string): Promise<EmailSend | undefined>;
  /** The campaign emails sent to a contact (its send ledger; one per campaign): revenue attribution. */
  listCampaignSends(contactId: string): Promise<EmailSend[]>;
  /** Every email of a contact's send ledger (workflow steps, follow-ups, campaigns), with its opens and clicks. */
  listSends(contactId: string): Promise<EmailSend[]>;
  /** The latest open or click time of each contact that has one. */
  getEngagements(ids: string[], type: EngagementType): Promise<Map<string, string>>;
  getFollowUp(id: string): Promise<FollowUp | undefined>;
  getEmailSettings(): Promise<EmailSettings>;
  getSendCap(contactId: string): Promise<SendCap | undefined>;
  /** Follow-ups that went `sending` before `before` (oldest first): what the reconciler checks. */
  listSendingFollowUps(before: Date, limit: number): Promise<FollowUp[]>;
  /** A contact's follow-ups, by send time. */
  listFollowUps(contactId: string, options: ListOptions): Promise<Page<FollowUp>>;
}

export type MessagingStore = MessagingReads & ContactsStore & Commit<MessagingWrite>;
export type MessagingDeps = Deps<MessagingStore>;
