/**
 * Companies: listed by name (A→Z) with a name search (the API's name-prefix index), paged, with the
 * columns chosen (the standard ones and the company fields, kept in this browser:
 * company-list-columns.ts), and a form to create one (a taken domain says which company has it). A
 * company opens its page (company.ts).
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type Page, query } from '../api.js';
import type { components } from '../api-types.js';
import { type FieldDefinition, inOrder } from '../list-columns.js';
import { ColumnsControl } from '../list-columns-control.js';
import '../styles/companies.css';
import { Empty, ErrorBox, Field, html, Loading, Pager, useAction, useLoad, usePager } from '../ui.js';
import {
  allCompanyColumns,
  CompaniesTable,
  DEFAULT_COMPANY_COLUMNS,
  storeCompanyColumns,
  storedCompanyColumns,
} from './company-list-columns.js';

export type Company = components['schemas']['Company'];
export type CompanySize = NonNullable<Company['size']>;
export const SIZES: CompanySize[] = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+'];

/** A refusal's link to the company that has the domain already (409 `domain_taken`). */
export function DomainTaken({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || error.code !== 'domain_taken' || Array.isArray(error.details))
    return null;
  const id = (error.details as { existingId?: unknown }).existingId;
  return typeof id === 'string'
    ? html`<p><a href=${`#/companies/${id}`}>Open the company with this domain</a></p>`
    : null;
}

export function CompaniesScreen() {
  const pager = usePager();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const list = useLoad(
    () =>
      api<Page<Company>>(
        'GET',
        `/v1/companies${query({ limit: 25, cursor: pager.cursor, q: q || undefined })}`,
      ),
    [q, pager.cursor],
  );
  const fields = useLoad(() => api<{ items: FieldDefinition[] }>('GET', '/v1/company-fields'), []);
  const [columns, setColumns] = useState<string[]>(storedCompanyColumns);
  const defs = allCompanyColumns(fields.data?.items ?? []);
  const shownColumns = inOrder(columns, defs);
  const chooseColumns = (next: string[]) => {
    setColumns(next);
    storeCompanyColumns(next);
  };
  const search = (value: string) => {
    setTyped(value);
    setQ(value.trim());
    pager.reset();
  };
  const items = list.data?.items ?? [];
  return html`<section aria-labelledby="companies-title">
    <h1 id="companies-title">Companies</h1>
    <p class="hint">Contacts join the company of their email’s domain by themselves (free-mail addresses such as
      gmail.com never do); you can also add people by hand on a company’s page.</p>
    <div class="grid">
      <div class="card">
        <div class="company-list-controls">
          <form role="search" aria-label="Companies" onSubmit=${(e: Event) => {
            e.preventDefault();
            search(typed);
          }}>
            <${Field} label="Search by name" id="company-search" type="search" value=${typed}
              onInput=${search} hint="The beginning of a company’s name, such as acme." />
          </form>
          <${ColumnsControl} columns=${shownColumns} all=${defs} defaults=${DEFAULT_COMPANY_COLUMNS}
            panelId="company-columns-panel" idPrefix="company-col-" fieldsError=${fields.error}
            onRetryFields=${fields.reload} onChange=${chooseColumns}
            note="The name is always shown. This browser keeps your choice." />
        </div>
        ${
          list.error
            ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
            : !list.data
              ? html`<${Loading} what="Loading companies" />`
              : items.length === 0
                ? html`<${Empty}>${q ? `No company’s name starts with “${q}”.` : 'No companies yet: create the first one with the form.'}</${Empty}>`
                : html`<${CompaniesTable} items=${items} columns=${shownColumns} defs=${defs}
                    fields=${fields.data?.items ?? []}
                    caption=${`Company list${q ? `: names starting with ${q}` : ''}`} />`
        }
        <${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />
      </div>
      <${NewCompany} />
    </div>
  </section>`;
}

function NewCompany() {
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [industry, setIndustry] = useState('');
  const [size, setSize] = useState('');
  const save = useAction();
  return html`<form class="card" aria-labelledby="new-company-title" onSubmit=${async (e: Event) => {
    e.preventDefault();
    let id = '';
    const ok = await save.run(async () => {
      const created = await api<Company>('POST', '/v1/companies', {
        name,
        ...(domain.trim() ? { domain: domain.trim() } : {}),
        ...(industry.trim() ? { industry: industry.trim() } : {}),
        ...(size ? { size } : {}),
      });
      id = created.id;
    });
    if (ok) window.location.hash = `#/companies/${id}`;
  }}>
    <h2 id="new-company-title">New company</h2>
    <${Field} label="Name" id="company-name" required value=${name} onInput=${setName} />
    <${Field} label="Domain" id="company-domain" value=${domain} onInput=${setDomain} placeholder="example.com"
      hint="Its website’s domain: contacts with email addresses there join it." />
    <${Field} label="Industry" id="company-industry" value=${industry} onInput=${setIndustry} />
    <div class="field">
      <label for="company-size">Size</label>
      <select id="company-size" value=${size} onChange=${(e: Event) => setSize((e.target as HTMLSelectElement).value)}>
        <option value="">Not given</option>
        ${SIZES.map((s) => html`<option value=${s}>${s} people</option>`)}
      </select>
    </div>
    <${ErrorBox} error=${save.error} />
    <${DomainTaken} error=${save.error} />
    <button type="submit" disabled=${save.busy}>Create company</button>
  </form>`;
}
