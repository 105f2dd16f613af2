/** The bulk context's storage port: it pages the audiences of contacts and insights, changes contacts and enrolls them. */
import type { AutomationStore, AutomationWrite } from '#automation/store.js';
import type { ContactsStore, ContactsWrite } from '#contacts/store.js';
import type { InsightsStore } from '#insights/store.js';
import type { MessagingReads } from '#messaging/store.js';
import type { Commit, Deps, Emit, ListOptions, Page } from '#platform/store.js';
import type { BulkCounts, BulkJob, BulkStatus } from './model.js';

export type BulkWrite =
  | Emit
  | ContactsWrite
  | AutomationWrite
  | { kind: 'createBulkJob'; job: BulkJob }
  /** Sets attributes of a job in one of `from` (a conflict otherwise). */
  | { kind: 'updateBulkJob'; id: string; from: readonly BulkStatus[]; set: Partial<BulkJob> }
  /** A chunk's marker (a conflict when it exists) and its counts added to the job's, once. */
  | { kind: 'countBulkChunk'; jobId: string; chunk: number; counts: BulkCounts; at: string }
  /** Ends a processing job whose every chunk is counted (a conflict otherwise). */
  | { kind: 'finishBulkJob'; id: string; chunksTotal: number; at: string }
  /** Adds a contact to a stored list (an audience a later job pages); adding it again changes nothing. */
  | { kind: 'addToList'; listId: string; contactId: string };

export interface BulkReads {
  getBulkJob(id: string): Promise<BulkJob | undefined>;
  bulkChunkCounted(jobId: string, chunk: number): Promise<boolean>;
  /** One page of a stored list's contact ids (in id order). */
  listMembers(listId: string, options: ListOptions): Promise<Page<string>>;
}

export type BulkStore = ContactsStore &
  AutomationStore &
  InsightsStore &
  Pick<MessagingReads, 'listFollowUps'> &
  BulkReads &
  Commit<BulkWrite>;
export type BulkDeps = Deps<BulkStore>;
