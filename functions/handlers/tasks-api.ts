import { userDirectory } from '#access/user-directory.js';
import { userRoutes } from '#access/user-routes.js';
import { type Claims, ownerChecked, resolveOwner, signedInUser } from '#access/users.js';
import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { contactsReads } from '#contacts/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { tasksOfContact } from '#sales/contact-records.js';
import { contactSalesRoutes } from '#sales/contact-routes.js';
import { contactTaskReads } from '#sales/contact-tasks.js';
import { salesStore } from '#sales/store-dynamo.js';
import { taskRoutes as routes } from '#sales/task-routes.js';
import * as tasks from '#sales/tasks.js';

const deps = depsOf(salesStore);
const contactDeps = depsOf((table) => ({ ...contactsReads(table), ...contactTaskReads(table) }));
const users = userDirectory();
/** The signed-in user's token claims, as the JWT authorizer (or local mode's gateway) passes them. */
const claimsOf = (event: { requestContext: unknown }): Claims | undefined =>
  (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;

export const handler = httpHandler([
  operation(routes.createTask, async ({ body }) => ({
    status: 201,
    body: await tasks.createTask(deps, scheduler, await ownerChecked(users, body)),
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
    body: await tasks.updateTask(deps, scheduler, params.id, body, (owner) => resolveOwner(users, owner)),
  })),
  operation(userRoutes.listUsers, async () => ({ status: 200, body: { items: await users.list() } })),
  operation(userRoutes.getMe, async ({ event }) => ({
    status: 200,
    body: await signedInUser(users, claimsOf(event)),
  })),
  operation(userRoutes.createUser, async ({ body }) => ({ status: 201, body: await users.add(body) })),
  operation(contactSalesRoutes.listContactTasks, async ({ params, query }) => ({
    status: 200,
    body: await tasksOfContact(contactDeps, params.id, query.status),
  })),
]);
