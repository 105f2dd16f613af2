/** Tracking routes: the snippet and its collect endpoint (tracking, public), product events and a contact's visits (tracking-api). */
import { ErrorSchema, idParams, listQuery, type RouteDef, route } from '#platform/http/route.js';
import {
  CollectAnswerSchema,
  CollectBodySchema,
  ContactVisitsSchema,
  ProductEventBodySchema,
  VisitSchema,
} from './model.js';

export const trackingRoutes = {
  trackingSnippet: route({
    method: 'GET',
    path: '/t/tendril.js',
    fn: 'tracking',
    auth: 'public',
    summary: 'The site tracking snippet (no cookie; nothing sent before consent): docs/lead-scoring.md',
    responses: { 200: 'script' },
  }),
  collectHit: route({
    method: 'POST',
    path: '/t/collect',
    fn: 'tracking',
    auth: 'public',
    summary:
      'A page view or custom event from the snippet (text/plain JSON, as navigator.sendBeacon sends it); bots are not recorded; 300 hits per address per minute; 200 with the visitor token when the hit asked (ct or ask) and the visitor is a contact',
    body: CollectBodySchema,
    bodyTypes: ['text/plain', 'application/json'],
    responses: { 200: CollectAnswerSchema, 204: 'empty', 429: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;

export const trackingApiRoutes = {
  recordProductEvent: route({
    method: 'POST',
    path: '/v1/events',
    fn: 'tracking-api',
    auth: 'admin',
    scopes: ['events:write'],
    summary:
      'Report what a contact did in the product (on its timeline, scored by event_tracked rules); EventTracked',
    body: ProductEventBodySchema,
    responses: { 202: VisitSchema, 404: ErrorSchema },
  }),
  listContactVisits: route({
    method: 'GET',
    path: '/v1/contacts/{id}/visits',
    fn: 'tracking-api',
    auth: 'admin',
    summary: 'A contact’s page views and events still kept (newest first) and the counts that stay',
    params: idParams,
    query: listQuery,
    responses: { 200: ContactVisitsSchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
