import { userDirectory } from '#access/user-directory.js';
import { ownerChecked } from '#access/users.js';
import { depsOf } from '#app/runtime.js';
import { contactsReads } from '#contacts/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { contactDealReads } from '#sales/contact-deals.js';
import { dealsOfContact } from '#sales/contact-records.js';
import { contactSalesRoutes } from '#sales/contact-routes.js';
import { deleteDeal, listDeals } from '#sales/deals.js';
import { pipelineForecast } from '#sales/forecast.js';
import * as sales from '#sales/pipelines.js';
import { salesRoutes as routes } from '#sales/routes.js';
import { editStages } from '#sales/stage-editor.js';
import { salesStore } from '#sales/store-dynamo.js';

const deps = depsOf(salesStore);
/** A deal's owner given in a write must be a user (GET /v1/users). */
const users = userDirectory();
const contactDeps = depsOf((table) => ({ ...contactsReads(table), ...contactDealReads(table) }));

export const handler = httpHandler([
  operation(routes.createPipeline, async ({ body }) => ({
    status: 201,
    body: await sales.createPipeline(deps, body),
  })),
  operation(routes.listPipelines, async ({ query }) => ({
    status: 200,
    body: await sales.listPipelines(deps, query),
  })),
  operation(routes.getPipeline, async ({ params }) => ({
    status: 200,
    body: await sales.getPipeline(deps, params.id),
  })),
  operation(routes.pipelineBoard, async ({ params }) => ({
    status: 200,
    body: await sales.pipelineBoard(deps, params.id),
  })),
  operation(routes.pipelineForecast, async ({ params }) => ({
    status: 200,
    body: await pipelineForecast(deps, params.id),
  })),
  operation(routes.createDeal, async ({ body }) => ({
    status: 201,
    body: await sales.createDeal(deps, await ownerChecked(users, body)),
  })),
  operation(routes.getDeal, async ({ params }) => ({
    status: 200,
    body: await sales.getDeal(deps, params.id),
  })),
  operation(routes.patchDeal, async ({ params, body }) => ({
    status: 200,
    body: await sales.updateDeal(deps, params.id, await ownerChecked(users, body)),
  })),
  operation(routes.listDeals, async ({ query }) => ({
    status: 200,
    body: await listDeals(deps, query),
  })),
  operation(routes.deleteDeal, async ({ params, query }) => {
    await deleteDeal(deps, params.id, query.version);
    return { status: 204 };
  }),
  operation(routes.editStages, async ({ params, body }) => ({
    status: 200,
    body: await editStages(deps, params.id, body),
  })),
  operation(contactSalesRoutes.listContactDeals, async ({ params }) => ({
    status: 200,
    body: await dealsOfContact(contactDeps, params.id),
  })),
]);
