import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { salesStore } from '#sales/store-dynamo.js';
import { taskRoutes as routes } from '#sales/task-routes.js';
import * as tasks from '#sales/tasks.js';

const deps = depsOf(salesStore);

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
]);
