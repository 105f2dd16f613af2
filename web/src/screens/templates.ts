/** Email templates: list, create, edit, and a live preview rendered for a chosen contact. */
import { useEffect, useState } from 'preact/hooks';
import { api, type Contact, type Page, type Template } from '../api.js';
import { ErrorBox, Field, html, useAction, useLoad, whenLoaded } from '../ui.js';

export function TemplatesScreen() {
  const list = useLoad(() => api<Page<Template>>('GET', '/v1/templates?limit=100'), []);
  const [selected, setSelected] = useState<Template | 'new' | undefined>();
  return html`<section aria-labelledby="templates-title">
    <h1 id="templates-title">Email templates</h1>
    <div class="grid">
      <div class="card">
        ${whenLoaded(list, {
          what: 'Loading templates',
          empty: 'No templates yet.',
          isEmpty: (data) => data.items.length === 0,
          show: (data) =>
            html`<ul class="plain" aria-label="Templates">
              ${data.items.map(
                (t) =>
                  html`<li><button type="button" class="link" onClick=${() => setSelected(t)}>${t.name}</button> <span class="muted">${t.subject}</span></li>`,
              )}
            </ul>`,
        })}
        <button type="button" onClick=${() => setSelected('new')}>New template</button>
      </div>
      ${
        selected
          ? html`<${Editor}
              key=${selected === 'new' ? 'new' : selected.id}
              template=${selected === 'new' ? undefined : selected}
              onSaved=${(t: Template) => {
                setSelected(t);
                list.reload();
              }}
            />`
          : null
      }
    </div>
  </section>`;
}

function Editor({ template, onSaved }: { template?: Template; onSaved: (t: Template) => void }) {
  const [name, setName] = useState(template?.name ?? '');
  const [subject, setSubject] = useState(
    template?.subject ?? 'Hello {{ contact.firstName | default: "there" }}',
  );
  const [body, setBody] = useState(
    template?.html ??
      '<p>Hi {{ contact.firstName | default: "there" }},</p>\n<p><a href="{{ unsubscribeUrl }}">Unsubscribe</a></p>',
  );
  const action = useAction();
  const save = async (e: Event) => {
    e.preventDefault();
    await action.run(async () => {
      const saved = template
        ? await api<Template>('PUT', `/v1/templates/${template.id}`, {
            name,
            subject,
            html: body,
            version: template.version,
          })
        : await api<Template>('POST', '/v1/templates', { name, subject, html: body });
      onSaved(saved);
    });
  };
  return html`<div class="card">
    <form onSubmit=${save} aria-label="Template editor">
      <${Field} label="Name" id="tpl-name" required value=${name} onInput=${setName} />
      <${Field} label="Subject" id="tpl-subject" required value=${subject} onInput=${setSubject} />
      <div class="field">
        <label for="tpl-html">HTML (Liquid merge fields)</label>
        <textarea id="tpl-html" class="code" rows="10" required value=${body}
          onInput=${(e: Event) => setBody((e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
      <${ErrorBox} error=${action.error} />
      <${Warnings} warnings=${template?.warnings} />
      <button type="submit" disabled=${action.busy}>${template ? 'Save template' : 'Create template'}</button>
    </form>
    ${template ? html`<${Preview} template=${template} />` : html`<p class="muted">Save to preview it for a contact.</p>`}
  </div>`;
}

function Preview({ template }: { template: Template }) {
  const contacts = useLoad(() => api<Page<Contact>>('GET', '/v1/contacts?limit=50'), []);
  const [contactId, setContactId] = useState('');
  const [rendered, setRendered] = useState<{ subject: string; html: string }>();
  const action = useAction();
  useEffect(() => {
    if (!contactId) return;
    void action.run(async () =>
      setRendered(await api('POST', `/v1/templates/${template.id}/preview`, { contactId })),
    );
  }, [contactId, template.version]);
  return html`<div aria-labelledby="preview-title">
    <h2 id="preview-title">Preview</h2>
    <div class="field">
      <label for="preview-contact">Render for contact</label>
      <select id="preview-contact" value=${contactId} onChange=${(e: Event) => setContactId((e.target as HTMLSelectElement).value)}>
        <option value="">Choose a contact</option>
        ${contacts.data?.items.map((c) => html`<option value=${c.id}>${c.email}</option>`)}
      </select>
    </div>
    <${ErrorBox} error=${action.error} />
    ${
      rendered
        ? html`<p><strong>Subject:</strong> ${rendered.subject}</p>
            <iframe title="Rendered email" sandbox="" class="preview" srcdoc=${rendered.html}></iframe>`
        : null
    }
  </div>`;
}

/** What to fix before sending (the template saves anyway): shown loudly next to the editor. */
export function Warnings({ warnings }: { warnings?: Template['warnings'] }) {
  if (!warnings?.length) return null;
  return html`<div class="warning" role="status">
    <strong>Check before sending</strong>
    <ul>
      ${warnings.map((w) => html`<li><code>${w.path}</code> ${w.message}</li>`)}
    </ul>
  </div>`;
}
