/**
 * Email templates: list, create, edit with a merge-field picker, a live preview of what is being
 * written (for a chosen contact or a sample one, with its warnings), and a test send.
 */
import { useState } from 'preact/hooks';
import { api, type Page, type Template } from '../api.js';
import { ErrorBox, Field, html, useAction, useLoad, whenLoaded } from '../ui.js';
import {
  insertAtCaret,
  LivePreview,
  MergeFieldPicker,
  type Part,
  SendTest,
  Warnings,
} from './template-tools.js';

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
  // Where a merge field goes: the part last edited.
  const [part, setPart] = useState<Part>('html');
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
  const insert = (tag: string) => {
    const element = document.getElementById(part === 'subject' ? 'tpl-subject' : 'tpl-html') as
      | HTMLInputElement
      | HTMLTextAreaElement
      | null;
    if (part === 'subject') setSubject(insertAtCaret(element, subject, tag));
    else setBody(insertAtCaret(element, body, tag));
  };
  return html`<div class="card">
    <form onSubmit=${save} aria-label="Template editor">
      <${Field} label="Name" id="tpl-name" required value=${name} onInput=${setName} />
      <div onFocusIn=${() => setPart('subject')}>
        <${Field} label="Subject" id="tpl-subject" required value=${subject} onInput=${setSubject} />
      </div>
      <${MergeFieldPicker} part=${part} onInsert=${insert} />
      <div class="field">
        <label for="tpl-html">HTML (Liquid merge fields)</label>
        <textarea id="tpl-html" class="code" rows="10" required value=${body}
          onFocus=${() => setPart('html')}
          onInput=${(e: Event) => setBody((e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
      <${ErrorBox} error=${action.error} />
      <button type="submit" disabled=${action.busy}>${template ? 'Save template' : 'Create template'}</button>
    </form>
    <${LivePreview} subject=${subject} html=${body} />
    ${template ? html`<${SendTest} templateId=${template.id} />` : html`<p class="muted">Save it to send a test.</p>`}
  </div>`;
}

export { Warnings };
