/**
 * The contact's properties and custom fields, edited in place: each row shows its label (a custom
 * field's label from its definition) and value, and Edit turns it into the input its type calls for
 * (text, email, phone, number, date, yes/no, a select's options). A save sends the contact's version:
 * refused because someone saved the contact meanwhile (409), the contact is read again and the value
 * typed is kept to be saved again, never written over their change. A refused value is said beside
 * its field.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type Contact } from '../api.js';
import type { components } from '../api-types.js';
import { ErrorBox, html, useLoad } from '../ui.js';

type FieldDefinition = components['schemas']['FieldDefinition'];
type FieldValue = string | number | boolean;
type InputKind = FieldDefinition['type'] | 'email' | 'tel';

interface Row {
  /** The property's name, or the custom field's (`fields.<name>` in the API's paths). */
  key: string;
  label: string;
  custom: boolean;
  kind: InputKind;
  options?: string[] | undefined;
  value: FieldValue | undefined;
  required?: boolean;
}

const STANDARD: Array<{ key: keyof Contact & string; label: string; kind: InputKind }> = [
  { key: 'firstName', label: 'First name', kind: 'text' },
  { key: 'lastName', label: 'Last name', kind: 'text' },
  { key: 'email', label: 'Email', kind: 'email' },
  { key: 'phone', label: 'Phone', kind: 'tel' },
  { key: 'company', label: 'Company name', kind: 'text' },
  { key: 'source', label: 'Source', kind: 'text' },
];

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });
const controlId = (key: string) => `prop-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function shown(row: Row) {
  const v = row.value;
  if (v === undefined || v === '')
    return html`<span class="muted">—<span class="sr-only"> not set</span></span>`;
  if (row.kind === 'boolean') return v === true || v === 'true' ? 'Yes' : 'No';
  if (row.kind === 'number' && typeof v === 'number') return number.format(v);
  if (row.kind === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))
    return new Date(`${v}T00:00:00`).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return String(v);
}

/** The draft as the API takes it (null: clear); a number that is none goes as typed, for the API to refuse. */
function toValue(row: Row, draft: string): FieldValue | null {
  const text = draft.trim();
  if (text === '') return null;
  if (row.kind === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (row.kind === 'boolean') return text === 'true';
  return text;
}

export function ContactProperties({
  contact,
  onChange,
  onReload,
}: {
  contact: Contact;
  /** Saved: the contact (and what shows it) is read again. */
  onChange: () => void;
  /** Read the contact again (a save refused as stale). */
  onReload: () => void;
}) {
  const definitions = useLoad(() => api<{ items: FieldDefinition[] }>('GET', '/v1/fields'), []);
  const [editing, setEditing] = useState<string>();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  // The version our own last save made: the next save goes with it even before the contact is read
  // again (else a quick second edit would be refused as stale by our own first one).
  const [saved, setSaved] = useState<{ id: string; version: number }>();
  const version = Math.max(contact.version, saved?.id === contact.id ? saved.version : 0);
  const [error, setError] = useState<unknown>();
  const [stale, setStale] = useState(false);
  const [said, setSaid] = useState('');

  const defs = definitions.data?.items ?? [];
  const rows: Row[] = [
    ...STANDARD.map((p) => ({
      key: p.key,
      label: p.label,
      custom: false,
      kind: p.kind,
      value: contact[p.key] as string | undefined,
      required: p.key === 'email',
    })),
    ...defs.map((d) => ({
      key: d.name,
      label: d.label,
      custom: true,
      kind: d.type,
      options: d.options,
      value: Object.hasOwn(contact.fields, d.name) ? contact.fields[d.name] : undefined,
    })),
    // Values of fields with no definition: shown by their name, edited as text.
    ...Object.entries(contact.fields)
      .filter(([name]) => !defs.some((d) => d.name === name))
      .map(([name, value]) => ({ key: name, label: name, custom: true, kind: 'text' as const, value })),
  ];

  const start = (row: Row) => {
    setEditing(row.key);
    setDraft(row.value === undefined ? '' : String(row.value));
    setError(undefined);
    setStale(false);
    setSaid('');
    setTimeout(() => document.getElementById(controlId(row.key))?.focus());
  };
  const stop = (row: Row) => {
    setEditing(undefined);
    setError(undefined);
    setStale(false);
    setTimeout(() => document.getElementById(`${controlId(row.key)}-edit`)?.focus());
  };
  const save = async (row: Row, e: Event) => {
    e.preventDefault();
    const value = toValue(row, draft);
    if (row.required && value === null) {
      setError(
        new ApiError(400, 'validation_error', `${row.label} is required`, [
          { path: row.key, message: 'is required', code: 'required' },
        ]),
      );
      return;
    }
    const body = row.custom ? { version, fields: { [row.key]: value } } : { version, [row.key]: value };
    setBusy(true);
    setError(undefined);
    setStale(false);
    try {
      const now = await api<Contact>('PATCH', `/v1/contacts/${contact.id}`, body);
      setSaved({ id: now.id, version: now.version });
      setSaid(`${row.label} saved.`);
      stop(row);
      onChange();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'version_conflict') {
        // Someone saved the contact meanwhile: show it as it is now; the value typed stays to save again.
        setStale(true);
        onReload();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<section class="card" aria-labelledby="props-title">
    <h2 id="props-title">About this contact</h2>
    <p role="status" class="muted props-said">${said}</p>
    <dl class="props">
      ${rows.map((row) =>
        editing === row.key
          ? html`<${Editor} key=${row.key} row=${row} draft=${draft} setDraft=${setDraft} busy=${busy}
              error=${error} stale=${stale} onSave=${(e: Event) => save(row, e)} onCancel=${() => stop(row)} />`
          : html`<div class="prop" key=${row.key}>
              <dt>${row.label}</dt>
              <dd><span class="prop-value wrap-anywhere">${shown(row)}</span>
                <button type="button" class="link" id=${`${controlId(row.key)}-edit`}
                  aria-label=${`Edit ${row.label}`} onClick=${() => start(row)}>Edit</button></dd>
            </div>`,
      )}
      <div class="prop"><dt>Created</dt><dd>${new Date(contact.createdAt).toLocaleString()}</dd></div>
    </dl>
    ${
      definitions.error
        ? html`<${ErrorBox} error=${definitions.error} onRetry=${definitions.reload} />`
        : definitions.loading && !definitions.data
          ? html`<p class="muted" role="status">Loading custom fields…</p>`
          : defs.length === 0
            ? html`<p class="muted">No custom fields defined yet.</p>`
            : null
    }
  </section>`;
}

function Editor({
  row,
  draft,
  setDraft,
  busy,
  error,
  stale,
  onSave,
  onCancel,
}: {
  row: Row;
  draft: string;
  setDraft: (v: string) => void;
  busy: boolean;
  error: unknown;
  stale: boolean;
  onSave: (e: Event) => void;
  onCancel: () => void;
}) {
  const id = controlId(row.key);
  const path = row.custom ? `fields.${row.key}` : row.key;
  const apiError = error instanceof ApiError ? error : undefined;
  const mine = apiError?.problems.filter((p) => p.path === path || p.path === row.key) ?? [];
  // Refused for this value (a bad value, an email another contact has): said beside the field.
  const beside =
    mine.length > 0
      ? mine.map((p) => `${row.label} ${p.message}`).join('; ')
      : apiError?.status === 409
        ? apiError.message
        : undefined;
  const other = error && !beside ? error : undefined;
  const describedBy = [beside ? `${id}-error` : '', stale ? `${id}-stale` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    'aria-invalid': beside ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  };
  const onInput = (e: Event) => setDraft((e.target as HTMLInputElement).value);
  const input =
    row.kind === 'select' || row.kind === 'boolean'
      ? html`<select ...${common} value=${draft} onChange=${onInput}>
          <option value="">Not set</option>
          ${
            row.kind === 'boolean'
              ? html`<option value="true">Yes</option><option value="false">No</option>`
              : (row.options ?? []).map((o) => html`<option value=${o}>${o}</option>`)
          }
        </select>`
      : html`<input ...${common}
          type=${row.kind === 'number' ? 'number' : row.kind === 'date' ? 'date' : row.kind === 'email' ? 'email' : row.kind === 'tel' ? 'tel' : 'text'}
          step=${row.kind === 'number' ? 'any' : undefined}
          required=${row.required}
          autocomplete="off"
          value=${draft} onInput=${onInput} />`;
  return html`<div class="prop editing">
    <dt><label for=${id}>${row.label}</label></dt>
    <dd>
      <form class="prop-form" noValidate onSubmit=${onSave}
        onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && onCancel()}>
        ${input}
        ${beside ? html`<p class="field-error" id=${`${id}-error`} role="alert">${beside}</p>` : null}
        ${
          stale
            ? html`<p class="warning" id=${`${id}-stale`} role="alert">Someone changed this contact meanwhile: it is shown as it is now. Your value is kept: save again to apply it.</p>`
            : null
        }
        <div class="prop-buttons">
          <button type="submit" disabled=${busy}>${busy ? 'Saving…' : 'Save'}</button>
          <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
        </div>
        <${ErrorBox} error=${other} />
      </form>
    </dd>
  </div>`;
}
