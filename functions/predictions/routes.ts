/**
 * Conversion prediction routes (served by scoring-api): a contact's prediction, the model's summary,
 * the likelihoods the daily trainer stored (a list page's column) and the contacts of a band.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ContactSchema } from '#contacts/model.js';
import {
  ErrorSchema,
  idListQuery,
  idParams,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import {
  ContactLikelihoodSchema,
  ContactPredictionSchema,
  LIKELIHOOD_BANDS,
  PredictionModelViewSchema,
} from './model.js';

export const predictionRoutes = {
  getContactPrediction: route({
    method: 'GET',
    path: '/v1/contacts/{id}/prediction',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'How likely a contact is to convert (get a won deal) by the daily trained model, with the three features that moved it most; for a customer, its churn risk from falling engagement, open cases and low CSAT',
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
  listPredictions: route({
    method: 'GET',
    path: '/v1/predictions',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'The likelihood to convert and its band (low under 0.2, medium, high from 0.5) of each of these contacts the daily trainer scored (a list page’s column)',
    query: idListQuery,
    responses: { 200: z.lazy(() => z.object({ items: z.array(ContactLikelihoodSchema) })) },
  }),
  listContactsInBand: route({
    method: 'GET',
    path: '/v1/predictions/bands/{band}/contacts',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'The contacts whose stored likelihood to convert is in a band (low, medium, high), the most likely first',
    params: z.lazy(() => z.strictObject({ band: z.enum(LIKELIHOOD_BANDS) })),
    query: listQuery,
    responses: { 200: page(ContactSchema) },
  }),
} as const satisfies Record<string, RouteDef>;
