import { depsOf } from '#app/runtime.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { templateRoutes as routes } from '#messaging/template-routes.js';
import * as templates from '#messaging/templates.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(messagingStore);

export const handler = httpHandler([
  operation(routes.createTemplate, async ({ body }) => ({
    status: 201,
    body: await templates.createTemplate(deps, body),
  })),
  operation(routes.listTemplates, async ({ query }) => ({
    status: 200,
    body: await templates.listTemplates(deps, query),
  })),
  operation(routes.getTemplate, async ({ params }) => ({
    status: 200,
    body: await templates.getTemplate(deps, params.id),
  })),
  operation(routes.updateTemplate, async ({ params, body }) => ({
    status: 200,
    body: await templates.updateTemplate(deps, params.id, body),
  })),
  operation(routes.previewTemplate, async ({ params, body }) => ({
    status: 200,
    body: await templates.previewTemplate(deps, params.id, body.contactId),
  })),
  operation(routes.renderTemplateDraft, async ({ body }) => {
    const { renderDraft } = await import('#messaging/template-drafts.js');
    return { status: 200, body: await renderDraft(deps, body) };
  }),
  operation(routes.sendTestTemplate, async ({ params, body }) => {
    // The mailer (SES, the account's shared rate) is loaded by the first test send only.
    const [{ sendTestEmail }, { emailContext }] = await Promise.all([
      import('#messaging/template-drafts.js'),
      import('#app/email-context.js'),
    ]);
    return { status: 202, body: await sendTestEmail(deps, emailContext.mailer, params.id, body) };
  }),
]);
