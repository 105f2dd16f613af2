import { depsOf } from '#app/runtime.js';
import { withFormCache } from '#capture/form-cache.js';
import { renderFormPage, renderThankYou } from '#capture/form-page.js';
import { signFormToken } from '#capture/form-token.js';
import { getForm } from '#capture/forms.js';
import type { Form } from '#capture/model.js';
import { publicFormRoutes as routes } from '#capture/routes.js';
import { captureStore } from '#capture/store-dynamo.js';
import { originAllowed, type SubmitOutcome, submitForm } from '#capture/submission.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { type HttpResult, httpHandler, operation } from '#platform/http/handler.js';
import { logger } from '#platform/logger.js';

const deps = withFormCache(depsOf(captureStore));

function cors(form: Form, origin: string | undefined): Record<string, string> {
  if (!origin || !form.allowedOrigins || !originAllowed(form, origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function answer(
  outcome: SubmitOutcome,
  mediaType: string | undefined,
  origin: string | undefined,
): HttpResult {
  const { form } = outcome;
  // A bot gets the same answer as a person, with an id that leads nowhere; nothing was written.
  const contactId = outcome.kind === 'spam' ? deps.ids.next() : outcome.contactId;
  if (mediaType === 'application/x-www-form-urlencoded') {
    return form.redirectUrl
      ? { status: 303, headers: { location: form.redirectUrl } }
      : { status: 200, html: renderThankYou(form) };
  }
  const replay: Record<string, string> =
    outcome.kind === 'duplicate' ? { 'idempotent-replayed': 'true' } : {};
  return { status: 201, body: { contactId }, headers: { ...cors(form, origin), ...replay } };
}

export const handler = httpHandler([
  operation(routes.showPublicForm, async ({ params, event }) => {
    const form = await getForm(deps, params.formId);
    const token = signFormToken(await signingSecret(), form.id, Date.now());
    return { status: 200, html: renderFormPage(form, event.rawPath, token) };
  }),
  operation(routes.submitForm, async ({ params, query, body, headers, mediaType, event, metrics }) => {
    const outcome = await submitForm(
      deps,
      {
        formId: params.formId,
        values: body,
        query,
        idempotencyKey: headers['idempotency-key'],
        sourceIp: event.requestContext.http.sourceIp,
        userAgent: headers['user-agent'],
        referrer: headers.referer,
        origin: headers.origin,
      },
      await signingSecret(),
    );
    if (outcome.kind === 'spam') {
      logger.warn('form submission dropped as spam', { formId: params.formId, reason: outcome.reason });
      metrics.count('SubmissionDropped', 1, { reason: outcome.reason });
    } else if (outcome.kind === 'accepted') {
      metrics.count('LeadCaptured', 1, { created: String(outcome.created) });
    }
    return answer(outcome, mediaType, headers.origin);
  }),
  operation(routes.formPreflight, async ({ params, headers }) => {
    const form = await getForm(deps, params.formId);
    const allow = cors(form, headers.origin);
    return {
      status: 204,
      headers: Object.keys(allow).length
        ? {
            ...allow,
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': 'content-type, idempotency-key',
            'access-control-max-age': '600',
          }
        : {},
    };
  }),
]);
