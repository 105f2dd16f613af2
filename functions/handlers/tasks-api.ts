import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import * as followUps from '../core/follow-ups.js';
import * as tasks from '../core/tasks.js';
import { deps } from '../shared/runtime.js';
import { scheduler } from '../shared/scheduler-config.js';

export const handler = httpHandler([
  operation(api.createTask, async ({ body }) => ({
    status: 201,
    body: await tasks.createTask(deps, scheduler, body),
  })),
  operation(api.listTasks, async ({ query }) => ({ status: 200, body: await tasks.listTasks(deps, query) })),
  operation(api.getTask, async ({ params }) => ({ status: 200, body: await tasks.getTask(deps, params.id) })),
  operation(api.patchTask, async ({ params, body }) => ({
    status: 200,
    body: await tasks.updateTask(deps, scheduler, params.id, body),
  })),
  operation(api.createFollowUp, async ({ params, body }) => ({
    status: 201,
    body: await followUps.scheduleFollowUp(deps, scheduler, params.id, body),
  })),
  operation(api.listFollowUps, async ({ params, query }) => ({
    status: 200,
    body: await followUps.listFollowUps(deps, params.id, query),
  })),
  operation(api.cancelFollowUp, async ({ params }) => {
    await followUps.cancelFollowUp(deps, scheduler, params.id);
    return { status: 204 };
  }),
]);
