import { httpHandler, operation } from '../api/http.js';
import { formRoutes as routes } from '../api/routes/forms.js';
import * as forms from '../core/forms.js';
import { deps } from '../shared/runtime.js';

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
]);
