import { depsOf } from '#app/runtime.js';
import { segmentRoutes as routes } from '#insights/routes.js';
import * as segments from '#insights/segments.js';
import { insightsStore } from '#insights/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(insightsStore);

export const handler = httpHandler([
  operation(routes.createSegment, async ({ body }) => ({
    status: 201,
    body: await segments.createSegment(deps, body),
  })),
  operation(routes.previewSegment, async ({ body }) => ({
    status: 200,
    body: await segments.previewSegment(deps, body.filter),
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
]);
