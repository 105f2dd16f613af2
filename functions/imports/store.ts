/** The imports context's storage port: the changes it writes and the reads it needs. */
import type { ContactsReads, ContactsWrite } from '#contacts/store.js';
import type { Commit, Deps, Emit, ListOptions, Page } from '#platform/store.js';
import type { Import, ImportCounts, ImportStatus, RowError } from './model.js';

export type ImportsWrite =
  | Emit
  | ContactsWrite
  | { kind: 'createImport'; record: Import }
  /** Sets attributes of an import that is in one of `from` (a conflict otherwise). */
  | { kind: 'updateImport'; id: string; from: readonly ImportStatus[]; set: Partial<Import> }
  /**
   * A chunk is written: its marker (a conflict when it exists: counted already) and its counts
   * added to the import's, once.
   */
  | {
      kind: 'countChunk';
      importId: string;
      chunk: number;
      counts: ImportCounts;
      /** Tags added by the chunk's rows, with how many contacts each. */
      tagsAdded: Record<string, number>;
      at: string;
    }
  /** Ends a processing import whose every chunk is counted (a conflict otherwise). */
  | { kind: 'finishImport'; id: string; chunksTotal: number; at: string };

export interface ImportsReads extends ContactsReads {
  getImport(id: string): Promise<Import | undefined>;
  /** Newest first. */
  listImports(options: ListOptions): Promise<Page<Import>>;
  chunkCounted(importId: string, chunk: number): Promise<boolean>;
  /** The tags every counted chunk of the import added, summed. */
  importTagsAdded(importId: string): Promise<Record<string, number>>;
  /** The contact ids of these emails (those that have a contact). */
  findContactIdsByEmail(emails: string[]): Promise<Map<string, string>>;
  /** The suppression list's entries of these emails. */
  getSuppressions(emails: string[]): Promise<Map<string, import('#contacts/model.js').Suppression>>;
  /** Stores refused rows (idempotent: a row's key is its line). */
  putRowErrors(importId: string, errors: RowError[]): Promise<void>;
  /** Refused rows in line order. */
  listRowErrors(importId: string, options: ListOptions): Promise<Page<RowError>>;
}

export type ImportsStore = ImportsReads &
  Commit<ImportsWrite> & {
    /** How many transaction items these writes become (chunks pack rows into transactions of 100). */
    itemCount(writes: ImportsWrite[]): number;
  };
export type ImportsDeps = Deps<ImportsStore>;
