import { httpHandler, operation } from '../api/http.js';
import { segmentRoutes as routes } from '../api/routes/segments.js';
import { dashboard } from '../core/dashboard.js';
import * as segments from '../core/segments.js';
import { deps } from '../shared/runtime.js';

export const handler = httpHandler([
  operation(routes.createSegment, async ({ body }) => ({
    status: 201,
    body: await segments.createSegment(deps, body),
  })),
  operation(routes.listSegments, async ({ query }) => ({
    status: 200,
    body: await segments.listSegments(deps, query),
  })),
  operation(routes.getSegment, async ({ params }) => ({
    status: 200,
    body: await segments.getSegment(deps, params.id),
  })),
  operation(routes.segmentContacts, async ({ params, query }) => ({
    status: 200,
    body: await segments.segmentContacts(deps, params.id, query),
  })),
  operation(routes.dashboard, async ({ query }) => ({ status: 200, body: await dashboard(deps, query) })),
]);
