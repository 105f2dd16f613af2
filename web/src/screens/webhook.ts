/**
 * One webhook: what it takes and where it sends (edited here), turned off or on (on again clears its failures),
 * a test event, deleting it; and its delivery log (30 days), refreshed while deliveries are under
 * way, where a delivered, failed or skipped delivery can be sent again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page, query, type Webhook, type WebhookDelivery, type WebhookEventType } from '../api.js';
import {
  ErrorBox,
  html,
  Loading,
  link,
  Pager,
  retryOnConflict,
  useAction,
  useLoad,
  usePager,
  usePoll,
  when,
} from '../ui.js';
import { EventTypePicker, parseFilter } from './webhooks.js';

const UNDER_WAY = new Set(['pending', 'sending', 'retrying']);

export function WebhookScreen({ id }: { id: string }) {
  const hook = useLoad(() => api<Webhook>('GET', `/v1/webhooks/${id}`), [id]);
  const [round, setRound] = useState(0);
  if (hook.error)
    return html`<p class="crumbs"><a href=${link('/settings')}>Settings</a> › Webhooks</p>
      <${ErrorBox} error=${hook.error} onRetry=${hook.reload} />`;
  if (!hook.data) return html`<${Loading} what="Loading the webhook" />`;
  const w = hook.data;
  return html`<section aria-labelledby="webhook-title">
    <p class="crumbs"><a href=${link('/settings')}>Settings</a> › Webhooks</p>
    <h1 id="webhook-title" class="wrap-anywhere" tabIndex=${-1}>${w.description ?? w.url}</h1>
    <${Details} webhook=${w} onChanged=${hook.reload} onTested=${() => setRound(round + 1)} />
    <${DeliveryLog} id=${id} round=${round} />
  </section>`;
}

function Details({
  webhook: w,
  onChanged,
  onTested,
}: {
  webhook: Webhook;
  onChanged: () => void;
  onTested: () => void;
}) {
  const act = useAction();
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [said, setSaid] = useState('');
  // Buttons stay enabled while busy (a disabled button drops the keyboard focus); a second press waits.
  const toggle = async () => {
    if (act.busy) return;
    // At its latest version: failing deliveries change it (their count) while this page is open.
    const on = !w.enabled;
    const change = async () => {
      const latest = await api<Webhook>('GET', `/v1/webhooks/${w.id}`);
      await api('PATCH', `/v1/webhooks/${w.id}`, { version: latest.version, enabled: on });
    };
    if (await act.run(change)) {
      setSaid(on ? 'Turned on; its failures start over.' : 'Turned off.');
      onChanged();
    }
  };
  const test = async () => {
    if (act.busy) return;
    if (await act.run(() => api('POST', `/v1/webhooks/${w.id}/test`))) {
      setSaid('Test event sent: its delivery is at the top of the log.');
      onTested();
    }
  };
  const remove = async () => {
    if (await act.run(() => api('DELETE', `/v1/webhooks/${w.id}`))) window.location.hash = '#/settings';
  };
  return html`<div class="card">
    <dl class="summary">
      <dt>Status</dt><dd>${
        w.enabled
          ? html`<span class="status">On</span>${w.consecutiveFailures > 0 ? ` · ${w.consecutiveFailures} failed attempts in a row since ${when(w.failingSince)}` : ''}`
          : html`<span class="status is-bad">Off</span> · ${w.disabledReason ?? ''} ${w.disabledAt ? `(${when(w.disabledAt)})` : ''}`
      }</dd>
      <dt>URL</dt><dd class="wrap-anywhere"><code>${w.url}</code></dd>
      <dt>Events</dt><dd>${w.eventTypes.join(', ')}</dd>
      ${w.filter ? html`<dt>Filter</dt><dd><code class="wrap-anywhere">${JSON.stringify(w.filter)}</code></dd>` : null}
      <dt>Created</dt><dd>${when(w.createdAt)}</dd>
    </dl>
    <${ErrorBox} error=${act.error} onRetry=${onChanged} />
    <div class="actions">
      <button type="button" onClick=${test}>Send a test event</button>
      <button type="button" class="secondary" id="edit-webhook" onClick=${() => setEditing(true)}>Edit</button>
      <button type="button" class="secondary" id="toggle-webhook" onClick=${toggle}>${w.enabled ? 'Turn off' : 'Turn on'}</button>
      ${
        deleting
          ? html`<span>Delete this webhook? Its deliveries stop at once.</span>
              <button type="button" class="danger" onClick=${remove} disabled=${act.busy}>Delete now</button>
              <button type="button" id="keep-webhook" onClick=${() => {
                setDeleting(false);
                setTimeout(() => document.getElementById('delete-webhook')?.focus());
              }}>Keep</button>`
          : html`<button type="button" id="delete-webhook" class="secondary danger" onClick=${() => {
              setDeleting(true);
              // The safe answer first.
              setTimeout(() => document.getElementById('keep-webhook')?.focus());
            }}>Delete</button>`
      }
      <span role="status">${said}</span>
    </div>
    ${
      editing
        ? html`<${EditWebhookForm} webhook=${w} onDone=${(saved: boolean) => {
            setEditing(false);
            if (saved) {
              setSaid('Saved.');
              onChanged();
            }
            setTimeout(() => document.getElementById('edit-webhook')?.focus());
          }} />`
        : null
    }
  </div>`;
}

function EditWebhookForm({ webhook: w, onDone }: { webhook: Webhook; onDone: (saved: boolean) => void }) {
  const [url, setUrl] = useState(w.url);
  const [description, setDescription] = useState(w.description ?? '');
  const [types, setTypes] = useState(w.eventTypes as WebhookEventType[]);
  const [filterText, setFilterText] = useState(w.filter ? JSON.stringify(w.filter, null, 2) : '');
  const save = useAction();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const { filter, problem } = parseFilter(filterText);
    const ok = await save.run(async () => {
      if (problem) throw new Error(problem);
      await api('PATCH', `/v1/webhooks/${w.id}`, {
        version: w.version,
        url,
        description: description.trim() ? description : null,
        eventTypes: types,
        filter: filter ?? null,
      });
    });
    if (ok) onDone(true);
  };
  return html`<form onSubmit=${submit} aria-labelledby="edit-webhook-title">
    <h2 id="edit-webhook-title">Edit the webhook</h2>
    <div class="field"><label for="edit-url">URL</label>
      <input id="edit-url" type="url" required maxLength=${2000} value=${url} ref=${first}
        onInput=${(e: Event) => setUrl((e.target as HTMLInputElement).value)} /></div>
    <div class="field"><label for="edit-description">Description</label>
      <input id="edit-description" maxLength=${200} value=${description}
        onInput=${(e: Event) => setDescription((e.target as HTMLInputElement).value)} /></div>
    <${EventTypePicker} chosen=${types} onChange=${setTypes} />
    <div class="field"><label for="edit-filter">Filter on the event’s data (EventBridge pattern; empty: none)</label>
      <textarea id="edit-filter" rows="3" class="code" value=${filterText}
        onInput=${(e: Event) => setFilterText((e.target as HTMLTextAreaElement).value)}></textarea></div>
    <${ErrorBox} error=${save.error} onRetry=${retryOnConflict(save.error, () => onDone(false))} />
    <div class="actions">
      <button type="submit" disabled=${save.busy || types.length === 0}>Save</button>
      <button type="button" class="secondary" onClick=${() => onDone(false)}>Cancel</button>
    </div>
  </form>`;
}

function DeliveryLog({ id, round }: { id: string; round: number }) {
  const pager = usePager();
  const log = usePoll(
    () =>
      api<Page<WebhookDelivery>>(
        'GET',
        `/v1/webhooks/${id}/deliveries${query({ limit: 25, cursor: pager.cursor })}`,
      ),
    // Looked at again every second while a delivery on this page is under way.
    () => (page) => page.items.some((d) => UNDER_WAY.has(d.status)),
    [id, pager.cursor, round],
  );
  const redeliver = useAction();
  const again = async (d: WebhookDelivery) => {
    if (await redeliver.run(() => api('POST', `/v1/webhooks/${id}/deliveries/${d.id}/redeliver`))) {
      log.refresh();
      // Its row's button is gone while it is sent: the log's heading takes the focus.
      setTimeout(() => document.getElementById('log-title')?.focus());
    }
  };
  return html`<section class="card" aria-labelledby="log-title">
    <div class="section-head"><h2 id="log-title" tabIndex=${-1}>Deliveries</h2>
      <button type="button" class="secondary" onClick=${log.refresh}>Refresh</button></div>
    <${ErrorBox} error=${redeliver.error} />
    ${
      log.error
        ? html`<${ErrorBox} error=${log.error} onRetry=${log.refresh} />`
        : !log.value
          ? html`<${Loading} what="Loading the deliveries" />`
          : log.value.items.length === 0
            ? html`<p class="empty">No deliveries yet: events this webhook takes, and test events, show here.</p>`
            : html`<div class="table-scroll" tabIndex=${0} role="region" aria-labelledby="log-caption">
                <table>
                  <caption id="log-caption">Newest first (kept 30 days)</caption>
                  <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th>
                    <th scope="col">Answer</th><th scope="col">Time</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
                  <tbody>${log.value.items.map(
                    (d) => html`<tr key=${d.id}>
                      <th scope="row">${d.eventType}<br /><small class="muted"><code>${d.id}</code></small></th>
                      <td><span class=${d.status === 'failed' ? 'status is-bad' : 'status'}>${d.status}</span>
                        ${d.nextAttemptAt ? html`<br /><small class="muted">next ${when(d.nextAttemptAt)}</small>` : null}</td>
                      <td class="num">${d.attempts}</td>
                      <td class="wrap-anywhere">${d.responseStatus ?? ''}${d.latencyMs !== undefined ? ` · ${d.latencyMs} ms` : ''}
                        ${d.error ? html`<br /><small>${d.error}</small>` : null}</td>
                      <td>${when(d.lastAttemptAt ?? d.createdAt)}</td>
                      <td>${
                        UNDER_WAY.has(d.status)
                          ? null
                          : html`<button type="button" class="secondary" disabled=${redeliver.busy}
                              aria-label=${`Send again: ${d.eventType} ${d.id}`} onClick=${() => again(d)}>Send again</button>`
                      }</td>
                    </tr>`,
                  )}</tbody>
                </table>
              </div>
              ${
                pager.page > 1 || log.value.nextCursor
                  ? html`<${Pager} page=${pager.page} nextCursor=${log.value.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />`
                  : null
              }`
    }
  </section>`;
}
