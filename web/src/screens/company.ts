/**
 * A company's page: its name, domain and lifecycle stage (the most advanced of its people's), its
 * properties edited at their version, deleted after a confirmation; its people (company-people.ts),
 * its deals (company-deals.ts) and its timeline (company-timeline.ts).
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { useStageLabels } from '../stage-labels.js';
import { ErrorBox, Field, html, Loading, retryOnConflict, useAction, useLoad } from '../ui.js';
import { type Company, type CompanySize, DomainTaken, SIZES } from './companies.js';
import { CompanyDeals } from './company-deals.js';
import { CompanyFields } from './company-fields.js';
import { focusLater, People } from './company-people.js';
import { CompanyTimeline } from './company-timeline.js';

type CompanyView = components['schemas']['CompanyView'];

export function CompanyScreen({ id }: { id: string }) {
  const stages = useStageLabels();
  const view = useLoad(() => api<CompanyView>('GET', `/v1/companies/${id}`), [id]);
  const [editing, setEditing] = useState(false);
  const [said, setSaid] = useState('');
  const [round, setRound] = useState(0);
  if (view.loading && !view.data) return html`<${Loading} what="Loading the company" />`;
  if (!view.data) return html`<${ErrorBox} error=${view.error} onRetry=${view.reload} />`;
  const { company, people, stage, morePeople } = view.data;
  const changed = (message: string) => {
    setSaid(message);
    setRound((r) => r + 1);
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
      <${CompanyFields} company=${company} onChange=${changed} />
      <${People} company=${company} people=${people} more=${morePeople} onChange=${changed} />
      <${CompanyDeals} company=${company} view=${view.data} onChange=${changed} />
    </div>
    <${CompanyTimeline} companyId=${company.id} round=${round} />
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
