import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import * as templates from '../core/templates.js';
import { deps } from '../shared/runtime.js';

export const handler = httpHandler([
  operation(api.createTemplate, async ({ body }) => ({
    status: 201,
    body: await templates.createTemplate(deps, body),
  })),
  operation(api.listTemplates, async ({ query }) => ({
    status: 200,
    body: await templates.listTemplates(deps, query),
  })),
  operation(api.getTemplate, async ({ params }) => ({
    status: 200,
    body: await templates.getTemplate(deps, params.id),
  })),
  operation(api.updateTemplate, async ({ params, body }) => ({
    status: 200,
    body: await templates.updateTemplate(deps, params.id, body),
  })),
  operation(api.previewTemplate, async ({ params, body }) => ({
    status: 200,
    body: await templates.previewTemplate(deps, params.id, body.contactId),
  })),
]);
