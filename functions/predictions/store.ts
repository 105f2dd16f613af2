/**
 * The predictions context's storage port: the model and the last training run it writes, and what it
 * reads of the contexts it builds on (contacts, their standing, site activity, email engagement, deals).
 */
import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads } from '#messaging/store.js';
import type { Commit, Deps } from '#platform/store.js';
import type { SalesReads } from '#sales/store.js';
import type { ScoringReads } from '#scoring/store.js';
import type { TrackingReads } from '#tracking/store.js';
import type { PredictionModel, TrainingRun } from './model.js';

export type PredictionsWrite =
  /** The model, replacing the one before (it is one item). */
  | { kind: 'putPredictionModel'; model: PredictionModel }
  /** The last training run (trained or skipped, and why). */
  | { kind: 'putTrainingRun'; run: TrainingRun };

export interface PredictionsReads {
  getPredictionModel(): Promise<PredictionModel | undefined>;
  getTrainingRun(): Promise<TrainingRun | undefined>;
}

export type PredictionsStore = PredictionsReads &
  Pick<ContactsReads, 'getContact' | 'listContacts'> &
  Pick<ScoringReads, 'getScoringSettings' | 'getStanding' | 'getStandings'> &
  Pick<TrackingReads, 'getWebSummary' | 'getWebSummaries' | 'listVisits'> &
  Pick<MessagingReads, 'listSends'> &
  Pick<SalesReads, 'listPipelines' | 'listDealsOnBoard'> &
  Commit<PredictionsWrite>;
export type PredictionsDeps = Deps<PredictionsStore>;
