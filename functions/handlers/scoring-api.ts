import { depsOf } from '#app/runtime.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import * as predictions from '#predictions/predictions.js';
import { predictionRoutes } from '#predictions/routes.js';
import { predictionsStore } from '#predictions/store-dynamo.js';
import { scoringRoutes as routes } from '#scoring/routes.js';
import * as scoring from '#scoring/scoring.js';
import { scoringStore } from '#scoring/store-dynamo.js';

const deps = depsOf(scoringStore);
const predictionDeps = depsOf(predictionsStore);

export const handler = httpHandler([
  operation(routes.listStandings, async ({ query }) => ({
    status: 200,
    body: { items: await scoring.standingsOf(deps, query.ids) },
  })),
  operation(routes.listContactsInStage, async ({ params, query }) => ({
    status: 200,
    body: await scoring.contactsInStage(deps, params.stage, query),
  })),
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
  operation(predictionRoutes.getContactPrediction, async ({ params }) => ({
    status: 200,
    body: await predictions.predictContact(predictionDeps, params.id),
  })),
  operation(predictionRoutes.getPredictionModel, async () => ({
    status: 200,
    body: await predictions.viewModel(predictionDeps),
  })),
  operation(predictionRoutes.listPredictions, async ({ query }) => ({
    status: 200,
    body: { items: await predictions.likelihoodsOf(predictionDeps, query.ids) },
  })),
  operation(predictionRoutes.listContactsInBand, async ({ params, query }) => ({
    status: 200,
    body: await predictions.contactsInBand(predictionDeps, params.band, query),
  })),
]);
