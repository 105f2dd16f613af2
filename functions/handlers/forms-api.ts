import { depsOf } from '#app/runtime.js';
import * as forms from '#capture/forms.js';
import { formRoutes as routes } from '#capture/routes.js';
import { captureStore } from '#capture/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(captureStore);

export const handler = httpHandler([
  operation(routes.createForm, async ({ body }) => ({
    status: 201,
    body: await forms.createForm(deps, body),
  })),
  operation(routes.listForms, async ({ query }) => ({
    status: 200,
    body: await forms.listForms(deps, query),
  })),
  operation(routes.getForm, async ({ params }) => ({
    status: 200,
    body: await forms.getForm(deps, params.id),
  })),
  operation(routes.listDroppedSubmissions, async ({ params, query }) => ({
    status: 200,
    body: await forms.listDroppedSubmissions(deps, params.id, query),
  })),
]);
