/** The contacts context's storage port: the changes it writes and the reads it needs. */
import type { DomainEvent } from '#platform/events.js';
import type { Commit, Deps, Emit, ListOptions, Page } from '#platform/store.js';
import type {
  Activity,
  ConsentRecord,
  Contact,
  ContactProperty,
  CustomFields,
  FieldDefinition,
  Suppression,
} from './model.js';
import type { ContactSort } from './views-model.js';
import type { ContactViewsReads, ContactViewsWrite } from './views-store.js';

/** Every change the contacts context writes (and the events it emits with them). */
export type ContactsWrite =
  | Emit
  /** Saved views of the contacts list (views-store.ts). */
  | ContactViewsWrite
  /** A new contact and its email guard (a second contact with the same email is a conflict, part `email`). */
  | { kind: 'createContact'; contact: Contact }
  /** Replaces the whole record if it is still at `expectedVersion` (part `version`), moving the email guard. */
  | { kind: 'replaceContact'; contact: Contact; expectedVersion: number; previousEmail: string }
  /**
   * Fills blanks and adds tags without reading a version (lead capture, imports, tag steps); it makes
   * a new version, so a PATCH computed from an older read fails instead of overwriting it.
   */
  | {
      kind: 'mergeContact';
      contactId: string;
      /** Properties and custom fields written only where the contact has no value yet. */
      fillBlanks: Partial<Pick<Contact, ContactProperty>> & { fields?: CustomFields };
      addTags: string[];
      consent?: ConsentRecord;
      /** Fresh consent: clears an unsubscribe and a (non-bounce) suppression. */
      resubscribe?: boolean;
      /** Properties and custom fields written whatever the contact has (an import in overwrite mode). */
      overwrite?: Partial<Pick<Contact, ContactProperty>> & { fields?: CustomFields };
      lastImport?: Contact['lastImport'];
      updatedAt: string;
    }
  /** The tag's index entry (a conflict when the contact already has it). */
  | { kind: 'addTag'; contactId: string; tag: string; taggedAt: string }
  | { kind: 'removeTag'; contactId: string; tag: string; updatedAt: string }
  /** `checkContact`: also require the contact to exist (not allowed when the same commit writes the contact). */
  | { kind: 'putActivity'; activity: Activity; checkContact: boolean }
  /** The contact wrote to the workspace by email at `at` (ends workflows whose goal is `emailReplied`). */
  | { kind: 'markReplied'; contactId: string; at: string }
  /** Marks the contact unsubscribed from marketing email (a conflict when it already is). */
  | { kind: 'markUnsubscribed'; contactId: string; at: string }
  /** Records on the contact that its address may not be mailed (a bounce, a complaint). */
  | { kind: 'markEmailSuppressed'; contactId: string; suppression: Suppression }
  /** Clears the contact's unsubscribe and suppression (a conflict when it has neither). */
  | { kind: 'resubscribe'; contactId: string; at: string }
  /** The subscription types the contact has left (its preferences saved whole), if still at `version`. */
  | { kind: 'setUnsubscribedFrom'; contactId: string; types: string[]; version: number; at: string }
  /** Puts an address on the suppression list (it outlives the contact: a re-created contact stays suppressed). */
  | { kind: 'suppress'; email: string; reason: Suppression['reason']; at: string }
  /**
   * Takes an address off the suppression list. The item stays, marked lifted, until it expires:
   * an update, so the public functions that resubscribe need no right to delete.
   */
  | { kind: 'liftSuppression'; email: string; at: string }
  /** `expectedUpdatedAt`: replace only if unchanged since read; absent: create (a conflict when it exists). */
  | { kind: 'putFieldDefinition'; definition: FieldDefinition; expectedUpdatedAt?: string };

/** A page of a contacts list in an order of its index (newest first unless `sort` says otherwise). */
export interface ContactListOptions extends ListOptions {
  sort?: ContactSort | undefined;
}

export interface ContactsReads extends ContactViewsReads {
  getContact(id: string): Promise<Contact | undefined>;
  getContacts(ids: string[]): Promise<Map<string, Contact>>;
  findContactIdByEmail(email: string): Promise<string | undefined>;
  getSuppression(email: string): Promise<Suppression | undefined>;
  /** When the contact last wrote to the workspace by email, if it did. */
  getRepliedAt(contactId: string): Promise<string | undefined>;
  /** Every custom field definition, by name (a small, bounded list). */
  listFieldDefinitions(): Promise<FieldDefinition[]>;
  /**
   * Newest first, or oldest first (`sort: 'created'`): the key order of the collection; by name A→Z
   * (`name`) or Z→A (`-name`): the key order of the name index (one Query, one BatchGetItem; an
   * entry lags a change by the search consumer's delivery).
   */
  listContacts(options: ContactListOptions): Promise<Page<Contact>>;
  /** Newest or oldest first only (there is no name index of a tag). */
  listContactsByTag(tag: string, options: ContactListOptions): Promise<Page<Contact>>;
  /** The timeline, newest first. */
  listActivities(contactId: string, options: ListOptions): Promise<Page<Activity>>;
  /** One timeline entry, by when it happened and its id (its key). */
  getActivity(contactId: string, occurredAt: string, id: string): Promise<Activity | undefined>;
  /**
   * Every record kept in the contact's partition (profile, tags, timeline, enrollments, sends,
   * engagement): what erasure deletes is what an access request exports. `type` names each.
   */
  contactRecords(contactId: string): Promise<Array<Record<string, unknown>>>;
  /**
   * The lifecycle stage of the contact's standing (kept by scoring in the contact's partition), if it
   * has one: what its erasure event says it was.
   */
  getLifecycleStage(contactId: string): Promise<string | undefined>;
  /** Deletes the contact atomically with its events, then erases the rest of its partition. */
  deleteContact(contact: Contact, events: DomainEvent[]): Promise<void>;
}

export type ContactsStore = ContactsReads & Commit<ContactsWrite>;
export type ContactsDeps = Deps<ContactsStore>;
