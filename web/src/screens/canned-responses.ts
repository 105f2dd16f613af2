/**
 * Canned responses (Settings): the answers agents insert into case replies, with merge fields. Added,
 * edited (at the version read: a save over someone else's is refused with a reload) and deleted
 * after a confirmation.
 */
import { useState } from 'preact/hooks';
import { api, type CannedResponse } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, retryOnConflict, useAction, useLoad } from '../ui.js';

export function CannedResponses() {
  const list = useLoad(() => api<{ items: CannedResponse[] }>('GET', '/v1/canned-responses'), []);
  const [editing, setEditing] = useState<CannedResponse | 'new' | undefined>();
  const [said, setSaid] = useState('');
  const action = useAction();
  const remove = async (r: CannedResponse) => {
    if (!window.confirm(`Delete the canned response "${r.name}"?`)) return;
    if (await action.run(() => api('DELETE', `/v1/canned-responses/${r.id}`))) {
      setSaid(`Deleted "${r.name}".`);
      list.reload();
    }
  };
  return html`<section class="card canned-responses" aria-labelledby="canned-title">
    <h2 id="canned-title">Canned responses</h2>
    <p>Answers agents insert into a case reply and then adjust. Merge fields:
      <code>{{ contact.firstName }}</code>, <code>{{ case.ref }}</code>, <code>{{ case.subject }}</code>,
      <code>{{ agent }}</code> (use <code>{{ contact.firstName | default: "there" }}</code> for a fallback).</p>
    <p role="status" class="muted">${said}</p>
    <${ErrorBox} error=${action.error} />
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : !list.data
          ? html`<${Loading} what="Loading the canned responses" />`
          : list.data.items.length
            ? html`<ul class="plain canned-list">
                ${list.data.items.map(
                  (r) => html`<li>
                    <strong>${r.name}</strong>
                    <button type="button" class="link" onClick=${() => setEditing(r)} aria-label=${`Edit ${r.name}`}>Edit</button>
                    <button type="button" class="link" onClick=${() => remove(r)} aria-label=${`Delete ${r.name}`}>Delete</button>
                  </li>`,
                )}
              </ul>`
            : html`<${Empty}>No canned responses yet.</${Empty}>`
    }
    ${
      editing
        ? html`<${CannedForm} key=${editing === 'new' ? 'new' : `${editing.id}-${editing.version}`}
            response=${editing === 'new' ? undefined : editing}
            onDone=${(message: string) => {
              setEditing(undefined);
              setSaid(message);
              list.reload();
            }} onCancel=${() => setEditing(undefined)} onReload=${list.reload} />`
        : html`<button type="button" onClick=${() => setEditing('new')}>Add a canned response</button>`
    }
  </section>`;
}

function CannedForm({
  response,
  onDone,
  onCancel,
  onReload,
}: {
  response: CannedResponse | undefined;
  onDone: (message: string) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const [name, setName] = useState(response?.name ?? '');
  const [text, setText] = useState(response?.text ?? '');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(() =>
      response
        ? api('PUT', `/v1/canned-responses/${response.id}`, { name, text, version: response.version })
        : api('POST', '/v1/canned-responses', { name, text }),
    );
    if (ok) onDone(`Saved "${name}".`);
  };
  return html`<form onSubmit=${submit} aria-label=${response ? `Edit ${response.name}` : 'New canned response'}>
    <${Field} label="Name" id="canned-name" required value=${name} onInput=${setName} />
    <div class="field">
      <label for="canned-text">Text <span aria-hidden="true">*</span></label>
      <textarea id="canned-text" rows="6" required value=${text}
        onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
    </div>
    <${ErrorBox} error=${action.error} onRetry=${retryOnConflict(action.error, onReload)} />
    <button type="submit" disabled=${action.busy}>Save</button>
    <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
  </form>`;
}
