import { depsOf } from '#app/runtime.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { scoringRoutes as routes } from '#scoring/routes.js';
import * as scoring from '#scoring/scoring.js';
import { scoringStore } from '#scoring/store-dynamo.js';

const deps = depsOf(scoringStore);

export const handler = httpHandler([
  operation(routes.getScoringSettings, async () => ({
    status: 200,
    body: await scoring.getScoringSettings(deps),
  })),
  operation(routes.saveScoringSettings, async ({ body }) => ({
    status: 200,
    body: await scoring.saveScoringSettings(deps, body),
  })),
  operation(routes.getContactStanding, async ({ params }) => ({
    status: 200,
    body: await scoring.viewStanding(deps, params.id),
  })),
  operation(routes.setLifecycleStage, async ({ params, body }) => ({
    status: 200,
    body: await scoring.setStage(deps, params.id, body),
  })),
]);
