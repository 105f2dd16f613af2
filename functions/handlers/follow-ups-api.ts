import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { followUpRoutes as routes } from '#messaging/follow-up-routes.js';
import * as followUps from '#messaging/follow-ups.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(messagingStore);

export const handler = httpHandler([
  operation(routes.createFollowUp, async ({ params, body }) => ({
    status: 201,
    body: await followUps.scheduleFollowUp(deps, scheduler, params.id, body),
  })),
  operation(routes.listFollowUps, async ({ params, query }) => ({
    status: 200,
    body: await followUps.listFollowUps(deps, params.id, query),
  })),
  operation(routes.cancelFollowUp, async ({ params }) => {
    await followUps.cancelFollowUp(deps, scheduler, params.id);
    return { status: 204 };
  }),
]);
