/**
 * Predictions' keys and its store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | the conversion model (coefficients, means and sds, AUC, sizes) | `PREDICTIONS` | `MODEL` |
 * | the last training run (trained, or skipped and why) | `PREDICTIONS` | `TRAINING` |
 *
 * Both are workspace-wide and hold no contact's data: a model is means and coefficients.
 * Everything a contact's features come from is read through the other contexts' reads.
 */
import { contactsReads } from '#contacts/store-dynamo.js';
import { messagingReads } from '#messaging/store-dynamo.js';
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import { salesReads } from '#sales/store-dynamo.js';
import { scoringReads } from '#scoring/store-dynamo.js';
import { trackingReads } from '#tracking/store-dynamo.js';
import { PredictionModelSchema, TrainingRunSchema } from './model.js';
import type { PredictionsReads, PredictionsStore, PredictionsWrite } from './store.js';

export const predictionsKeys = {
  model: (): Key => ({ PK: 'PREDICTIONS', SK: 'MODEL' }),
  trainingRun: (): Key => ({ PK: 'PREDICTIONS', SK: 'TRAINING' }),
};

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
  };
}

export const predictionsStore = (table: Table): PredictionsStore =>
  storeOf<PredictionsWrite>(predictionsTranslators)(table, {
    ...contactsReads(table),
    ...scoringReads(table),
    ...trackingReads(table),
    listSends: messagingReads(table).listSends,
    ...salesReads(table),
    ...predictionsReads(table),
  });
