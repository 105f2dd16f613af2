/**
 * Predictions' keys and its store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | the conversion model (coefficients, means and sds, AUC, sizes) | `PREDICTIONS` | `MODEL` |
 * | the last training run (trained, or skipped and why) | `PREDICTIONS` | `TRAINING` |
 * | a contact's likelihood, as the trainer's last run to reach it stored it | `CONTACT#<id>` | `LIKELIHOOD` |
 *
 * The model and the run are workspace-wide and hold no contact's data: a model is means and
 * coefficients. A contact's likelihood is in its partition (erasure removes it with the contact) and
 * on GSI2 under `LIKELIHOOD#<band>`, sorted by the likelihood (three decimals, `0.000`…`1.000`) then
 * the id: a band's contacts, the most likely first (`listLikelihoodsInBand`). A new band moves it.
 * Everything a contact's features come from is read through the other contexts' reads.
 */
import { contactPartition, contactsReads } from '#contacts/store-dynamo.js';
import { messagingReads } from '#messaging/store-dynamo.js';
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import { salesReads } from '#sales/store-dynamo.js';
import { scoringReads } from '#scoring/store-dynamo.js';
import { serviceReads } from '#service/store-dynamo.js';
import { trackingReads } from '#tracking/store-dynamo.js';
import type { ContactLikelihood } from './model.js';
import { ContactLikelihoodSchema, PredictionModelSchema, TrainingRunSchema } from './model.js';
import type { PredictionsReads, PredictionsStore, PredictionsWrite } from './store.js';

export const predictionsKeys = {
  model: (): Key => ({ PK: 'PREDICTIONS', SK: 'MODEL' }),
  trainingRun: (): Key => ({ PK: 'PREDICTIONS', SK: 'TRAINING' }),
  likelihood: (contactId: string): Key => ({ PK: contactPartition(contactId), SK: 'LIKELIHOOD' }),
};

const bandPartition = (band: string) => `LIKELIHOOD#${band}`;
const bandIndex = (l: ContactLikelihood) => ({
  GSI2PK: bandPartition(l.band),
  GSI2SK: `${l.likelihood.toFixed(3)}#${l.contactId}`,
});

export const predictionsTranslators: Translators<PredictionsWrite> = {
  putPredictionModel: ({ model }, TableName) => [
    {
      item: {
        Put: { TableName, Item: { ...predictionsKeys.model(), ...stamp('PredictionModel'), ...model } },
      },
    },
  ],
  putTrainingRun: ({ run }, TableName) => [
    {
      item: {
        Put: { TableName, Item: { ...predictionsKeys.trainingRun(), ...stamp('TrainingRun'), ...run } },
      },
    },
  ],
};

export function predictionsReads(table: Table): PredictionsReads {
  return {
    async getPredictionModel() {
      const item = await table.get(predictionsKeys.model());
      return item ? decode(PredictionModelSchema, item) : undefined;
    },
    async getTrainingRun() {
      const item = await table.get(predictionsKeys.trainingRun());
      return item ? decode(TrainingRunSchema, item) : undefined;
    },
    async getContactLikelihoods(contactIds) {
      const items = await table.batchGet(
        [...new Set(contactIds)].map((id) => predictionsKeys.likelihood(id)),
      );
      const likelihoods = items.map((item) => decode(ContactLikelihoodSchema, item));
      return new Map(likelihoods.map((l) => [l.contactId, l]));
    },
    listLikelihoodsInBand: (band, options) =>
      table.page({ index: 'GSI2', partition: bandPartition(band) }, options, (item) =>
        decode(ContactLikelihoodSchema, item),
      ),
    async putContactLikelihoods(likelihoods) {
      await table.batchPut(
        likelihoods.map((l) => ({
          ...predictionsKeys.likelihood(l.contactId),
          ...bandIndex(l),
          ...stamp('ContactLikelihood'),
          ...l,
        })),
      );
    },
  };
}

export const predictionsStore = (table: Table): PredictionsStore =>
  storeOf<PredictionsWrite>(predictionsTranslators)(table, {
    ...contactsReads(table),
    ...scoringReads(table),
    ...trackingReads(table),
    listSends: messagingReads(table).listSends,
    ...salesReads(table),
    listContactCases: serviceReads(table).listContactCases,
    ...predictionsReads(table),
  });
