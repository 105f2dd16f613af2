import { httpHandler, operation } from '../api/http.js';
import { contactIoRoutes as routes } from '../api/routes/contacts-io.js';
import { exportContacts, importContacts } from '../core/contact-io.js';
import { deps } from '../shared/runtime.js';

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
