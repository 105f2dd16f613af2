/** The company card of a contact's page: its company (a link to the company page) and how it joined. */
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { Empty, ErrorBox, html, Loading, useLoad } from '../ui.js';

type ContactCompany = components['schemas']['ContactCompany'];

export function ContactCompanyCard({ contactId }: { contactId: string }) {
  const got = useLoad(() => api<ContactCompany>('GET', `/v1/contacts/${contactId}/company`), [contactId]);
  const company = got.data?.company;
  return html`<section class="card" aria-labelledby="contact-company-title">
    <h2 id="contact-company-title">Company</h2>
    ${
      got.error
        ? html`<${ErrorBox} error=${got.error} onRetry=${got.reload} />`
        : got.loading && !got.data
          ? html`<${Loading} what="Loading the company" />`
          : !company
            ? html`<${Empty}>No company. Add this contact from a company’s page, or <a href="#/companies">create its company</a>.</${Empty}>`
            : html`<p><a href=${`#/companies/${company.id}`}>${company.name}</a>${company.domain ? html` <small class="muted">${company.domain}</small>` : null}</p>
                <p class="muted">${got.data?.via === 'manual' ? 'Added by hand' : 'By its email’s domain'}</p>`
    }
  </section>`;
}
