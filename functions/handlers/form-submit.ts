import { depsOf } from '#app/runtime.js';
import { withFormCache } from '#capture/form-cache.js';
import { formPageCsp, renderFormPage, renderThankYou } from '#capture/form-page.js';
import { FORM_TOKEN_MAX_AGE_MS, rerenderToken, signFormToken } from '#capture/form-token.js';
import { getForm, SYSTEM_FIELDS } from '#capture/forms.js';
import type { Form } from '#capture/model.js';
import { submittedText } from '#capture/parse.js';
import { publicFormRoutes as routes } from '#capture/routes.js';
import { captureStore } from '#capture/store-dynamo.js';
import { originAllowed, type SubmitOutcome, submitForm, TOKEN_ERRORS } from '#capture/submission.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { DomainError, type ErrorDetail } from '#platform/errors.js';
import { clientIp } from '#platform/http/client-ip.js';
import { type HttpResult, httpHandler, operation } from '#platform/http/handler.js';
import { logger } from '#platform/logger.js';

const deps = withFormCache(depsOf(captureStore));

function cors(form: Form, origin: string | undefined): Record<string, string> {
  if (!origin || !form.allowedOrigins || !originAllowed(form, origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

const htmlHeaders = (form: Form) => ({
  'content-security-policy': formPageCsp(form),
  'cache-control': 'no-store',
});

/** A bot gets the same answer as a person (its submission id leads nowhere a bot can see). */
function answer(
  outcome: SubmitOutcome,
  mediaType: string | undefined,
  origin: string | undefined,
): HttpResult {
  const { form } = outcome;
  if (mediaType === 'application/x-www-form-urlencoded') {
    return form.redirectUrl
      ? { status: 303, headers: { location: form.redirectUrl } }
      : { status: 200, html: renderThankYou(form), headers: htmlHeaders(form) };
  }
  const replay: Record<string, string> =
    outcome.kind === 'duplicate' ? { 'idempotent-replayed': 'true' } : {};
  return {
    status: 201,
    body: { submissionId: outcome.submissionId },
    headers: { ...cors(form, origin), ...replay },
  };
}

/** A browser's post refused for its content: the form again, with the problems at their fields and the input kept. */
async function rerender(
  err: DomainError,
  formId: string,
  body: Record<string, unknown>,
  action: string,
): Promise<HttpResult> {
  const form = await getForm(deps, formId);
  const tokenError = err.code === TOKEN_ERRORS.expired || err.code === TOKEN_ERRORS.used;
  const token = rerenderToken(
    await signingSecret(),
    form,
    body[SYSTEM_FIELDS.token],
    deps.clock.now(),
    deps.ids.next(),
    !tokenError,
  );
  const errors = Array.isArray(err.details) ? (err.details as ErrorDetail[]) : [];
  const html = renderFormPage(form, action, token, {
    values: submittedText(body),
    errors,
    ...(tokenError || errors.length === 0 ? { message: err.message } : {}),
  });
  return { status: 400, html, headers: htmlHeaders(form) };
}

export const handler = httpHandler([
  operation(routes.showPublicForm, async ({ params, event }) => {
    const form = await getForm(deps, params.formId);
    const token = signFormToken(await signingSecret(), form.id, deps.clock.now().getTime(), deps.ids.next());
    return { status: 200, html: renderFormPage(form, event.rawPath, token), headers: htmlHeaders(form) };
  }),
  operation(routes.formToken, async ({ params, headers }) => {
    const form = await getForm(deps, params.formId);
    const issuedAt = deps.clock.now().getTime();
    const token = signFormToken(await signingSecret(), form.id, issuedAt, deps.ids.next());
    return {
      status: 200,
      body: { token, expiresAt: new Date(issuedAt + FORM_TOKEN_MAX_AGE_MS).toISOString() },
      // Any page may fetch a token for a form open to any origin; else only its allowed origins.
      headers: {
        ...(form.allowedOrigins ? cors(form, headers.origin) : { 'access-control-allow-origin': '*' }),
        'cache-control': 'no-store',
      },
    };
  }),
  operation(routes.submitForm, async ({ params, query, body, headers, mediaType, event, metrics }) => {
    let outcome: SubmitOutcome;
    try {
      outcome = await submitForm(
        deps,
        {
          formId: params.formId,
          values: body,
          query,
          idempotencyKey: headers['idempotency-key'],
          sourceIp: clientIp(event),
          userAgent: headers['user-agent'],
          referrer: headers.referer,
          origin: headers.origin,
        },
        await signingSecret(),
      );
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'rate_limited')
        metrics.count('SubmissionRateLimited', 1);
      if (
        err instanceof DomainError &&
        err.kind === 'invalid' &&
        mediaType === 'application/x-www-form-urlencoded'
      ) {
        return rerender(err, params.formId, body, event.rawPath);
      }
      throw err;
    }
    if (outcome.kind === 'dropped') {
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
            'access-control-allow-methods': 'GET, POST',
            'access-control-allow-headers': 'content-type, idempotency-key',
            'access-control-max-age': '600',
          }
        : {},
    };
  }),
]);
