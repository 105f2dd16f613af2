import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import { dashboard } from '../core/dashboard.js';
import * as segments from '../core/segments.js';
import { deps } from '../shared/runtime.js';

export const handler = httpHandler([
  operation(api.createSegment, async ({ body }) => ({
    status: 201,
    body: await segments.createSegment(deps, body),
  })),
  operation(api.listSegments, async ({ query }) => ({
    status: 200,
    body: await segments.listSegments(deps, query),
  })),
  operation(api.getSegment, async ({ params }) => ({
    status: 200,
    body: await segments.getSegment(deps, params.id),
  })),
  operation(api.segmentContacts, async ({ params, query }) => ({
    status: 200,
    body: await segments.segmentContacts(deps, params.id, query),
  })),
  operation(api.dashboard, async ({ query }) => ({ status: 200, body: await dashboard(deps, query) })),
]);
