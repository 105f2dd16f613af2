import { userDirectory } from '#access/user-directory.js';
import { resolveOwner } from '#access/users.js';
import { depsOf, table } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { s3Files } from '#platform/aws/files.js';
import { requireEnv } from '#platform/config.js';
import { notFound } from '#platform/errors.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import * as canned from '#service/canned.js';
import * as cases from '#service/cases.js';
import { caseRoutes as routes } from '#service/routes.js';
import { getServiceSettings, saveServiceSettings } from '#service/sla-settings.js';
import { serviceStore } from '#service/store-dynamo.js';

const deps = depsOf(serviceStore);
const files = s3Files(requireEnv('FILES_BUCKET'));
/** Assignees are users (GET /v1/users): a user's id, or a user's email taken as them; else a 400. */
const users = userDirectory();
const assigneeAt = (path: string) => (assignee: string) => resolveOwner(users, assignee, path);

/** The email side of replies, loaded with the first reply (most requests read). */
const replies = async () => {
  const [{ replyToCase }, { emailContext }] = await Promise.all([
    import('#service/replies.js'),
    import('#app/email-context.js'),
  ]);
  return { replyToCase, ctx: { ...emailContext, supportAddress: requireEnv('SUPPORT_EMAIL') } };
};

export const handler = httpHandler([
  operation(routes.listCannedResponses, async () => ({
    status: 200,
    body: { items: await canned.listCanned(deps) },
  })),
  operation(routes.createCannedResponse, async ({ body }) => ({
    status: 201,
    body: await canned.saveCanned(deps, undefined, body),
  })),
  operation(routes.updateCannedResponse, async ({ params, body }) => ({
    status: 200,
    body: await canned.saveCanned(deps, params.id, body),
  })),
  operation(routes.deleteCannedResponse, async ({ params }) => {
    await canned.deleteCanned(deps, params.id);
    return { status: 204 };
  }),
  operation(routes.renderCannedResponse, async ({ params, query }) => ({
    status: 200,
    // {{ agent }}: the name asked for, else the case's assignee's name (a user's; text from before users as it is).
    body: await canned.renderCanned(
      deps,
      params.id,
      params.responseId,
      query.agent ?? (await cases.assigneeName(deps, users, params.id)),
    ),
  })),
  operation(routes.getServiceSettings, async () => ({ status: 200, body: await getServiceSettings(deps) })),
  operation(routes.saveServiceSettings, async ({ body }) => ({
    status: 200,
    body: await saveServiceSettings(deps, body, assigneeAt('escalation.assignTo')),
  })),
  operation(routes.listCases, async ({ query }) => ({
    status: 200,
    body: await cases.listCases(deps, query),
  })),
  operation(routes.createCase, async ({ body }) => ({
    status: 201,
    body: await cases.openCase(deps, {
      ...body,
      ...(body.assignee !== undefined ? { assignee: await assigneeAt('assignee')(body.assignee) } : {}),
      scheduler,
      message: { kind: 'inbound', from: body.email, subject: body.subject, text: body.text, attachments: [] },
    }),
  })),
  operation(routes.getCase, async ({ params }) => ({
    status: 200,
    body: await cases.viewCase(deps, params.id),
  })),
  operation(routes.updateCase, async ({ params, body }) => ({
    status: 200,
    body: await cases.updateCase(deps, params.id, body, scheduler, assigneeAt('assignee')),
  })),
  operation(routes.replyToCase, async ({ params, body }) => {
    const { replyToCase, ctx } = await replies();
    return { status: 201, body: await replyToCase(deps, ctx, params.id, body, scheduler) };
  }),
  operation(routes.getAttachmentUrl, async ({ params, query }) => {
    const { messages } = await cases.viewCase(deps, params.id);
    const attachment = messages.flatMap((m) => m.attachments).find((a) => a.key === query.key);
    if (!attachment?.key) throw notFound('attachment', query.key);
    return { status: 200, body: { url: await files.downloadUrl(attachment.key, attachment.filename, 300) } };
  }),
  operation(routes.getCaseSuggestions, async ({ params }) => {
    const [{ case: c, messages }, { suggestArticles }, { knowledgeReads }] = await Promise.all([
      cases.viewCase(deps, params.id),
      import('#knowledge/suggest.js'),
      import('#knowledge/store-dynamo.js'),
    ]);
    const text = `${c.subject}\n${messages.find((m) => m.kind === 'inbound')?.text ?? ''}`;
    return { status: 200, body: { items: await suggestArticles({ store: knowledgeReads(table) }, text, 5) } };
  }),
  operation(routes.listContactCases, async ({ params, query }) => ({
    status: 200,
    body: await cases.listContactCases(deps, params.id, query),
  })),
]);
