import { depsOf } from '#app/runtime.js';
import { appStore } from '#app/store.js';
import { cancelBulkAction, getBulkJob, startBulkAction } from '#bulk/actions.js';
import { bulkRoutes as routes } from '#bulk/routes.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(appStore);

export const handler = httpHandler([
  operation(routes.startBulkAction, async ({ body }) => ({
    status: 202,
    body: await startBulkAction(deps, body),
  })),
  operation(routes.getBulkAction, async ({ params }) => ({
    status: 200,
    body: await getBulkJob(deps, params.id),
  })),
  operation(routes.cancelBulkAction, async ({ params }) => ({
    status: 200,
    body: await cancelBulkAction(deps, params.id),
  })),
]);
