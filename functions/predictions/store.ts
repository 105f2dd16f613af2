/**
 * The predictions context's storage port: the model and the last training run it writes, each
 * contact's stored likelihood, and what it reads of the contexts it builds on (contacts, their
 * standing, site activity, email engagement, deals, service cases).
 */
import type { ContactsReads } from '#contacts/store.js';
import type { MessagingReads } from '#messaging/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { SalesReads } from '#sales/store.js';
import type { ScoringReads } from '#scoring/store.js';
import type { ServiceReads } from '#service/store.js';
import type { TrackingReads } from '#tracking/store.js';
import type { ContactLikelihood, LikelihoodBand, PredictionModel, TrainingRun } from './model.js';

export type PredictionsWrite =
  /** The model, replacing the one before (it is one item). */
  | { kind: 'putPredictionModel'; model: PredictionModel }
  /** The last training run (trained or skipped, and why). */
  | { kind: 'putTrainingRun'; run: TrainingRun };

export interface PredictionsReads {
  getPredictionModel(): Promise<PredictionModel | undefined>;
  getTrainingRun(): Promise<TrainingRun | undefined>;
  /** The stored likelihoods of these contacts (those that have one), by contact id. */
  getContactLikelihoods(contactIds: string[]): Promise<Map<string, ContactLikelihood>>;
  /** The contacts of a likelihood band, the most likely first. */
  listLikelihoodsInBand(band: LikelihoodBand, options: ListOptions): Promise<Page<ContactLikelihood>>;
  /**
   * Stores contacts' likelihoods, each replacing the contact's last (batch writes without
   * conditions: idempotent, a contact's key is its id). Derived data, announced by no event.
   */
  putContactLikelihoods(likelihoods: ContactLikelihood[]): Promise<void>;
}

export type PredictionsStore = PredictionsReads &
  Pick<ContactsReads, 'getContact' | 'getContacts' | 'listContacts'> &
  Pick<ScoringReads, 'getScoringSettings' | 'getStanding' | 'getStandings' | 'listScoreChanges'> &
  Pick<TrackingReads, 'getWebSummary' | 'getWebSummaries' | 'listVisits'> &
  Pick<MessagingReads, 'listSends'> &
  Pick<SalesReads, 'listPipelines' | 'listDealsOnBoard'> &
  Pick<ServiceReads, 'listContactCases'> &
  Commit<PredictionsWrite>;
export type PredictionsDeps = Deps<PredictionsStore>;
