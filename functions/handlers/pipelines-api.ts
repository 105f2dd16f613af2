import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import * as sales from '../core/sales.js';
import { deps } from '../shared/runtime.js';

export const handler = httpHandler([
  operation(api.createPipeline, async ({ body }) => ({
    status: 201,
    body: await sales.createPipeline(deps, body),
  })),
  operation(api.listPipelines, async ({ query }) => ({
    status: 200,
    body: await sales.listPipelines(deps, query),
  })),
  operation(api.getPipeline, async ({ params }) => ({
    status: 200,
    body: await sales.getPipeline(deps, params.id),
  })),
  operation(api.pipelineBoard, async ({ params }) => ({
    status: 200,
    body: await sales.pipelineBoard(deps, params.id),
  })),
  operation(api.createDeal, async ({ body }) => ({ status: 201, body: await sales.createDeal(deps, body) })),
  operation(api.getDeal, async ({ params }) => ({ status: 200, body: await sales.getDeal(deps, params.id) })),
  operation(api.patchDeal, async ({ params, body }) => ({
    status: 200,
    body: await sales.updateDeal(deps, params.id, body),
  })),
]);
