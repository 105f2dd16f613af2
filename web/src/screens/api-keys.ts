/**
 * API keys (Settings): keys for other systems (a shop, a billing system) to call Tendril's API with
 * the scopes they need. A new key is shown once, here; Tendril keeps only its hash. Revoking a key
 * refuses its next request.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiKey, api, type CreatedApiKey, type Page, query } from '../api.js';
import { Empty, ErrorBox, html, Loading, Pager, useAction, useLoad, usePager, when } from '../ui.js';

const SCOPES: Record<ApiKey['scopes'][number], string> = {
  'contacts:read': 'Read contacts',
  'contacts:write': 'Create, update and tag contacts (and read them)',
  'purchases:read': 'Read a contact’s purchases',
  'purchases:write': 'Report purchases',
  'events:write': 'Report product events (POST /v1/events)',
};

export function ApiKeys() {
  const pager = usePager();
  const keys = useLoad(
    () => api<Page<ApiKey>>('GET', `/v1/api-keys${query({ limit: 50, cursor: pager.cursor })}`),
    [pager.cursor],
  );
  const [created, setCreated] = useState<CreatedApiKey | undefined>();
  const done = () => {
    setCreated(undefined);
    // The shown key is gone: the next thing to do is another key.
    setTimeout(() => document.getElementById('key-name')?.focus());
  };
  return html`<section class="card" aria-labelledby="keys-title">
    <h2 id="keys-title">API keys</h2>
    <p class="hint">Other systems call Tendril’s API with a key (<code>Authorization: Bearer tdk_…</code>), limited to its
      scopes and to 600 requests a minute. The API’s reference lists the scopes of each route.</p>
    ${created ? html`<${NewKey} created=${created} onDone=${done} />` : null}
    <${CreateKeyForm} onCreated=${(c: CreatedApiKey) => {
      setCreated(c);
      if (pager.page === 1) keys.reload();
      else pager.reset();
    }} />
    ${
      keys.error
        ? html`<${ErrorBox} error=${keys.error} onRetry=${keys.reload} />`
        : !keys.data
          ? html`<${Loading} what="Loading the API keys" />`
          : keys.data.items.length === 0
            ? html`<${Empty}>No API keys yet.</${Empty}>`
            : html`<${KeyTable} keys=${keys.data.items} onRevoked=${keys.reload} />
              ${
                pager.page > 1 || keys.data.nextCursor
                  ? html`<${Pager} page=${pager.page} nextCursor=${keys.data.nextCursor}
                      onNext=${pager.next} onPrev=${pager.prev} />`
                  : null
              }`
    }
  </section>`;
}

function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Shown once: the key takes the focus, selected, ready to copy.
  useEffect(() => input.current?.focus(), []);
  const copy = async () => {
    input.current?.select();
    await navigator.clipboard?.writeText(created.key).catch(() => undefined);
    setCopied(true);
  };
  return html`<div class="warning" role="region" aria-labelledby="new-key-title">
    <h3 id="new-key-title" class="wrap-anywhere">Key “${created.apiKey.name}” created</h3>
    <p>Copy it now: it is not shown again.</p>
    <div class="field"><label for="new-key">API key</label>
      <input id="new-key" readOnly value=${created.key} ref=${input} onFocus=${(e: Event) => (e.target as HTMLInputElement).select()} /></div>
    <div class="actions">
      <button type="button" onClick=${copy}>Copy key</button>
      <button type="button" onClick=${onDone}>Done</button>
      <span role="status">${copied ? 'Copied.' : ''}</span>
    </div>
  </div>`;
}

function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Array<ApiKey['scopes'][number]>>([]);
  const create = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let made: CreatedApiKey | undefined;
    if (
      await create.run(
        async () => (made = await api<CreatedApiKey>('POST', '/v1/api-keys', { name, scopes })),
      )
    ) {
      setName('');
      setScopes([]);
      if (made) onCreated(made);
      // Refused: back to the name, the problems read out by the alert below it.
    } else setTimeout(() => document.getElementById('key-name')?.focus());
  };
  const toggle = (scope: ApiKey['scopes'][number], on: boolean) =>
    setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  const where = (path: string) =>
    path.startsWith('name') ? 'Name:' : path.startsWith('scopes') ? 'Scopes:' : undefined;
  return html`<form onSubmit=${submit} aria-labelledby="create-key-title">
    <h3 id="create-key-title">New key</h3>
    <div class="field"><label for="key-name">Name</label>
      <input id="key-name" required maxLength=${100} value=${name} placeholder="e.g. Shop"
        onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} /></div>
    <fieldset>
      <legend>Scopes</legend>
      ${Object.entries(SCOPES).map(
        ([scope, label]) => html`<label class="choice" key=${scope}>
          <input type="checkbox" checked=${scopes.includes(scope as ApiKey['scopes'][number])}
            onChange=${(e: Event) => toggle(scope as ApiKey['scopes'][number], (e.target as HTMLInputElement).checked)} />
          ${label} <code>${scope}</code></label>`,
      )}
    </fieldset>
    <${ErrorBox} error=${create.error} where=${where} />
    <div class="actions"><button type="submit" disabled=${create.busy || scopes.length === 0}>Create key</button>
      ${scopes.length === 0 ? html`<span class="muted">Choose at least one scope.</span>` : null}</div>
  </form>`;
}

function KeyTable({ keys, onRevoked }: { keys: ApiKey[]; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState<string | undefined>();
  const revoke = useAction();
  const confirm = async (key: ApiKey) => {
    if (await revoke.run(() => api('POST', `/v1/api-keys/${key.id}/revoke`))) {
      setConfirming(undefined);
      onRevoked();
      // The row's button is gone: the table's caption takes the focus.
      setTimeout(() => document.getElementById('keys-caption')?.focus());
    }
  };
  return html`<div class="table-scroll" tabIndex=${0} role="region" aria-labelledby="keys-caption">
    <table>
      <caption id="keys-caption" tabIndex=${-1}>Keys (${keys.length})</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th>
        <th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
      <tbody>${keys.map(
        (k) => html`<tr key=${k.id}>
          <th scope="row" class="wrap-anywhere">${k.name}</th>
          <td><code>${k.hint}</code></td>
          <td>${k.scopes.join(', ')}</td>
          <td>${k.lastUsedAt ? when(k.lastUsedAt) : 'Never'}</td>
          <td>${
            k.revokedAt
              ? `Revoked ${when(k.revokedAt)}`
              : confirming === k.id
                ? html`<span>Revoke “${k.name}”? Its next request is refused.</span>
                    <button type="button" class="danger" disabled=${revoke.busy} onClick=${() => confirm(k)}>Revoke now</button>
                    <button type="button" onClick=${() => {
                      setConfirming(undefined);
                      // Back to the row's own Revoke button.
                      setTimeout(() => document.getElementById(`revoke-${k.id}`)?.focus());
                    }}>Keep</button>`
                : html`<button type="button" id=${`revoke-${k.id}`} aria-label=${`Revoke ${k.name}`} onClick=${() => {
                    revoke.clear();
                    setConfirming(k.id);
                  }}>Revoke</button>`
          }</td>
        </tr>`,
      )}</tbody>
    </table>
    <${ErrorBox} error=${revoke.error} />
  </div>`;
}
