/**
 * A company's page: its name, domain and lifecycle stage (the most advanced of its people's), its
 * properties edited at their version, deleted after a confirmation; its people (joined by email
 * domain or by hand: add one found by email or name, remove one) and their deals.
 */
import { useState } from 'preact/hooks';
import { api, type Contact, type Page, query } from '../api.js';
import type { components } from '../api-types.js';
import { useStageLabels } from '../stage-labels.js';
import { Empty, ErrorBox, Field, html, Loading, money, retryOnConflict, useAction, useLoad } from '../ui.js';
import { type Company, type CompanySize, DomainTaken, SIZES } from './companies.js';

type CompanyView = components['schemas']['CompanyView'];
type Person = components['schemas']['CompanyPerson'];

const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());
export const personName = (p: { firstName?: string; lastName?: string; email: string }) =>
  [p.firstName, p.lastName].filter(Boolean).join(' ') || p.email;

export function CompanyScreen({ id }: { id: string }) {
  const stages = useStageLabels();
  const view = useLoad(() => api<CompanyView>('GET', `/v1/companies/${id}`), [id]);
  const [editing, setEditing] = useState(false);
  const [said, setSaid] = useState('');
  if (view.loading && !view.data) return html`<${Loading} what="Loading the company" />`;
  if (!view.data) return html`<${ErrorBox} error=${view.error} onRetry=${view.reload} />`;
  const { company, people, deals, stage, morePeople } = view.data;
  const changed = (message: string) => {
    setSaid(message);
    view.reload();
  };
  return html`<section aria-labelledby="company-title">
    <p><a href="#/companies">← Companies</a></p>
    <h1 id="company-title" tabindex="-1">${company.name}</h1>
    <p>
      ${company.domain ? html`<span>${company.domain}</span> · ` : null}
      <span class="tag">${stage ? `Lifecycle stage: ${stages[stage]}` : 'No lifecycle stage yet'}</span>
    </p>
    <p role="status" class="muted">${said}</p>
    <div class="grid">
      ${
        editing
          ? html`<${EditCompany} company=${company} onDone=${(saved: boolean) => {
              setEditing(false);
              if (saved) changed('Company saved.');
              focusLater('company-edit');
            }} onReload=${view.reload} />`
          : html`<div class="card">
              <h2>Details</h2>
              <dl>
                ${company.industry ? html`<dt>Industry</dt><dd>${company.industry}</dd>` : null}
                ${company.size ? html`<dt>Size</dt><dd>${company.size} people</dd>` : null}
                ${company.phone ? html`<dt>Phone</dt><dd>${company.phone}</dd>` : null}
                ${company.website ? html`<dt>Website</dt><dd>${company.website}</dd>` : null}
                ${company.description ? html`<dt>Description</dt><dd>${company.description}</dd>` : null}
              </dl>
              <div style="display:flex;gap:0.5rem;flex-wrap:wrap;align-items:flex-start">
              <button type="button" id="company-edit" onClick=${() => {
                setSaid('');
                setEditing(true);
                focusLater('edit-name');
              }}>Edit</button>
              <${DeleteCompany} company=${company} />
              </div>
            </div>`
      }
      <${People} company=${company} people=${people} more=${morePeople} onChange=${changed} />
      <div class="card">
        <h2 id="company-deals-title">Deals</h2>
        ${
          deals.length === 0
            ? html`<${Empty}>No deals with this company’s people.</${Empty}>`
            : html`<ul class="plain" aria-labelledby="company-deals-title">${deals.map((d) => {
                const who = people.find((p) => p.contactId === d.contactId);
                return html`<li key=${d.id}>
                  <a href=${`#/pipelines/${d.pipelineId}`}>${d.title}</a> · ${d.stage} · <strong>${money(d.amount, d.currency)}</strong>
                  ${who ? html`<br /><small class="muted">with ${personName(who)}</small>` : null}
                </li>`;
              })}</ul>`
        }
      </div>
    </div>
  </section>`;
}

const valuesOf = (company: Company) => ({
  name: company.name,
  domain: company.domain ?? '',
  industry: company.industry ?? '',
  size: company.size ?? '',
  phone: company.phone ?? '',
  website: company.website ?? '',
  description: company.description ?? '',
});
type EditableField = keyof ReturnType<typeof valuesOf>;

function EditCompany({
  company,
  onDone,
  onReload,
}: {
  company: Company;
  onDone: (saved: boolean) => void;
  onReload: () => void;
}) {
  // Only the fields edited here are sent: a reload after someone else's change (409, Retry) shows
  // their values in the others, and a save never writes back what was read before.
  const [edited, setEdited] = useState<Partial<Record<EditableField, string>>>({});
  const v = { ...valuesOf(company), ...edited };
  const set = (k: EditableField) => (value: string) => setEdited({ ...edited, [k]: value });
  const save = useAction();
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  return html`<form class="card" aria-labelledby="edit-company-title" onSubmit=${async (e: Event) => {
    e.preventDefault();
    const changes = Object.fromEntries(
      Object.entries(edited).map(([k, value]) => [
        k,
        k === 'name' ? value : k === 'size' ? ((value || null) as CompanySize | null) : orNull(value ?? ''),
      ]),
    );
    const ok = await save.run(() =>
      api('PATCH', `/v1/companies/${company.id}`, { version: company.version, ...changes }),
    );
    if (ok) onDone(true);
  }}>
    <h2 id="edit-company-title">Edit company</h2>
    <${Field} label="Name" id="edit-name" required value=${v.name} onInput=${set('name')} />
    <${Field} label="Domain" id="edit-domain" value=${v.domain} onInput=${set('domain')}
      hint="A new domain: contacts of the old one leave, those of the new one join." />
    <${Field} label="Industry" id="edit-industry" value=${v.industry} onInput=${set('industry')} />
    <div class="field">
      <label for="edit-size">Size</label>
      <select id="edit-size" value=${v.size} onChange=${(e: Event) => set('size')((e.target as HTMLSelectElement).value)}>
        <option value="">Not given</option>
        ${SIZES.map((s) => html`<option value=${s}>${s} people</option>`)}
      </select>
    </div>
    <${Field} label="Phone" id="edit-phone" type="tel" value=${v.phone} onInput=${set('phone')} />
    <${Field} label="Website" id="edit-website" value=${v.website} onInput=${set('website')} />
    <div class="field">
      <label for="edit-description">Description</label>
      <textarea id="edit-description" rows="3" value=${v.description}
        onInput=${(e: Event) => set('description')((e.target as HTMLTextAreaElement).value)}></textarea>
    </div>
    ${
      retryOnConflict(save.error, onReload)
        ? html`<div class="warning" role="alert">
            <strong>Someone else changed this company after you opened it.</strong>
            <p>Nothing was saved. Reload to see their changes: the fields you edited keep your values, then save again.</p>
            <button type="button" onClick=${() => {
              save.clear();
              onReload();
              focusLater('edit-name');
            }}>Reload the company</button>
          </div>`
        : html`<${ErrorBox} error=${save.error} />`
    }
    <${DomainTaken} error=${save.error} />
    <button type="submit" disabled=${save.busy}>Save</button>
    <button type="button" class="secondary" onClick=${() => onDone(false)}>Cancel</button>
  </form>`;
}

function DeleteCompany({ company }: { company: Company }) {
  const [asking, setAsking] = useState(false);
  const del = useAction();
  if (!asking)
    return html`<button type="button" class="danger" id="company-delete" onClick=${() => {
      setAsking(true);
      focusLater('company-delete-confirm');
    }}>Delete company</button>`;
  return html`<div role="group" aria-labelledby="company-delete-q" class="warning">
    <p id="company-delete-q">Delete ${company.name}? Its people stay, without a company. This cannot be undone.</p>
    <${ErrorBox} error=${del.error} />
    <button type="button" class="danger" id="company-delete-confirm" disabled=${del.busy} onClick=${async () => {
      if (await del.run(() => api('DELETE', `/v1/companies/${company.id}`)))
        window.location.hash = '#/companies';
    }}>Yes, delete ${company.name}</button>
    <button type="button" class="secondary" onClick=${() => {
      setAsking(false);
      focusLater('company-delete');
    }}>Keep it</button>
  </div>`;
}

function People({
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
    <${AddPerson} company=${company} onAdded=${onChange} />
  </div>`;
}

/** Finds contacts to add: by exact email, else among the latest 100 by part of a name or email. */
function AddPerson({ company, onAdded }: { company: Company; onAdded: (message: string) => void }) {
  const [text, setText] = useState('');
  const [asked, setAsked] = useState('');
  const found = useLoad(async () => {
    const q = asked.trim().toLowerCase();
    if (!q) return [] as Contact[];
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(q))
      return (await api<Page<Contact>>('GET', `/v1/contacts${query({ email: q, limit: 5 })}`)).items;
    const latest = await api<Page<Contact>>('GET', `/v1/contacts${query({ limit: 100 })}`);
    return latest.items
      .filter((c) => `${c.firstName ?? ''} ${c.lastName ?? ''} ${c.email}`.toLowerCase().includes(q))
      .slice(0, 8);
  }, [asked]);
  const add = useAction();
  return html`<form role="search" aria-label="Find a contact to add" onSubmit=${(e: Event) => {
    e.preventDefault();
    setAsked(text);
  }}>
    <${Field} label="Add a person" id="company-add-person" type="search" value=${text} onInput=${setText}
      hint="An email address, or part of a name or email of a recent contact; then Find." />
    <button type="submit">Find</button>
    ${
      found.error
        ? html`<${ErrorBox} error=${found.error} onRetry=${found.reload} />`
        : !asked.trim()
          ? null
          : found.loading
            ? html`<${Loading} what="Finding contacts" />`
            : (found.data ?? []).length === 0
              ? html`<${Empty}>No contact matches “${asked}”.</${Empty}>`
              : html`<ul class="plain" aria-label="Contacts found">${(found.data ?? []).map(
                  (c) => html`<li key=${c.id}><button type="button" class="link" disabled=${add.busy}
                    onClick=${async () => {
                      if (await add.run(() => api('PUT', `/v1/companies/${company.id}/contacts/${c.id}`))) {
                        setText('');
                        setAsked('');
                        onAdded(`${personName(c)} added to ${company.name}.`);
                        focusLater('company-add-person');
                      }
                    }}>Add ${personName(c)} (${c.email})</button></li>`,
                )}</ul>`
    }
    <${ErrorBox} error=${add.error} />
  </form>`;
}
