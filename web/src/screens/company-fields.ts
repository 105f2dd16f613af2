/**
 * A company page's custom fields (`/v1/company-fields`), edited in place: each defined field shows
 * its label and value, Edit turns it into the input its type calls for (text, number, date, yes/no, a
 * select's options) and Save sends it with the company's version (a 409: the company is read again
 * and the value typed is kept to save again; a refused value is said beside its field). Below, a
 * form defines a new field.
 */
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import type { components } from '../api-types.js';
import { fieldValue } from '../list-columns-control.js';
import { ErrorBox, Field, html, useAction, useLoad } from '../ui.js';

type Company = components['schemas']['Company'];
type FieldDefinition = components['schemas']['FieldDefinition'];
type FieldValue = string | number | boolean;
const TYPES: Array<[FieldDefinition['type'], string]> = [
  ['text', 'Text'],
  ['number', 'Number'],
  ['date', 'Date'],
  ['boolean', 'Yes / no'],
  ['select', 'Choice of options'],
];

const controlId = (name: string) => `company-field-${name}`;

function toValue(def: FieldDefinition, draft: string): FieldValue | null {
  const text = draft.trim();
  if (text === '') return null;
  if (def.type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (def.type === 'boolean') return text === 'true';
  return text;
}

export function CompanyFields({
  company,
  onChange,
}: {
  company: Company;
  /** Saved or refused as stale: the company is read again. */
  onChange: (message: string) => void;
}) {
  const definitions = useLoad(() => api<{ items: FieldDefinition[] }>('GET', '/v1/company-fields'), []);
  const [editing, setEditing] = useState<string>();
  const [draft, setDraft] = useState('');
  const [stale, setStale] = useState(false);
  /** A value the browser could not read (letters in a number box): said beside it, nothing sent. */
  const [unreadable, setUnreadable] = useState('');
  const save = useAction();
  const defs = definitions.data?.items ?? [];
  const values = company.fields ?? {};
  const start = (def: FieldDefinition) => {
    setEditing(def.name);
    const v = Object.hasOwn(values, def.name) ? values[def.name] : undefined;
    setDraft(v === undefined ? '' : String(v));
    setStale(false);
    save.clear();
    setTimeout(() => document.getElementById(controlId(def.name))?.focus());
  };
  const stop = (def: FieldDefinition) => {
    setEditing(undefined);
    setUnreadable('');
    setStale(false);
    save.clear();
    setTimeout(() => document.getElementById(`${controlId(def.name)}-edit`)?.focus());
  };
  const submit = async (def: FieldDefinition, e: Event) => {
    e.preventDefault();
    setStale(false);
    const box = document.getElementById(controlId(def.name)) as HTMLInputElement | null;
    if (box?.validity.badInput) {
      setUnreadable(`${def.label} must be a ${def.type === 'date' ? 'date' : 'number'}`);
      return;
    }
    setUnreadable('');
    let refusal: unknown;
    const ok = await save.run(() =>
      api('PATCH', `/v1/companies/${company.id}`, {
        version: company.version,
        fields: { [def.name]: toValue(def, draft) },
      }).catch((err: unknown) => {
        refusal = err;
        throw err;
      }),
    );
    if (ok) {
      stop(def);
      onChange(`${def.label} saved.`);
    } else if (refusal instanceof ApiError && refusal.status === 409) {
      setStale(true);
      onChange('');
    }
  };
  return html`<section class="card" aria-labelledby="company-fields-title">
    <h2 id="company-fields-title" tabindex="-1">Custom fields</h2>
    ${
      definitions.error
        ? html`<${ErrorBox} error=${definitions.error} onRetry=${definitions.reload} />`
        : definitions.loading && !definitions.data
          ? html`<p class="muted" role="status">Loading custom fields…</p>`
          : defs.length === 0
            ? html`<p class="muted">No company fields defined yet: define one below.</p>`
            : html`<dl class="props">${defs.map((def) => {
                const v = Object.hasOwn(values, def.name) ? values[def.name] : undefined;
                if (editing !== def.name)
                  return html`<div class="prop" key=${def.name}>
                    <dt>${def.label}</dt>
                    <dd><span class="prop-value wrap-anywhere">${fieldValue(def, v)}</span>
                      <button type="button" class="link" id=${`${controlId(def.name)}-edit`}
                        aria-label=${`Edit ${def.label}`} onClick=${() => start(def)}>Edit</button></dd>
                  </div>`;
                const id = controlId(def.name);
                const apiError = save.error instanceof ApiError ? save.error : undefined;
                const beside =
                  unreadable ||
                  apiError?.problems
                    .filter((p) => p.path === `fields.${def.name}`)
                    .map((p) => `${def.label} ${p.message}`)
                    .join('; ');
                const described = [beside ? `${id}-error` : '', stale ? `${id}-stale` : '']
                  .filter(Boolean)
                  .join(' ');
                const common = {
                  id,
                  'aria-invalid': beside ? 'true' : undefined,
                  'aria-describedby': described || undefined,
                };
                const onInput = (e: Event) => setDraft((e.target as HTMLInputElement).value);
                return html`<div class="prop editing" key=${def.name}>
                  <dt><label for=${id}>${def.label}</label></dt>
                  <dd><form class="prop-form" noValidate onSubmit=${(e: Event) => submit(def, e)}
                    onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && stop(def)}>
                    ${
                      def.type === 'select' || def.type === 'boolean'
                        ? html`<select ...${common} value=${draft} onChange=${onInput}>
                            <option value="">Not set</option>
                            ${
                              def.type === 'boolean'
                                ? html`<option value="true">Yes</option><option value="false">No</option>`
                                : (def.options ?? []).map((o) => html`<option value=${o}>${o}</option>`)
                            }
                          </select>`
                        : html`<input ...${common} autocomplete="off" value=${draft} onInput=${onInput}
                            type=${def.type === 'number' ? 'number' : def.type === 'date' ? 'date' : 'text'}
                            step=${def.type === 'number' ? 'any' : undefined} />`
                    }
                    ${beside ? html`<p class="field-error" id=${`${id}-error`} role="alert">${beside}</p>` : null}
                    ${stale ? html`<p class="warning" id=${`${id}-stale`} role="alert">Someone changed this company meanwhile: it is shown as it is now. Your value is kept: save again to apply it.</p>` : null}
                    <div class="prop-buttons">
                      <button type="submit" disabled=${save.busy}>${save.busy ? 'Saving…' : 'Save'}</button>
                      <button type="button" class="secondary" onClick=${() => stop(def)}>Cancel</button>
                    </div>
                    ${beside || stale ? null : html`<${ErrorBox} error=${save.error} />`}
                  </form></dd>
                </div>`;
              })}</dl>`
    }
    <${DefineField} onDefined=${(def: FieldDefinition) => {
      definitions.reload();
      onChange(`Field ${def.label} defined.`);
    }} />
  </section>`;
}

/** Defines a company field: its label, its name in the API, its type (and a select's options). */
function DefineField({ onDefined }: { onDefined: (def: FieldDefinition) => void }) {
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ label: '', name: '', type: 'text' as FieldDefinition['type'], options: '' });
  const define = useAction();
  if (!open)
    return html`<button type="button" class="secondary" id="company-define-field" onClick=${() => {
      setOpen(true);
      setTimeout(() => document.getElementById('define-field-label')?.focus());
    }}>Define a field</button>`;
  const close = () => {
    setOpen(false);
    define.clear();
    setTimeout(() => document.getElementById('company-define-field')?.focus());
  };
  return html`<form aria-labelledby="define-field-title" onSubmit=${async (e: Event) => {
    e.preventDefault();
    const options = v.options
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    let made: FieldDefinition | undefined;
    const ok = await define.run(async () => {
      made = await api<FieldDefinition>('POST', '/v1/company-fields', {
        label: v.label.trim(),
        name: v.name.trim(),
        type: v.type,
        ...(v.type === 'select' ? { options } : {}),
      });
    });
    if (ok && made) {
      setV({ label: '', name: '', type: 'text', options: '' });
      close();
      onDefined(made);
    }
  }}>
    <h3 id="define-field-title">Define a company field</h3>
    <${Field} label="Label" id="define-field-label" required value=${v.label} onInput=${(label: string) => setV({ ...v, label })} />
    <${Field} label="Name in the API" id="define-field-name" required value=${v.name}
      onInput=${(name: string) => setV({ ...v, name })} hint="Letters, digits and _, starting with a letter (e.g. renewalDate)." />
    <div class="field">
      <label for="define-field-type">Type</label>
      <select id="define-field-type" value=${v.type}
        onChange=${(e: Event) => setV({ ...v, type: (e.target as HTMLSelectElement).value as FieldDefinition['type'] })}>
        ${TYPES.map(([t, label]) => html`<option value=${t}>${label}</option>`)}
      </select>
    </div>
    ${
      v.type === 'select'
        ? html`<${Field} label="Options" id="define-field-options" required value=${v.options}
            onInput=${(options: string) => setV({ ...v, options })} hint="Separated by commas." />`
        : null
    }
    <${ErrorBox} error=${define.error} />
    <button type="submit" disabled=${define.busy}>Define field</button>
    <button type="button" class="secondary" onClick=${close}>Cancel</button>
  </form>`;
}
