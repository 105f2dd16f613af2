/** The scoring context's storage port: the workspace's settings and each contact's standing. */
import type { AppointmentsReads } from '#appointments/store.js';
import type { CaptureReads } from '#capture/store.js';
import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads } from '#messaging/store.js';
import type { Commit, Deps, Emit, ListOptions, Page } from '#platform/store.js';
import type { SalesReads } from '#sales/store.js';
import type { LifecycleStage, ScoreChange, ScoringSettings, Standing } from './model.js';

export type ScoringWrite =
  | Emit
  /** The settings, if still at `expectedVersion` (0: never saved; part `version`). */
  | { kind: 'putScoringSettings'; settings: ScoringSettings; expectedVersion: number }
  /** The contact's standing, if still at `expectedVersion` (0: none yet; part `version`). */
  | { kind: 'putStanding'; standing: Standing; expectedVersion: number }
  /** One entry of the contact's score history: the `seq`th change an event made. */
  | { kind: 'recordScoreChange'; contactId: string; change: ScoreChange; eventId: string; seq: number }
  /** The event was scored for the contact (a conflict, part `duplicate`, when it was already). */
  | { kind: 'markScored'; contactId: string; eventId: string; at: string };

export interface ScoringReads {
  getScoringSettings(): Promise<ScoringSettings | undefined>;
  getStanding(contactId: string): Promise<Standing | undefined>;
  /** The standings of these contacts that have one, by contact id (batched: predictions' training). */
  getStandings(contactIds: string[]): Promise<Map<string, Standing>>;
  /** The standings of the contacts in a lifecycle stage, latest to enter it first. */
  listStandingsInStage(stage: LifecycleStage, options: ListOptions): Promise<Page<Standing>>;
  /** The contact's latest score changes, newest first. */
  listScoreChanges(contactId: string, limit: number): Promise<ScoreChange[]>;
}

export type ScoringStore = ScoringReads &
  Pick<ContactsReads, 'getContact' | 'getContacts'> &
  Pick<SalesReads, 'getPipeline'> &
  /** What a rule's filter may name. */
  Pick<MessagingReads, 'getTemplate'> &
  Pick<CaptureReads, 'getForm'> &
  Pick<AppointmentsReads, 'getMeetingType'> &
  Commit<ScoringWrite>;
export type ScoringDeps = Deps<ScoringStore>;
