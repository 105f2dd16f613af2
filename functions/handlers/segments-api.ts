import { depsOf } from '#app/runtime.js';
import { automationReads } from '#automation/store-dynamo.js';
import { segmentRoutes as routes } from '#insights/routes.js';
import * as segments from '#insights/segments.js';
import { deleteSegment, updateSegment } from '#insights/segments-edit.js';
import { insightsStore } from '#insights/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

// A delete refused by a workflow names it: automation's read of a workflow, beside insights' store.
const deps = depsOf((table) => ({
  ...insightsStore(table),
  getWorkflow: automationReads(table).getWorkflow,
}));

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
  operation(routes.updateSegment, async ({ params, body }) => ({
    status: 200,
    body: await updateSegment(deps, params.id, body),
  })),
  operation(routes.deleteSegment, async ({ params, query }) => {
    await deleteSegment(deps, params.id, query.version);
    return { status: 204 };
  }),
  operation(routes.segmentContacts, async ({ params, query }) => ({
    status: 200,
    body: await segments.segmentContacts(deps, params.id, query),
  })),
]);
