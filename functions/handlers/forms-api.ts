import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import * as forms from '../core/forms.js';
import { deps } from '../shared/runtime.js';

export const handler = httpHandler([
  operation(api.createForm, async ({ body }) => ({ status: 201, body: await forms.createForm(deps, body) })),
  operation(api.listForms, async ({ query }) => ({ status: 200, body: await forms.listForms(deps, query) })),
  operation(api.getForm, async ({ params }) => ({ status: 200, body: await forms.getForm(deps, params.id) })),
]);
