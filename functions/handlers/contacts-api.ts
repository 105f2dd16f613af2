import { userDirectory } from '#access/user-directory.js';
import { ownerChecked } from '#access/users.js';
import { depsOf } from '#app/runtime.js';
import * as fields from '#contacts/field-definitions.js';
import { fieldRoutes, contactRoutes as routes } from '#contacts/routes.js';
import * as contacts from '#contacts/rules.js';
import { contactsStore } from '#contacts/store-dynamo.js';
import * as views from '#contacts/views.js';
import { listContactsInOrder } from '#contacts/views-list.js';
import { contactViewRoutes } from '#contacts/views-routes.js';
import { contactCount } from '#insights/contact-counts.js';
import { insightsReads } from '#insights/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { searchContacts } from '#search/search.js';
import { searchStore } from '#search/store-dynamo.js';

const deps = depsOf(contactsStore);
const searchDeps = depsOf(searchStore);
/** The counters the dashboard projection keeps (a list's total). */
const counterDeps = depsOf(insightsReads);
/** A contact's owner given in a write must be a user (GET /v1/users). */
const users = userDirectory();

export const handler = httpHandler([
  operation(fieldRoutes.listFields, async () => ({
    status: 200,
    body: { items: await deps.store.listFieldDefinitions() },
  })),
  operation(fieldRoutes.createField, async ({ body }) => ({
    status: 201,
    body: await fields.createFieldDefinition(deps, body),
  })),
  operation(fieldRoutes.updateField, async ({ params, body }) => ({
    status: 200,
    body: await fields.updateFieldDefinition(deps, params.name, body),
  })),
  operation(routes.createContact, async ({ body }) => ({
    status: 201,
    body: await contacts.createContact(deps, await ownerChecked(users, body)),
  })),
  operation(routes.listContacts, async ({ query }) => ({
    status: 200,
    // `q`: the search index (functions/search/); tag and email: the contacts context's own reads.
    body:
      query.q !== undefined
        ? await searchContacts(searchDeps, { ...query, q: query.q })
        : await listContactsInOrder(deps, query),
  })),
  operation(contactViewRoutes.countContacts, async ({ query }) => ({
    status: 200,
    body: await contactCount(counterDeps, query),
  })),
  operation(contactViewRoutes.listContactViews, async () => ({
    status: 200,
    body: { items: await views.listContactViews(deps) },
  })),
  operation(contactViewRoutes.createContactView, async ({ body }) => ({
    status: 201,
    body: await views.createContactView(deps, body),
  })),
  operation(contactViewRoutes.getContactView, async ({ params }) => ({
    status: 200,
    body: await views.getContactView(deps, params.id),
  })),
  operation(contactViewRoutes.updateContactView, async ({ params, body }) => ({
    status: 200,
    body: await views.updateContactView(deps, params.id, body),
  })),
  operation(contactViewRoutes.deleteContactView, async ({ params, query }) => {
    await views.deleteContactView(deps, params.id, query.version);
    return { status: 204 };
  }),
  operation(routes.getContact, async ({ params }) => ({
    status: 200,
    body: await contacts.getContact(deps, params.id),
  })),
  operation(routes.patchContact, async ({ params, body }) => ({
    status: 200,
    body: await contacts.updateContact(deps, params.id, await ownerChecked(users, body)),
  })),
  operation(routes.deleteContact, async ({ params }) => {
    await contacts.deleteContact(deps, params.id);
    return { status: 204 };
  }),
  operation(routes.addTags, async ({ params, body }) => ({
    status: 200,
    body: await contacts.addTags(deps, params.id, body.tags),
  })),
  operation(routes.removeTag, async ({ params }) => {
    await contacts.removeTag(deps, params.id, params.tag);
    return { status: 204 };
  }),
  operation(routes.listActivities, async ({ params, query }) => ({
    status: 200,
    body: await contacts.listActivities(deps, params.id, query),
  })),
  operation(routes.createActivity, async ({ params, body }) => ({
    status: 201,
    body: await contacts.recordActivity(deps, params.id, body),
  })),
]);
