/** Forms: create one, list them, and copy an embeddable plain-HTML snippet (works without JavaScript). */
import { useState } from 'preact/hooks';
import { api, type Form, type Page } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, useAction, useLoad } from '../ui.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The snippet: a plain <form> posting to /f/{id}, with the honeypot Tendril checks. */
export function embedSnippet(form: Form, origin: string): string {
  const inputs = form.fields.map((f) => {
    const id = `tendril-${f.name}`;
    const control =
      f.type === 'textarea'
        ? `<textarea id="${id}" name="${f.name}"${f.required ? ' required' : ''}></textarea>`
        : `<input id="${id}" name="${f.name}" type="${f.type === 'checkbox' ? 'checkbox' : f.type}"${f.required ? ' required' : ''}>`;
    return f.type === 'hidden'
      ? `  ${control}`
      : `  <p><label for="${id}">${escapeHtml(f.label)}</label>\n  ${control}</p>`;
  });
  const consent = form.consent
    ? [
        `  <p><label><input type="checkbox" name="consent"${form.consent.required ? ' required' : ''}> ${escapeHtml(form.consent.text)}</label></p>`,
      ]
    : [];
  return [
    `<form method="post" action="${origin}/f/${form.id}">`,
    ...inputs,
    ...consent,
    '  <p style="position:absolute;left:-9999px" aria-hidden="true"><label>Leave empty <input name="_hp" tabindex="-1" autocomplete="off"></label></p>',
    '  <p><button type="submit">Send</button></p>',
    '</form>',
  ].join('\n');
}

export function FormsScreen() {
  const list = useLoad(() => api<Page<Form>>('GET', '/v1/forms?limit=50'), []);
  return html`<section aria-labelledby="forms-title">
    <h1 id="forms-title">Forms</h1>
    <${ErrorBox} error=${list.error} />
    ${
      list.loading && !list.data
        ? html`<${Loading} what="Loading forms" />`
        : list.data?.items.length
          ? list.data.items.map((f) => html`<${FormCard} form=${f} />`)
          : html`<${Empty}>No forms yet: create the first one below.</${Empty}>`
    }
    <${NewForm} onCreated=${list.reload} />
  </section>`;
}

function FormCard({ form }: { form: Form }) {
  const snippet = embedSnippet(form, window.location.origin);
  const [copied, setCopied] = useState(false);
  const id = `snippet-${form.id}`;
  return html`<article class="card" aria-labelledby=${`form-${form.id}`}>
    <h2 id=${`form-${form.id}`}>${form.name}</h2>
    <p>Fields: ${form.fields.map((f) => f.name).join(', ')} · tags: ${form.tags.map((t) => html`<span class="tag">${t}</span>`)}</p>
    <p><a href=${`/f/${form.id}`} target="_blank" rel="noopener">Open the hosted form</a></p>
    <label for=${id}>Embeddable HTML</label>
    <textarea id=${id} class="code" readonly rows=${snippet.split('\n').length}>${snippet}</textarea>
    <button type="button" onClick=${async () => {
      await navigator.clipboard?.writeText(snippet).catch(() => undefined);
      setCopied(true);
    }}>Copy snippet</button>
    <span role="status">${copied ? ' Copied.' : ''}</span>
  </article>`;
}

function NewForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [fields, setFields] = useState('email, firstName');
  const [tags, setTags] = useState('');
  const [consent, setConsent] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const list = (s: string) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const body = {
      name,
      fields: list(fields),
      tags: list(tags),
      ...(consent.trim() ? { consent: { text: consent.trim() } } : {}),
    };
    if (await action.run(() => api('POST', '/v1/forms', body))) {
      setName('');
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-form">
    <h2 id="new-form">New form</h2>
    <${Field} label="Name" id="form-name" required value=${name} onInput=${setName} />
    <${Field} label="Fields" id="form-fields" required value=${fields} onInput=${setFields} hint="Comma-separated; email is required." />
    <${Field} label="Tags for every lead" id="form-tags" value=${tags} onInput=${setTags} hint="Comma-separated." />
    <${Field} label="Consent text" id="form-consent" value=${consent} onInput=${setConsent} hint="Optional; shown with a checkbox." />
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Create form</button>
  </form>`;
}
