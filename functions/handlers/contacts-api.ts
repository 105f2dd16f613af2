import { api } from '../api/contract.js';
import { httpHandler, operation } from '../api/http.js';
import * as contacts from '../core/contacts.js';
import { deps } from '../shared/runtime.js';

export const handler = httpHandler([
  operation(api.createContact, async ({ body }) => ({
    status: 201,
    body: await contacts.createContact(deps, body),
  })),
  operation(api.listContacts, async ({ query }) => ({
    status: 200,
    body: await contacts.listContacts(deps, query),
  })),
  operation(api.getContact, async ({ params }) => ({
    status: 200,
    body: await contacts.getContact(deps, params.id),
  })),
  operation(api.patchContact, async ({ params, body }) => ({
    status: 200,
    body: await contacts.updateContact(deps, params.id, body),
  })),
  operation(api.deleteContact, async ({ params }) => {
    await contacts.deleteContact(deps, params.id);
    return { status: 204 };
  }),
  operation(api.addTags, async ({ params, body }) => ({
    status: 200,
    body: await contacts.addTags(deps, params.id, body.tags),
  })),
  operation(api.removeTag, async ({ params }) => {
    await contacts.removeTag(deps, params.id, params.tag);
    return { status: 204 };
  }),
  operation(api.listActivities, async ({ params, query }) => ({
    status: 200,
    body: await contacts.listActivities(deps, params.id, query),
  })),
  operation(api.createActivity, async ({ params, body }) => ({
    status: 201,
    body: await contacts.recordActivity(deps, params.id, body),
  })),
]);
