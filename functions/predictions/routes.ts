/** Conversion prediction routes (served by scoring-api): a contact's prediction, the model's summary. */
import { ErrorSchema, idParams, type RouteDef, route } from '#platform/http/route.js';
import { ContactPredictionSchema, PredictionModelViewSchema } from './model.js';

export const predictionRoutes = {
  getContactPrediction: route({
    method: 'GET',
    path: '/v1/contacts/{id}/prediction',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'How likely a contact is to convert (get a won deal) by the daily trained model, with the three features that moved it most; for a customer, its churn risk from falling engagement',
    params: idParams,
    responses: { 200: ContactPredictionSchema, 404: ErrorSchema },
  }),
  getPredictionModel: route({
    method: 'GET',
    path: '/v1/predictions/model',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'The conversion model: held-out AUC, training and holdout sizes, when it was trained, coefficients with their labels; and the last training run (skipped runs say why)',
    responses: { 200: PredictionModelViewSchema },
  }),
} as const satisfies Record<string, RouteDef>;
