/**
 * Webhooks (Settings): other systems subscribe a URL to Tendril's events. A new subscription's
 * signing secret is shown once, here; each subscription's page has its delivery log (webhook.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type CreatedWebhook, type Webhook, type WebhookEventType } from '../api.js';
import { Empty, ErrorBox, html, Loading, link, useAction, useLoad } from '../ui.js';

/** The events a subscription may take, grouped as people look for them. */
export const EVENT_GROUPS = [
  [
    'Contacts',
    [
      'ContactCreated',
      'ContactUpdated',
      'ContactDeleted',
      'ContactTagged',
      'ContactUntagged',
      'ActivityRecorded',
    ],
  ],
  [
    'Email',
    [
      'EmailSent',
      'EmailEngaged',
      'EmailLinkClicked',
      'ContactUnsubscribed',
      'ContactResubscribed',
      'ContactSuppressed',
    ],
  ],
  ['Forms and purchases', ['FormSubmitted', 'FormSubmissionDropped', 'PurchaseMade']],
  ['Appointments', ['AppointmentBooked', 'AppointmentRescheduled', 'AppointmentClosed']],
  [
    'Sales and tasks',
    [
      'PipelineCreated',
      'DealCreated',
      'DealStageChanged',
      'DealUpdated',
      'DealDeleted',
      'PipelineUpdated',
      'TaskCreated',
      'TaskCompleted',
      'TaskDue',
      'FollowUpScheduled',
      'FollowUpClosed',
    ],
  ],
  [
    'Workflows and segments',
    ['WorkflowPublished', 'ContactEnrolled', 'EnrollmentEnded', 'SegmentEntered', 'SegmentLeft'],
  ],
  ['Imports and bulk actions', ['ImportCompleted', 'BulkActionCompleted']],
  ['Lead scoring', ['ScoreChanged', 'LifecycleStageChanged']],
  ['Site and product tracking', ['PageVisited', 'EventTracked', 'VisitorIdentified']],
] as const satisfies ReadonlyArray<readonly [string, readonly WebhookEventType[]]>;
/** Every type the API takes is in a group (a type added to the API without one fails to compile). */
type Grouped = (typeof EVENT_GROUPS)[number][1][number];
export const EVERY_TYPE_GROUPED: [Exclude<WebhookEventType, Grouped>] extends [never] ? true : false = true;

export function Webhooks() {
  const hooks = useLoad(() => api<{ items: Webhook[] }>('GET', '/v1/webhooks'), []);
  const [created, setCreated] = useState<CreatedWebhook | undefined>();
  return html`<section class="card" aria-labelledby="webhooks-title">
    <h2 id="webhooks-title">Webhooks</h2>
    <p class="hint">Tendril POSTs each event a subscription takes to its URL, signed with its secret
      (<code>Tendril-Signature: t=…,v1=…</code>, HMAC-SHA256 of <code>t.body</code>); a failed delivery is tried again for
      about an hour and a half, and a subscription failing for a day is turned off.</p>
    ${created ? html`<${NewSecret} created=${created} onDone=${() => setCreated(undefined)} />` : null}
    ${
      hooks.error
        ? html`<${ErrorBox} error=${hooks.error} onRetry=${hooks.reload} />`
        : !hooks.data
          ? html`<${Loading} what="Loading the webhooks" />`
          : hooks.data.items.length === 0
            ? html`<${Empty}>No webhooks yet.</${Empty}>`
            : html`<ul class="plain">${hooks.data.items.map(
                (w) => html`<li key=${w.id}>
                  <a href=${link(`/webhooks/${w.id}`)} class="wrap-anywhere">${w.description ?? w.url}</a>
                  ${' '}<span class=${w.enabled ? 'status' : 'status is-bad'}>${w.enabled ? 'On' : 'Off'}</span>
                  <small class="muted"> ${w.eventTypes.length === 1 ? '1 event type' : `${w.eventTypes.length} event types`}</small></li>`,
              )}</ul>`
    }
    <${CreateWebhookForm} onCreated=${(c: CreatedWebhook) => {
      setCreated(c);
      hooks.reload();
    }} />
  </section>`;
}

function NewSecret({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return html`<div class="warning" role="region" aria-labelledby="new-secret-title">
    <h3 id="new-secret-title" class="wrap-anywhere">Webhook created: its signing secret</h3>
    <p>Copy it into the receiving system now: it is not shown again.</p>
    <div class="field"><label for="new-secret">Signing secret</label>
      <input id="new-secret" readOnly value=${created.secret} ref=${input}
        onFocus=${(e: Event) => (e.target as HTMLInputElement).select()} /></div>
    <div class="actions">
      <a class="button" href=${link(`/webhooks/${created.webhook.id}`)}>Open the webhook</a>
      <button type="button" onClick=${() => {
        onDone();
        setTimeout(() => document.getElementById('webhook-url')?.focus());
      }}>Done</button>
    </div>
  </div>`;
}

/** The event types as grouped checkboxes (shared with the webhook page's edit form). */
export function EventTypePicker({
  chosen,
  onChange,
}: {
  chosen: WebhookEventType[];
  onChange: (types: WebhookEventType[]) => void;
}) {
  return html`<fieldset>
    <legend>Events</legend>
    ${EVENT_GROUPS.map(
      ([group, types]) => html`<fieldset key=${group} class="inline-fields">
        <legend>${group}</legend>
        ${types.map(
          (type: WebhookEventType) => html`<label class="choice" key=${type}>
            <input type="checkbox" checked=${chosen.includes(type)}
              onChange=${(e: Event) =>
                onChange(
                  (e.target as HTMLInputElement).checked
                    ? [...chosen, type]
                    : chosen.filter((t) => t !== type),
                )} />
            ${type}</label>`,
        )}
      </fieldset>`,
    )}
  </fieldset>`;
}

/** A filter typed as JSON: undefined when empty; the text's own problem when it is not an object. */
export function parseFilter(text: string): { filter?: Record<string, unknown>; problem?: string } {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { problem: 'The filter must be a JSON object, such as {"source": ["shop"]}.' };
    return { filter: value as Record<string, unknown> };
  } catch (err) {
    return { problem: `The filter is not valid JSON: ${(err as Error).message}` };
  }
}

function CreateWebhookForm({ onCreated }: { onCreated: (created: CreatedWebhook) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<WebhookEventType[]>([]);
  const [filterText, setFilterText] = useState('');
  const create = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const { filter, problem } = parseFilter(filterText);
    let made: CreatedWebhook | undefined;
    const ok = await create.run(async () => {
      if (problem) throw new Error(problem);
      made = await api<CreatedWebhook>('POST', '/v1/webhooks', {
        url,
        ...(description.trim() ? { description } : {}),
        eventTypes: types,
        ...(filter ? { filter } : {}),
      });
    });
    if (ok && made) {
      setUrl('');
      setDescription('');
      setTypes([]);
      setFilterText('');
      onCreated(made);
    } else setTimeout(() => document.getElementById('webhook-url')?.focus());
  };
  const where = (path: string) =>
    path === 'url'
      ? 'URL:'
      : path.startsWith('eventTypes')
        ? 'Events:'
        : path.startsWith('filter')
          ? `Filter (${path}):`
          : undefined;
  return html`<form onSubmit=${submit} aria-labelledby="create-webhook-title">
    <h3 id="create-webhook-title">New webhook</h3>
    <div class="field"><label for="webhook-url">URL</label>
      <input id="webhook-url" type="url" required maxLength=${2000} value=${url} placeholder="https://example.com/hooks/tendril"
        onInput=${(e: Event) => setUrl((e.target as HTMLInputElement).value)} /></div>
    <div class="field"><label for="webhook-description">Description (optional)</label>
      <input id="webhook-description" maxLength=${200} value=${description}
        onInput=${(e: Event) => setDescription((e.target as HTMLInputElement).value)} /></div>
    <${EventTypePicker} chosen=${types} onChange=${setTypes} />
    <div class="field"><label for="webhook-filter">Filter on the event’s data (optional, EventBridge pattern)</label>
      <textarea id="webhook-filter" rows="2" class="code" value=${filterText} placeholder='{"source": ["shop"]}'
        onInput=${(e: Event) => setFilterText((e.target as HTMLTextAreaElement).value)}></textarea></div>
    <${ErrorBox} error=${create.error} where=${where} />
    <div class="actions"><button type="submit" disabled=${create.busy || types.length === 0}>Create webhook</button>
      ${types.length === 0 ? html`<span class="muted">Choose at least one event.</span>` : null}</div>
  </form>`;
}
