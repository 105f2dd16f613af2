/**
 * One contact: fields, tags (add/remove), lead score and lifecycle stage, timeline, workflow enrollments,
 * follow-ups, purchases, appointments and a GDPR data export.
 */
import { useState } from 'preact/hooks';
import {
  type Activity,
  api,
  type Contact,
  type EmailSettings,
  type Enrollment,
  type FollowUp,
  type Page,
  type Template,
} from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, useAction, useLoad, when } from '../ui.js';
import { ContactAppointments } from './contact-appointments.js';
import { ContactCompanyCard } from './contact-company.js';
import { ContactOwner } from './contact-property-card.js';
import { ContactPurchases } from './contact-purchases.js';
import { ContactStandingCard } from './contact-standing.js';
import { DataExport } from './data-export.js';
import { ContactTimeZone } from './time-zone-field.js';

export function ContactScreen({ id }: { id: string }) {
  const contact = useLoad(() => api<Contact>('GET', `/v1/contacts/${id}`), [id]);
  const timeline = useLoad(() => api<Page<Activity>>('GET', `/v1/contacts/${id}/activities?limit=50`), [id]);
  const enrollments = useLoad(
    () => api<Page<Enrollment>>('GET', `/v1/contacts/${id}/enrollments?limit=50`),
    [id],
  );
  const followUps = useLoad(() => api<Page<FollowUp>>('GET', `/v1/contacts/${id}/follow-ups?limit=50`), [id]);
  const refresh = () => {
    contact.reload();
    timeline.reload();
    enrollments.reload();
  };
  if (contact.loading && !contact.data) return html`<${Loading} what="Loading contact" />`;
  if (!contact.data) return html`<${ErrorBox} error=${contact.error} onRetry=${contact.reload} />`;
  const c = contact.data;
  return html`<section aria-labelledby="contact-title">
    <p><a href="#/contacts">← Contacts</a></p>
    <h1 id="contact-title">${c.email}</h1>
    ${c.unsubscribedAt ? html`<p class="badge">Unsubscribed ${when(c.unsubscribedAt)} · resubscribes only with fresh consent (a form with consent, or their own link)</p>` : null}
    ${!c.unsubscribedAt && c.unsubscribedFrom?.length ? html`<${LeftTypes} ids=${c.unsubscribedFrom} />` : null}
    ${
      c.emailSuppression
        ? html`<p class="badge">${
            c.emailSuppression.reason === 'bounce'
              ? 'Email bounced'
              : c.emailSuppression.reason === 'complaint'
                ? 'Marked our email as spam'
                : 'Unsubscribed'
          } ${when(c.emailSuppression.at)}: no marketing email is sent</p>`
        : null
    }
    ${
      c.emailBasis === 'none'
        ? html`<p class="badge">No consent basis: imported from a list without one, so never enrolled into email workflows or sent marketing email</p>`
        : null
    }
    <div class="grid">
      <div class="card">
        <h2>Fields</h2>
        <dl>
          ${(['firstName', 'lastName', 'phone', 'company', 'source'] as const).map((k) =>
            c[k] ? html`<dt>${k}</dt><dd>${c[k]}</dd>` : null,
          )}
          ${c.timeZone ? html`<dt>Time zone</dt><dd>${c.timeZone}</dd>` : null}
          ${Object.entries(c.fields).map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}
          <dt>created</dt><dd>${when(c.createdAt)}</dd>
        </dl>
      </div>
      <${Tags} contact=${c} onChange=${refresh} />
      <${ContactTimeZone} key=${c.version} contact=${c} onChange=${refresh} />
      <${ContactOwner} key=${`owner-${c.version}`} contact=${c} onChange=${refresh} />
      <${ContactStandingCard} contactId=${id} />
      <${ContactCompanyCard} contactId=${id} />
    </div>
    <div class="grid">
      <div class="card">
        <h2>Enrollments</h2>
        ${
          enrollments.data?.items.length
            ? html`<ul class="plain" aria-label="Enrollments">
                ${enrollments.data.items.map(
                  (e) => html`<li>
                    <a href=${`#/workflows/${e.workflowId}`}>Workflow ${e.workflowId.slice(-6)}</a> v${e.version}:
                    <span class="status">${e.status}</span>${e.stopReason ? ` (${e.stopReason})` : ''}
                    ${e.currentStep ? html` · at step <code>${e.currentStep}</code>` : null}
                  </li>`,
                )}
              </ul>`
            : enrollments.loading
              ? html`<${Loading} />`
              : html`<${Empty}>Not enrolled in any workflow.</${Empty}>`
        }
        <button type="button" onClick=${enrollments.reload}>Refresh</button>
      </div>
      <${FollowUps} contactId=${id} list=${followUps} />
      <${ContactPurchases} contactId=${id} />
      <${ContactAppointments} contactId=${id} onChange=${timeline.reload} />
    </div>
    <${DataExport} contactId=${id} />
    <div class="card">
      <h2>Timeline</h2>
      <${ErrorBox} error=${timeline.error} />
      ${
        timeline.data?.items.length
          ? html`<ol class="timeline">
              ${timeline.data.items.map(
                (a) =>
                  html`<li><time datetime=${a.occurredAt}>${when(a.occurredAt)}</time> <span class="tag">${a.type}</span> ${a.body ?? ''}</li>`,
              )}
            </ol>`
          : timeline.loading
            ? html`<${Loading} />`
            : html`<${Empty}>Nothing on the timeline yet.</${Empty}>`
      }
    </div>
  </section>`;
}

function Tags({ contact, onChange }: { contact: Contact; onChange: () => void }) {
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

function FollowUps({
  contactId,
  list,
}: {
  contactId: string;
  list: { data?: Page<FollowUp>; loading: boolean; error?: unknown; reload: () => void };
}) {
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
      list.data?.items.length
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

/** The subscription types the contact left, by name (their ids while the names load, or if they cannot). */
function LeftTypes({ ids }: { ids: string[] }) {
  const settings = useLoad(() => api<EmailSettings>('GET', '/v1/settings/email'), []);
  const names = ids.map((id) => settings.data?.subscriptionTypes?.find((t) => t.id === id)?.name ?? id);
  return html`<p class="badge">Left ${names.join(', ')} (${ids.length === 1 ? 'a subscription type' : 'subscription types'}) · still receives the others</p>`;
}
