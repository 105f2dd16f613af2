/**
 * One contact, the record a salesperson works in: a header (name, email, company, owner, lifecycle
 * stage, score, actions), the activity composer (note, call, meeting) over the timeline grouped by
 * day, and beside them the properties and custom fields edited in place, the related deals, tasks,
 * cases and enrollments by name, tags, time zone, owner, lead score, company, follow-ups, purchases,
 * appointments and the contact's personal data (export, erase). An unknown contact is a 404 page.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type Contact, type EmailSettings } from '../api.js';
import { ErrorBox, html, Loading, useLoad, when } from '../ui.js';
import { ContactAppointments } from './contact-appointments.js';
import { ContactCompanyCard } from './contact-company.js';
import { ActivityComposer } from './contact-composer.js';
import { ContactErase } from './contact-erase.js';
import { FollowUps, Tags } from './contact-extras.js';
import { ContactHeader } from './contact-header.js';
import { ContactProperties } from './contact-properties.js';
import { ContactOwner } from './contact-property-card.js';
import { ContactPurchases } from './contact-purchases.js';
import { ContactRelated } from './contact-related.js';
import { ContactStandingCard } from './contact-standing.js';
import { ContactTimeline } from './contact-timeline.js';
import { DataExport } from './data-export.js';
import { ContactTimeZone } from './time-zone-field.js';

export function ContactScreen({ id }: { id: string }) {
  const contact = useLoad(() => api<Contact>('GET', `/v1/contacts/${id}`), [id]);
  // Bumped to read the timeline (and what a logged activity changes) again.
  const [timelineRound, setTimelineRound] = useState(0);
  const [headerRound, setHeaderRound] = useState(0);
  const [erasing, setErasing] = useState(false);
  const refresh = () => {
    contact.reload();
    setTimelineRound((r) => r + 1);
    setHeaderRound((r) => r + 1);
  };
  if (contact.loading && !contact.data) return html`<${Loading} what="Loading contact" />`;
  if (!contact.data) {
    if (contact.error instanceof ApiError && contact.error.status === 404)
      return html`<section aria-labelledby="contact-title">
        <p><a href="#/contacts">← Contacts</a></p>
        <h1 id="contact-title">Contact not found</h1>
        <p>No contact has this address: it may have been deleted, or the link is wrong.</p>
        <p><a href="#/contacts">Go to contacts</a></p>
      </section>`;
    return html`<section aria-labelledby="contact-title">
      <p><a href="#/contacts">← Contacts</a></p>
      <h1 id="contact-title">Contact</h1>
      <${ErrorBox} error=${contact.error} onRetry=${contact.reload} />
    </section>`;
  }
  const c = contact.data;
  return html`<section aria-labelledby="contact-title" class="contact-page">
    <p><a href="#/contacts">← Contacts</a></p>
    <${ContactHeader} contact=${c} round=${headerRound} onErase=${() => setErasing(true)} />
    <${Standing} contact=${c} />
    <div class="contact-columns">
      <div class="contact-main">
        <${ActivityComposer} contactId=${id} onLogged=${() => setTimelineRound((r) => r + 1)} />
        <${ContactTimeline} contactId=${id} round=${timelineRound} />
        <${ContactStandingCard} contactId=${id} onChange=${() => setHeaderRound((r) => r + 1)} />
        <${FollowUps} contactId=${id} />
        <${ContactAppointments} contactId=${id} onChange=${() => setTimelineRound((r) => r + 1)} />
        <${ContactPurchases} contactId=${id} />
        <${DataExport} contactId=${id} />
        <section class="card" aria-labelledby="contact-erase-title">
          <h2 id="contact-erase-title">Delete this contact</h2>
          <p class="muted">Erases the contact and everything kept about it (a GDPR erasure request). It cannot be undone.</p>
          <button type="button" class="danger" onClick=${() => setErasing(true)}>Delete contact…</button>
        </section>
      </div>
      <div class="contact-side">
        <${ContactProperties} contact=${c} onChange=${refresh} onReload=${contact.reload} />
        <${ContactRelated} contactId=${id} />
        <${ContactCompanyCard} contactId=${id} />
        <${Tags} contact=${c} onChange=${refresh} />
        <${ContactTimeZone} key=${c.version} contact=${c} onChange=${refresh} />
        <${ContactOwner} key=${`owner-${c.version}`} contact=${c} onChange=${refresh} />
      </div>
    </div>
    ${erasing ? html`<${ContactErase} contact=${c} onClose=${() => setErasing(false)} />` : null}
  </section>`;
}

/** Why the contact gets no marketing email, when it does not (unsubscribed, suppressed, no basis). */
function Standing({ contact: c }: { contact: Contact }) {
  return html`${c.unsubscribedAt ? html`<p class="badge">Unsubscribed ${when(c.unsubscribedAt)} · resubscribes only with fresh consent (a form with consent, or their own link)</p>` : null}
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
    }`;
}

/** The subscription types the contact left, by name (their ids while the names load, or if they cannot). */
function LeftTypes({ ids }: { ids: string[] }) {
  const settings = useLoad(() => api<EmailSettings>('GET', '/v1/settings/email'), []);
  const names = ids.map((id) => settings.data?.subscriptionTypes?.find((t) => t.id === id)?.name ?? id);
  return html`<p class="badge">Left ${names.join(', ')} (${ids.length === 1 ? 'a subscription type' : 'subscription types'}) · still receives the others</p>`;
}
