/**
 * The company card of a contact's page: its company (a link to the company page) and how it joined;
 * a company chosen by name (the CompanyPicker, searching as one types) puts the contact in it by
 * hand, or moves it there from another.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { CompanyPicker, type SearchResult } from '../pickers.js';
import { Empty, ErrorBox, html, Loading, useAction, useLoad } from '../ui.js';

type ContactCompany = components['schemas']['ContactCompany'];

function ChooseCompany({
  contactId,
  current,
  onDone,
}: {
  contactId: string;
  current: string | undefined;
  onDone: () => void;
}) {
  const [chosen, setChosen] = useState<SearchResult>();
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    if (await action.run(() => api('PUT', `/v1/companies/${chosen.id}/contacts/${contactId}`))) {
      setChosen(undefined);
      onDone();
    }
  };
  return html`<form class="company-picker" onSubmit=${submit} aria-label="Choose a company">
    <${CompanyPicker}
      id="contact-company-picker"
      label=${current ? 'Move to another company' : 'Put in a company'}
      placeholder="Type a company’s name or domain"
      onChoose=${setChosen}
    />
    <button type="submit" disabled=${!chosen || action.busy}>${
      chosen ? `${current ? 'Move to' : 'Add to'} ${chosen.name}` : current ? 'Move' : 'Add'
    }</button>
    <${ErrorBox} error=${action.error} />
  </form>`;
}

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
          : html`${
              !company
                ? html`<${Empty}>No company yet. Choose one below, or <a href="#/companies">create its company</a>.</${Empty}>`
                : html`<p><a href=${`#/companies/${company.id}`}>${company.name}</a>${company.domain ? html` <small class="muted">${company.domain}</small>` : null}</p>
                  <p class="muted">${got.data?.via === 'manual' ? 'Added by hand' : 'By its email’s domain'}</p>`
            }
            <${ChooseCompany} contactId=${contactId} current=${company?.id} onDone=${got.reload} />`
    }
  </section>`;
}
