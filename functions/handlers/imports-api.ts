import { depsOf } from '#app/runtime.js';
import * as imports from '#imports/imports.js';
import { importRoutes as routes } from '#imports/routes.js';
import { importsStore } from '#imports/store-dynamo.js';
import { s3Files } from '#platform/aws/files.js';
import { requireEnv } from '#platform/config.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(importsStore);
const files = s3Files(requireEnv('FILES_BUCKET'));

export const handler = httpHandler([
  operation(routes.createImport, async ({ body }) => ({
    status: 201,
    body: await imports.createImport(deps, files, body),
  })),
  operation(routes.completeImportUpload, async ({ params, body }) => ({
    status: 200,
    body: await imports.completeUpload(deps, files, params.id, body.parts),
  })),
  operation(routes.listImports, async ({ query }) => ({
    status: 200,
    body: await imports.listImports(deps, query),
  })),
  operation(routes.getImport, async ({ params }) => ({
    status: 200,
    body: await imports.viewImport(deps, params.id),
  })),
  operation(routes.previewImport, async ({ params }) => ({
    status: 200,
    body: await imports.previewImport(deps, files, params.id),
  })),
  operation(routes.startImport, async ({ params, body }) => ({
    status: 202,
    body: await imports.startImport(deps, files, params.id, body),
  })),
  operation(routes.cancelImport, async ({ params }) => ({
    status: 200,
    body: await imports.cancelImport(deps, params.id),
  })),
  operation(routes.importErrors, async ({ params, query }) => {
    const { csv, nextCursor } = await imports.rowErrorsCsv(deps, params.id, query.cursor);
    return {
      status: 200,
      csv: { body: csv, filename: `import-${params.id}-errors.csv` },
      ...(nextCursor ? { headers: { 'x-next-cursor': nextCursor } } : {}),
    };
  }),
  operation(routes.importContacts, async ({ query, body }) => ({
    status: 202,
    body: await imports.importFromBody(deps, files, body, query),
  })),
]);
