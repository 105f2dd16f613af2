import { renderFormPage, renderThankYou } from '../api/form-page.js';
import { type HttpResult, httpHandler, operation } from '../api/http.js';
import { publicFormRoutes as routes } from '../api/routes/forms.js';
import { signFormToken } from '../core/form-token.js';
import { getForm, originAllowed, type SubmitOutcome, submitForm } from '../core/forms.js';
import type { Form } from '../core/model.js';
import { withFormCache } from '../shared/form-cache.js';
import { logger } from '../shared/logger.js';
import { deps as baseDeps } from '../shared/runtime.js';
import { signingSecret } from '../shared/signing-secret.js';

const deps = withFormCache(baseDeps);

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
    const token = signFormToken(signingSecret, form.id, Date.now());
    return { status: 200, html: renderFormPage(form, event.rawPath, token) };
  }),
  operation(routes.submitForm, async ({ params, query, body, headers, mediaType, event }) => {
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
      signingSecret,
    );
    if (outcome.kind === 'spam')
      logger.warn('form submission dropped as spam', { formId: params.formId, reason: outcome.reason });
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
