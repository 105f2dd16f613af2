/** Cards of the contact page: its tags (added and removed) and its one-time follow-up emails. */
import { useState } from 'preact/hooks';
import { api, type Contact, type FollowUp, type Page, type Template } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, useAction, useLoad, when } from '../ui.js';

export function Tags({ contact, onChange }: { contact: Contact; onChange: () => void }) {
  const [tag, setTag] = useState('');
  const action = useAction();
  const add = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => api('POST', `/v1/contacts/${contact.id}/tags`, { tags: [tag] }))) {
      setTag('');
      onChange();
    }
  };
  const remove = async (t: string) => {
    if (await action.run(() => api('DELETE', `/v1/contacts/${contact.id}/tags/${encodeURIComponent(t)}`)))
      onChange();
  };
  return html`<div class="card">
    <h2>Tags</h2>
    ${
      contact.tags.length
        ? html`<ul class="plain tags" aria-label="Tags">
            ${contact.tags.map(
              (t) => html`<li><span class="tag">${t}</span>
                <button type="button" class="link" aria-label=${`Remove tag ${t}`} onClick=${() => remove(t)}>×</button></li>`,
            )}
          </ul>`
        : html`<${Empty}>No tags.</${Empty}>`
    }
    <form class="inline" onSubmit=${add}>
      <${Field} label="Add a tag" id="add-tag" required value=${tag} onInput=${setTag} />
      <button type="submit" disabled=${action.busy}>Add tag</button>
    </form>
    <${ErrorBox} error=${action.error} />
  </div>`;
}

export function FollowUps({ contactId }: { contactId: string }) {
  const list = useLoad(
    () => api<Page<FollowUp>>('GET', `/v1/contacts/${contactId}/follow-ups?limit=50`),
    [contactId],
  );
  const templates = useLoad(() => api<Page<Template>>('GET', '/v1/templates?limit=100'), []);
  const [templateId, setTemplateId] = useState('');
  const [sendAt, setSendAt] = useState('');
  const action = useAction();
  const schedule = async (e: Event) => {
    e.preventDefault();
    const at = sendAt ? new Date(sendAt).toISOString() : '';
    if (
      await action.run(() => api('POST', `/v1/contacts/${contactId}/follow-ups`, { templateId, sendAt: at }))
    )
      list.reload();
  };
  const cancel = async (id: string) => {
    if (await action.run(() => api('DELETE', `/v1/follow-ups/${id}`))) list.reload();
  };
  return html`<div class="card">
    <h2>Follow-ups</h2>
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : list.data?.items.length
          ? html`<ul class="plain" aria-label="Follow-ups">
            ${list.data.items.map(
              (
                f,
              ) => html`<li>${when(f.sendAt)} · <span class="status">${f.status}</span>${f.reason ? ` (${f.reason})` : ''}
                ${f.status === 'scheduled' ? html`<button type="button" class="link" onClick=${() => cancel(f.id)}>Cancel</button>` : null}</li>`,
            )}
          </ul>`
          : list.loading
            ? html`<${Loading} />`
            : html`<${Empty}>No follow-ups.</${Empty}>`
    }
    <form onSubmit=${schedule}>
      <div class="field">
        <label for="fu-template">Template</label>
        <select id="fu-template" required value=${templateId} onChange=${(e: Event) => setTemplateId((e.target as HTMLSelectElement).value)}>
          <option value="">Choose a template</option>
          ${templates.data?.items.map((t) => html`<option value=${t.id}>${t.name}</option>`)}
        </select>
      </div>
      <${Field} label="Send at" id="fu-send-at" type="datetime-local" required value=${sendAt} onInput=${setSendAt} />
      <button type="submit" disabled=${action.busy}>Schedule follow-up</button>
    </form>
    <${ErrorBox} error=${action.error} />
  </div>`;
}
