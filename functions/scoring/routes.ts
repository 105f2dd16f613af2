/** Lead scoring routes (scoring-api): the workspace's rules, a contact's score and lifecycle stage. */
import { ErrorSchema, idParams, type RouteDef, route } from '#platform/http/route.js';
import {
  ContactStandingSchema,
  ScoringSettingsInputSchema,
  ScoringSettingsSchema,
  SetStageInputSchema,
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
} as const satisfies Record<string, RouteDef>;
