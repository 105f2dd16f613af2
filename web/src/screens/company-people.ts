/**
 * A company page's People card: its people (each a link, its lifecycle stage, how it joined,
 * Remove) and **Add a person**, the search-backed contact picker (`GET /v1/search`: by name, company,
 * part of an email or phone; a chosen contact is put in the company by hand).
 */
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { ContactPicker, type SearchResult } from '../pickers.js';
import { useStageLabels } from '../stage-labels.js';
import { Empty, ErrorBox, html, useAction } from '../ui.js';

type Company = components['schemas']['Company'];
type Person = components['schemas']['CompanyPerson'];

export const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());
export const personName = (p: { firstName?: string; lastName?: string; email: string }) =>
  [p.firstName, p.lastName].filter(Boolean).join(' ') || p.email;

export function People({
  company,
  people,
  more,
  onChange,
}: {
  company: Company;
  people: Person[];
  more: boolean;
  onChange: (message: string) => void;
}) {
  const remove = useAction();
  const stages = useStageLabels();
  return html`<div class="card">
    <h2 id="company-people-title" tabindex="-1">People</h2>
    ${
      people.length === 0
        ? html`<${Empty}>No one yet. ${company.domain ? `Contacts with an email at ${company.domain} join by themselves; ` : ''}add someone below.</${Empty}>`
        : html`<ul class="plain" aria-labelledby="company-people-title">${people.map(
            (p) => html`<li key=${p.contactId}>
              <a href=${`#/contacts/${p.contactId}`}>${personName(p)}</a>
              ${p.stage ? html` <span class="tag">${stages[p.stage]}</span>` : null}
              <br /><small class="muted">${p.email} · ${p.via === 'domain' ? 'by email domain' : 'added by hand'}</small>
              ${' '}<button type="button" class="link" disabled=${remove.busy}
                aria-label=${`Remove ${personName(p)} from ${company.name}`}
                onClick=${async () => {
                  if (
                    await remove.run(() =>
                      api('DELETE', `/v1/companies/${company.id}/contacts/${p.contactId}`),
                    )
                  )
                    onChange(`${personName(p)} removed from ${company.name}.`);
                  focusLater('company-people-title');
                }}>Remove</button>
            </li>`,
          )}</ul>`
    }
    ${more ? html`<p class="muted">Showing the first 100 people.</p>` : null}
    <${ErrorBox} error=${remove.error} />
    <${AddPerson} company=${company} people=${people} onAdded=${onChange} />
  </div>`;
}

/** Chooses a contact from the search index and puts it in the company by hand. */
function AddPerson({
  company,
  people,
  onAdded,
}: {
  company: Company;
  people: Person[];
  onAdded: (message: string) => void;
}) {
  const add = useAction();
  const choose = async (c: SearchResult) => {
    if (people.some((p) => p.contactId === c.id)) {
      onAdded(`${c.name} is already at ${company.name}.`);
      return;
    }
    if (await add.run(() => api('PUT', `/v1/companies/${company.id}/contacts/${c.id}`))) {
      onAdded(`${c.name} added to ${company.name}.`);
      focusLater('company-add-person');
    }
  };
  return html`<div class="company-add">
    <${ContactPicker} id="company-add-person" label="Add a person" clearOnChoose=${true}
      hint="Search by name, company, part of an email or phone; choose one to add it." onChoose=${choose} />
    <${ErrorBox} error=${add.error} />
  </div>`;
}
