import { depsOf } from '#app/runtime.js';
import { exportContacts, importContacts } from '#contacts/import-export.js';
import { contactIoRoutes as routes } from '#contacts/import-export-routes.js';
import { contactsStore } from '#contacts/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(contactsStore);

export const handler = httpHandler([
  operation(routes.importContacts, async ({ body }) => ({
    status: 200,
    body: await importContacts(deps, body),
  })),
  operation(routes.exportContacts, async ({ query }) => {
    const { csv, nextCursor } = await exportContacts(deps, query);
    return {
      status: 200,
      csv: { body: csv, filename: 'tendril-contacts.csv' },
      ...(nextCursor ? { headers: { 'x-next-cursor': nextCursor } } : {}),
    };
  }),
]);
