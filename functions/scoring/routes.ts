/** Lead scoring routes (scoring-api): the workspace's rules, a contact's score and lifecycle stage. */
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
  ContactStandingSchema,
  LIFECYCLE_STAGES,
  ScoringSettingsInputSchema,
  ScoringSettingsSchema,
  SetStageInputSchema,
  StandingSummarySchema,
} from './model.js';

export const scoringRoutes = {
  getScoringSettings: route({
    method: 'GET',
    path: '/v1/scoring',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'The lead scoring rules, the qualification threshold and the half-life of points (defaults until saved)',
    responses: { 200: ScoringSettingsSchema },
  }),
  saveScoringSettings: route({
    method: 'PUT',
    path: '/v1/scoring',
    fn: 'scoring-api',
    auth: 'admin',
    summary:
      'Replace the scoring rules, threshold and half-life (409 when `expectedVersion` is stale); applies to events from now on',
    body: ScoringSettingsInputSchema,
    responses: { 200: ScoringSettingsSchema, 409: ErrorSchema },
  }),
  getContactStanding: route({
    method: 'GET',
    path: '/v1/contacts/{id}/standing',
    fn: 'scoring-api',
    auth: 'admin',
    summary: 'A contact’s lead score (decayed to now), lifecycle stage and latest score changes',
    params: idParams,
    responses: { 200: ContactStandingSchema, 404: ErrorSchema },
  }),
  setLifecycleStage: route({
    method: 'PUT',
    path: '/v1/contacts/{id}/lifecycle-stage',
    fn: 'scoring-api',
    auth: 'admin',
    summary: 'Set a contact’s lifecycle stage by hand, forward or back; LifecycleStageChanged',
    params: idParams,
    body: SetStageInputSchema,
    responses: { 200: ContactStandingSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  listStandings: route({
    method: 'GET',
    path: '/v1/standings',
    fn: 'scoring-api',
    auth: 'admin',
    summary: 'The score and lifecycle stage of each of these contacts that has one (a list page’s columns)',
    query: idListQuery,
    responses: { 200: z.lazy(() => z.object({ items: z.array(StandingSummarySchema) })) },
  }),
  listContactsInStage: route({
    method: 'GET',
    path: '/v1/lifecycle-stages/{stage}/contacts',
    fn: 'scoring-api',
    auth: 'admin',
    summary: 'The contacts in a lifecycle stage, the latest to enter it first',
    params: z.lazy(() => z.strictObject({ stage: z.enum(LIFECYCLE_STAGES) })),
    query: listQuery,
    responses: { 200: page(ContactSchema) },
  }),
} as const satisfies Record<string, RouteDef>;
