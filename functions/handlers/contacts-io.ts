import { depsOf } from '#app/runtime.js';
import { exportContacts } from '#contacts/export.js';
import { contactIoRoutes as routes } from '#contacts/export-routes.js';
import { contactsStore } from '#contacts/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(contactsStore);

export const handler = httpHandler([
  operation(routes.exportContacts, async ({ query }) => {
    const { csv, nextCursor } = await exportContacts(deps, query);
    return {
      status: 200,
      csv: { body: csv, filename: 'tendril-contacts.csv' },
      ...(nextCursor ? { headers: { 'x-next-cursor': nextCursor } } : {}),
    };
  }),
]);
