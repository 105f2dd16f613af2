/** Server-rendered HTML for the hosted form page and the thank-you page. Every value is escaped. */

import { escapeHtml, page } from '#platform/http/html.js';
import { SYSTEM_FIELDS } from './forms.js';
import type { Form } from './model.js';

const INPUT_TYPES: Record<Form['fields'][number]['type'], string> = {
  email: 'email',
  text: 'text',
  tel: 'tel',
  textarea: 'textarea',
  number: 'number',
  checkbox: 'checkbox',
  hidden: 'hidden',
};

/** The hosted form: a plain <form> that works without JavaScript, with honeypot and fill-time token. */
export function renderFormPage(form: Form, action: string, token: string): string {
  const fields = form.fields
    .map((f) => {
      const id = `f-${escapeHtml(f.name)}`;
      const name = escapeHtml(f.name);
      const required = f.required ? ' required' : '';
      if (f.type === 'hidden') return `<input type="hidden" name="${name}" value="">`;
      if (f.type === 'checkbox') {
        return `<label for="${id}"><input id="${id}" type="checkbox" name="${name}" value="on"${required}> ${escapeHtml(f.label)}</label>`;
      }
      const control =
        f.type === 'textarea'
          ? `<textarea id="${id}" name="${name}"${required}></textarea>`
          : `<input id="${id}" type="${INPUT_TYPES[f.type]}" name="${name}"${required}>`;
      return `<label for="${id}">${escapeHtml(f.label)}${f.required ? ' *' : ''}</label>${control}`;
    })
    .join('\n');
  const consent = form.consent
    ? `<label for="f-consent"><input id="f-consent" type="checkbox" name="${SYSTEM_FIELDS.consent}" value="on"${form.consent.required ? ' required' : ''}> ${escapeHtml(form.consent.text)}</label>`
    : '';
  return page(
    form.name,
    `<h1>${escapeHtml(form.name)}</h1>
<form method="post" action="${escapeHtml(action)}">
${fields}
${consent}
<div class="hp" aria-hidden="true"><label for="f-hp">Leave this empty</label><input id="f-hp" type="text" name="${SYSTEM_FIELDS.honeypot}" tabindex="-1" autocomplete="off"></div>
<input type="hidden" name="${SYSTEM_FIELDS.token}" value="${escapeHtml(token)}">
<button type="submit">Submit</button>
</form>`,
  );
}

export const renderThankYou = (form: Form) =>
  page(form.name, `<h1>Thank you</h1><p>We received your submission.</p>`);
