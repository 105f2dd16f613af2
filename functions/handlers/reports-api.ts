import { depsOf } from '#app/runtime.js';
import { dashboard } from '#insights/dashboard.js';
import { reportRoutes as routes } from '#insights/report-routes.js';
import { dealAttribution } from '#insights/source-revenue.js';
import { insightsStore } from '#insights/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(insightsStore);

export const handler = httpHandler([
  operation(routes.dashboard, async ({ query }) => ({ status: 200, body: await dashboard(deps, query) })),
  operation(routes.listWonDeals, async ({ query }) => ({
    status: 200,
    body: await deps.store.listWonDeals(query),
  })),
  operation(routes.getDealAttribution, async ({ params }) => ({
    status: 200,
    body: await dealAttribution(deps, params.id),
  })),
]);
