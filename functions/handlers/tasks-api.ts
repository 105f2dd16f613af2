import { httpHandler, operation } from '../api/http.js';
import { taskRoutes as routes } from '../api/routes/tasks.js';
import * as followUps from '../core/follow-ups.js';
import * as tasks from '../core/tasks.js';
import { deps } from '../shared/runtime.js';
import { scheduler } from '../shared/scheduler-config.js';

export const handler = httpHandler([
  operation(routes.createTask, async ({ body }) => ({
    status: 201,
    body: await tasks.createTask(deps, scheduler, body),
  })),
  operation(routes.listTasks, async ({ query }) => ({
    status: 200,
    body: await tasks.listTasks(deps, query),
  })),
  operation(routes.getTask, async ({ params }) => ({
    status: 200,
    body: await tasks.getTask(deps, params.id),
  })),
  operation(routes.patchTask, async ({ params, body }) => ({
    status: 200,
    body: await tasks.updateTask(deps, scheduler, params.id, body),
  })),
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
