import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { chooseWinner } from '#campaigns/ab-test.js';
import * as campaigns from '#campaigns/campaigns.js';
import { scheduleTimeOf } from '#campaigns/local-time.js';
import { campaignRoutes as routes } from '#campaigns/routes.js';
import { campaignsStore } from '#campaigns/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(campaignsStore);

export const handler = httpHandler([
  operation(routes.audienceSize, async ({ body }) => ({
    status: 200,
    body: await campaigns.audienceSize(deps, body),
  })),
  operation(routes.createCampaign, async ({ body }) => ({
    status: 201,
    body: await campaigns.createCampaign(deps, body),
  })),
  operation(routes.listCampaigns, async ({ query }) => ({
    status: 200,
    body: await campaigns.listCampaigns(deps, query),
  })),
  operation(routes.getCampaign, async ({ params }) => ({
    status: 200,
    body: await campaigns.getCampaign(deps, params.id),
  })),
  operation(routes.updateCampaign, async ({ params, body }) => ({
    status: 200,
    body: await campaigns.updateCampaign(deps, params.id, body),
  })),
  operation(routes.sendCampaign, async ({ params }) => ({
    status: 202,
    body: await campaigns.sendCampaign(deps, scheduler, params.id),
  })),
  operation(routes.scheduleCampaign, async ({ params, body }) => ({
    status: 200,
    body: await campaigns.scheduleCampaign(deps, scheduler, params.id, scheduleTimeOf(body)),
  })),
  operation(routes.unscheduleCampaign, async ({ params }) => ({
    status: 200,
    body: await campaigns.unscheduleCampaign(deps, scheduler, params.id),
  })),
  operation(routes.pauseCampaign, async ({ params }) => ({
    status: 200,
    body: await campaigns.pauseCampaign(deps, params.id),
  })),
  operation(routes.resumeCampaign, async ({ params }) => ({
    status: 200,
    body: await campaigns.resumeCampaign(deps, params.id),
  })),
  operation(routes.chooseWinner, async ({ params, body }) => {
    const chosen = await chooseWinner(deps, scheduler, params.id, { variant: body.variant });
    if (chosen.outcome !== 'chosen') throw new Error(`a manual choice was ${chosen.outcome}`);
    return { status: 200, body: chosen.view };
  }),
  operation(routes.cancelCampaign, async ({ params }) => ({
    status: 200,
    body: await campaigns.cancelCampaign(deps, scheduler, params.id),
  })),
]);
