/** Server-rendered HTML for the hosted form page and the thank-you page. Every value is escaped. */

import { SYSTEM_FIELDS } from '../core/forms.js';
import type { Form } from '../core/model.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const INPUT_TYPES: Record<Form['fields'][number]['type'], string> = {
  email: 'email',
  text: 'text',
  tel: 'tel',
  textarea: 'textarea',
  number: 'number',
  checkbox: 'checkbox',
  hidden: 'hidden',
};

export const page = (title: string, content: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input,textarea{width:100%;padding:.4rem;box-sizing:border-box}input[type=checkbox]{width:auto}.hp{position:absolute;left:-10000px}button{margin-top:1rem;padding:.5rem 1.2rem}</style>
</head><body>${content}</body></html>`;

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
