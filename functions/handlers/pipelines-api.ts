import { depsOf } from '#app/runtime.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { pipelineForecast } from '#sales/forecast.js';
import * as sales from '#sales/pipelines.js';
import { salesRoutes as routes } from '#sales/routes.js';
import { salesStore } from '#sales/store-dynamo.js';

const deps = depsOf(salesStore);

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
    body: await sales.createDeal(deps, body),
  })),
  operation(routes.getDeal, async ({ params }) => ({
    status: 200,
    body: await sales.getDeal(deps, params.id),
  })),
  operation(routes.patchDeal, async ({ params, body }) => ({
    status: 200,
    body: await sales.updateDeal(deps, params.id, body),
  })),
]);
