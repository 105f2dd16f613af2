import type { DomainEvent } from '../contracts/events.js';
import type { Activity, ConsentRecord, Contact, ContactProperty, CustomFields, Form, Page } from './model.js';

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(): string;
}

/** A record kept to answer a repeated request with the first answer. */
export interface IdempotencyRecord {
  contactId: string;
  createdAt: string;
}

/** The writes one domain operation commits atomically (one DynamoDB transaction in the cloud). */
export type Write =
  | { kind: 'createContact'; contact: Contact }
  | { kind: 'replaceContact'; contact: Contact; expectedVersion: number; previousEmail: string }
  | {
      kind: 'mergeContact';
      contactId: string;
      /** Properties and custom fields written only where the contact has no value yet. */
      fillBlanks: Partial<Pick<Contact, ContactProperty>> & { fields?: CustomFields };
      addTags: string[];
      consent?: ConsentRecord;
      updatedAt: string;
    }
  | { kind: 'addTag'; contactId: string; tag: string; taggedAt: string }
  | { kind: 'removeTag'; contactId: string; tag: string; updatedAt: string }
  /** `checkContact`: also require the contact to exist (not allowed when the same commit writes the contact). */
  | { kind: 'putActivity'; activity: Activity; checkContact: boolean }
  | { kind: 'putForm'; form: Form }
  | { kind: 'emit'; event: DomainEvent }
  | { kind: 'claimIdempotency'; key: string; record: IdempotencyRecord; expiresAt: Date; now: Date };

/** Thrown by `commit` when a condition of one write failed; `write` tells which. */
export class CommitConflict extends Error {
  /** `part` names which guard of the write failed when a write has several (e.g. `email`, `version`). */
  constructor(
    readonly write: Write,
    readonly part: string = write.kind,
  ) {
    super(`conflict on ${write.kind} (${part})`);
    this.name = 'CommitConflict';
  }
}

export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
}

export interface Store {
  commit(writes: Write[]): Promise<void>;
  getContact(id: string): Promise<Contact | undefined>;
  findContactIdByEmail(email: string): Promise<string | undefined>;
  listContacts(options: ListOptions): Promise<Page<Contact>>;
  listContactsByTag(tag: string, options: ListOptions): Promise<Page<Contact>>;
  listActivities(contactId: string, options: ListOptions): Promise<Page<Activity>>;
  /** Deletes the contact atomically with its events, then erases the rest of its partition. */
  deleteContact(contact: Contact, events: DomainEvent[]): Promise<void>;
  getForm(id: string): Promise<Form | undefined>;
  listForms(options: ListOptions): Promise<Page<Form>>;
  getIdempotency(key: string, now: Date): Promise<IdempotencyRecord | undefined>;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: Ids;
}
