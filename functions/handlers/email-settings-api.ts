import { depsOf } from '#app/runtime.js';
import { getEmailSettings, saveEmailSettings } from '#messaging/settings.js';
import { emailSettingsRoutes as routes } from '#messaging/settings-routes.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(messagingStore);

export const handler = httpHandler([
  operation(routes.getEmailSettings, async () => ({ status: 200, body: await getEmailSettings(deps) })),
  operation(routes.saveEmailSettings, async ({ body }) => ({
    status: 200,
    body: await saveEmailSettings(deps, body),
  })),
]);
