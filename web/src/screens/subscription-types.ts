/**
 * The subscription types (Settings): kinds of marketing email a person can leave on its own on the
 * unsubscribe page — renamed, described and added here, never removed (people's choices refer to
 * them). Saved whole with the frequency cap as it is saved.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type EmailSettings } from '../api.js';
import { ErrorBox, html, retryOnConflict, useAction, useFocusOnMount, when } from '../ui.js';

type Row = { id?: string; name: string; description: string; key: number };

/** What each form of the Settings screen is given: the settings, a reload once saved, and whether it was the one saved. */
export interface SettingsFormProps {
  settings: EmailSettings;
  onSaved: () => void;
  focus: boolean;
}

export function SubscriptionTypesForm({ settings, onSaved, focus }: SettingsFormProps) {
  const heading = useFocusOnMount(focus);
  const saved = settings.subscriptionTypes ?? [];
  const [rows, setRows] = useState<Row[]>(
    saved.map((t, key) => ({ id: t.id, name: t.name, description: t.description ?? '', key })),
  );
  const [next, setNext] = useState(saved.length);
  const save = useAction();
  const change = (key: number, patch: Partial<Row>) =>
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => {
    setRows([...rows, { name: '', description: '', key: next }]);
    setNext(next + 1);
    // The new row's name field takes the focus once drawn.
    setTimeout(() => document.getElementById(`type-name-${next}`)?.focus());
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      frequencyCap: settings.frequencyCap ?? null,
      subscriptionTypes: rows.map((r) => ({
        ...(r.id ? { id: r.id } : {}),
        name: r.name.trim(),
        ...(r.description.trim() ? { description: r.description.trim() } : {}),
      })),
      ...(settings.updatedAt ? { expectedUpdatedAt: settings.updatedAt } : {}),
    };
    if (await save.run(() => api('PUT', '/v1/settings/email', body))) onSaved();
  };
  const refused = new Set(save.error instanceof ApiError ? save.error.problems.map((p) => p.path) : []);
  const where = (path: string) => {
    const i = /^subscriptionTypes\.(\d+)/.exec(path)?.[1];
    return i === undefined ? undefined : `Type ${Number(i) + 1}:`;
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="types-title">
    <h2 id="types-title" tabIndex=${-1} ref=${heading}>Subscription types</h2>
    <p class="hint">People can leave one type and keep the others on the unsubscribe page; a campaign's email
      belongs to one type, and its one-click unsubscribe leaves just that type. Types are renamed, never removed.</p>
    ${
      rows.length === 0
        ? html`<p class="empty">No subscription types yet: the unsubscribe page offers only “unsubscribe from all”.</p>`
        : html`<ol class="type-rows">${rows.map(
            (r, i) => html`<li key=${r.key}>
              <fieldset>
                <legend>Type ${i + 1}${r.id ? html` <span class="hint">(${r.id})</span>` : ' (new)'}</legend>
                <div class="field"><label for=${`type-name-${r.key}`}>Name</label>
                  <input id=${`type-name-${r.key}`} required maxlength="60" value=${r.name}
                    aria-invalid=${refused.has(`subscriptionTypes.${i}.name`) ? 'true' : undefined}
                    onInput=${(e: Event) => change(r.key, { name: (e.target as HTMLInputElement).value })} /></div>
                <div class="field"><label for=${`type-about-${r.key}`}>Description (shown on the unsubscribe page)</label>
                  <input id=${`type-about-${r.key}`} maxlength="200" value=${r.description}
                    onInput=${(e: Event) => change(r.key, { description: (e.target as HTMLInputElement).value })} /></div>
                ${
                  r.id
                    ? null
                    : html`<button type="button" class="secondary" onClick=${() => {
                        setRows(rows.filter((x) => x.key !== r.key));
                        document.getElementById('add-type')?.focus();
                      }}>
                        Remove new type ${i + 1}</button>`
                }
              </fieldset>
            </li>`,
          )}</ol>`
    }
    <${ErrorBox} error=${save.error} where=${where} onRetry=${retryOnConflict(save.error, onSaved)} />
    <div class="actions">
      <button type="button" id="add-type" class="secondary" onClick=${add} disabled=${rows.length >= 20}>Add a type</button>
      <button type="submit" disabled=${save.busy}>Save types</button>
      ${settings.subscriptionTypes?.length ? html`<span role="status">${`${settings.subscriptionTypes.length} saved; settings last saved ${when(settings.updatedAt ?? '')}.`}</span>` : null}
    </div>
  </form>`;
}
