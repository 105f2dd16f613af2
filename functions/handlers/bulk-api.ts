import { depsOf } from '#app/runtime.js';
import { cancelBulkAction, exportPerson, startBulkAction, viewBulkJob } from '#bulk/actions.js';
import { bulkRoutes as routes } from '#bulk/routes.js';
import { bulkStore } from '#bulk/store-dynamo.js';
import { s3Files } from '#platform/aws/files.js';
import { requireEnv } from '#platform/config.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(bulkStore);
const files = s3Files(requireEnv('FILES_BUCKET'));

export const handler = httpHandler([
  operation(routes.startBulkAction, async ({ body }) => ({
    status: 202,
    body: await startBulkAction(deps, body),
  })),
  operation(routes.getBulkAction, async ({ params }) => ({
    status: 200,
    body: await viewBulkJob(deps, files, params.id),
  })),
  operation(routes.exportPerson, async ({ params }) => ({
    status: 202,
    body: await exportPerson(deps, params.id),
  })),
  operation(routes.cancelBulkAction, async ({ params }) => ({
    status: 200,
    body: await cancelBulkAction(deps, params.id),
  })),
]);
