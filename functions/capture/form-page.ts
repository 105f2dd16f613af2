/** Server-rendered HTML for the hosted form page and the thank-you page. Every value is escaped. */
import { createHash } from 'node:crypto';
import type { ErrorDetail } from '#platform/errors.js';
import { escapeHtml, htmlCsp, page } from '#platform/http/html.js';
import { SYSTEM_FIELDS } from './forms.js';
import type { Form, FormField } from './model.js';

const INPUT_TYPES: Record<FormField['type'], string> = {
  email: 'email',
  text: 'text',
  tel: 'tel',
  textarea: 'textarea',
  number: 'number',
  checkbox: 'checkbox',
  hidden: 'hidden',
};

/** What a re-rendered form shows: the visitor's input, the problems at their fields, a message on top. */
export interface FormPageState {
  values?: Record<string, string>;
  errors?: ErrorDetail[];
  message?: string;
}

/**
 * The one script of the hosted form: it fills the hidden time zone input with the browser's IANA
 * zone, so a lead carries its time zone without being asked. Without JavaScript the form still
 * works; the contact then has no time zone.
 */
export const TIME_ZONE_SCRIPT = `try{document.getElementById("f-${SYSTEM_FIELDS.timeZone}").value=Intl.DateTimeFormat().resolvedOptions().timeZone}catch(e){}`;
const TIME_ZONE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(TIME_ZONE_SCRIPT).digest('base64')}'`;

/**
 * Who may frame the hosted form (its allowed origins, or anyone when it names none); the only script
 * allowed is the time zone script, by its hash.
 */
export const formPageCsp = (form: Form) =>
  `${htmlCsp(form.allowedOrigins?.join(' ') ?? '*')}; script-src ${TIME_ZONE_SCRIPT_HASH}`;

/** The hidden time zone input and its script, unless the form declares a field of that name itself. */
const timeZoneInput = (form: Form) =>
  form.fields.some((f) => f.name === SYSTEM_FIELDS.timeZone)
    ? ''
    : `<input type="hidden" id="f-${SYSTEM_FIELDS.timeZone}" name="${SYSTEM_FIELDS.timeZone}" value="">
<script>${TIME_ZONE_SCRIPT}</script>`;

/** "is required" at the field "Email" reads "Email is required"; a whole sentence stays as it is. */
const sentence = (label: string, message: string) =>
  /^(is|must) /.test(message) ? `${label} ${message}` : message;

const checked = (v: string | undefined) =>
  v !== undefined && ['on', 'true', '1', 'yes'].includes(v.toLowerCase());

function control(
  f: { name: string; label: string; type: FormField['type']; required: boolean },
  state: FormPageState,
) {
  const id = `f-${escapeHtml(f.name)}`;
  const name = escapeHtml(f.name);
  const value = state.values?.[f.name];
  const errors = (state.errors ?? []).filter((e) => e.path === f.name);
  const errorId = `${id}-error`;
  const invalid = errors.length > 0 ? ` aria-invalid="true" aria-describedby="${errorId}"` : '';
  const required = f.required ? ' required' : '';
  const error =
    errors.length > 0
      ? `<p class="error" id="${errorId}">${escapeHtml(errors.map((e) => sentence(f.label, e.message)).join('; '))}</p>`
      : '';
  if (f.type === 'hidden') return `<input type="hidden" name="${name}" value="${escapeHtml(value ?? '')}">`;
  if (f.type === 'checkbox') {
    return `<label for="${id}"><input id="${id}" type="checkbox" name="${name}" value="on"${checked(value) ? ' checked' : ''}${required}${invalid}> ${escapeHtml(f.label)}</label>${error}`;
  }
  const input =
    f.type === 'textarea'
      ? `<textarea id="${id}" name="${name}"${required}${invalid}>${escapeHtml(value ?? '')}</textarea>`
      : `<input id="${id}" type="${INPUT_TYPES[f.type]}" name="${name}"${value !== undefined ? ` value="${escapeHtml(value)}"` : ''}${required}${invalid}>`;
  return `<label for="${id}">${escapeHtml(f.label)}${f.required ? ' *' : ''}</label>${input}${error}`;
}

/**
 * The hosted form: a plain <form> that works without JavaScript, with honeypot, fill-time token and
 * the visitor's time zone (filled by the page's one script).
 */
export function renderFormPage(form: Form, action: string, token: string, state: FormPageState = {}): string {
  const consentField = form.consent
    ? control(
        {
          name: SYSTEM_FIELDS.consent,
          label: form.consent.text,
          type: 'checkbox',
          required: form.consent.required,
        },
        state,
      )
    : '';
  const errors = state.errors ?? [];
  const summary =
    errors.length > 0 || state.message
      ? `<div class="summary" role="alert" tabindex="-1"><p>${escapeHtml(state.message ?? 'Please correct the following:')}</p>${
          errors.length > 0
            ? `<ul>${errors
                .map((e) => {
                  const label =
                    form.fields.find((f) => f.name === e.path)?.label ??
                    (e.path === SYSTEM_FIELDS.consent ? 'Consent' : e.path);
                  return `<li><a href="#f-${escapeHtml(e.path)}">${escapeHtml(sentence(label, e.message))}</a></li>`;
                })
                .join('')}</ul>`
            : ''
        }</div>`
      : '';
  return page(
    form.name,
    `<h1>${escapeHtml(form.name)}</h1>${summary}
<form method="post" action="${escapeHtml(action)}">
${form.fields.map((f) => control(f, state)).join('\n')}
${consentField}
<div class="hp" aria-hidden="true"><label for="f-hp">Leave this empty</label><input id="f-hp" type="text" name="${SYSTEM_FIELDS.honeypot}" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="${SYSTEM_FIELDS.token}" value="${escapeHtml(token)}">
${timeZoneInput(form)}
<button type="submit">Submit</button>
</form>`,
  );
}

/** The visitor's acknowledgement (a support form's too: its case is answered by email). */
export const renderThankYou = (form: Form) =>
  page(
    form.name,
    form.case
      ? `<h1>Thank you</h1><p>We received your message and will answer you by email.</p>`
      : `<h1>Thank you</h1><p>We received your submission.</p>`,
  );
