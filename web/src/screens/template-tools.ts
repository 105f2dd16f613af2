/**
 * The template editor's tools: a merge-field picker that inserts `{{ contact.… }}` where the cursor
 * was (in the subject or the HTML), a live preview of what is being written (rendered by the API for
 * a chosen contact or a sample one, with its warnings, before anything is saved), and a test send of
 * the saved template to any address.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Template } from '../api.js';
import type { components } from '../api-types.js';
import { ContactPicker, type SearchResult } from '../pickers.js';
import { ErrorBox, Field, html, useAction, useLoad } from '../ui.js';

type FieldDefinition = components['schemas']['FieldDefinition'];
type Rendered = components['schemas']['RenderedEmail'];
export type Part = 'subject' | 'html';

const PROPERTIES: Array<[string, string]> = [
  ['contact.firstName', 'First name'],
  ['contact.lastName', 'Last name'],
  ['contact.email', 'Email'],
  ['contact.company', 'Company'],
  ['contact.phone', 'Phone'],
  ['unsubscribeUrl', 'Unsubscribe link'],
];

/** Inserts `text` into an input or textarea at its caret (replacing a selection); returns the new value. */
export function insertAtCaret(
  element: HTMLInputElement | HTMLTextAreaElement | null,
  value: string,
  text: string,
) {
  const start = element?.selectionStart ?? value.length;
  const end = element?.selectionEnd ?? start;
  const next = value.slice(0, start) + text + value.slice(end);
  setTimeout(() => {
    element?.focus();
    element?.setSelectionRange(start + text.length, start + text.length);
  });
  return next;
}

export function MergeFieldPicker({ part, onInsert }: { part: Part; onInsert: (tag: string) => void }) {
  const fields = useLoad(() => api<{ items: FieldDefinition[] }>('GET', '/v1/fields'), []);
  return html`<div class="field">
    <label for="tpl-merge">Insert a merge field in the ${part === 'subject' ? 'subject' : 'HTML'}</label>
    <select id="tpl-merge" value="" onChange=${(e: Event) => {
      const select = e.target as HTMLSelectElement;
      if (select.value)
        onInsert(select.value === 'unsubscribeUrl' ? '{{ unsubscribeUrl }}' : `{{ ${select.value} }}`);
      select.value = '';
    }}>
      <option value="">Choose a field…</option>
      <optgroup label="Contact">
        ${PROPERTIES.map(([path, label]) => html`<option value=${path} key=${path}>${label}</option>`)}
      </optgroup>
      ${
        fields.data?.items.length
          ? html`<optgroup label="Custom fields">
              ${fields.data.items.map(
                (f) => html`<option value=${`contact.fields.${f.name}`} key=${f.name}>${f.label}</option>`,
              )}
            </optgroup>`
          : null
      }
    </select>
    ${fields.error ? html`<small class="muted">Custom fields could not be loaded; the contact's own fields are listed.</small>` : null}
  </div>`;
}

/** Renders what is being written, a moment after the last keystroke, for a contact or the sample one. */
export function LivePreview({ subject, html: body }: { subject: string; html: string }) {
  const [contact, setContact] = useState<SearchResult | undefined>();
  const [rendered, setRendered] = useState<Rendered | undefined>();
  const action = useAction();
  const latest = useRef(0);
  const render = () => {
    const call = ++latest.current;
    return action.run(async () => {
      const out = await api<Rendered>('POST', '/v1/templates/render', {
        subject,
        html: body,
        ...(contact ? { contactId: contact.id } : {}),
      });
      if (call === latest.current) setRendered(out);
    });
  };
  useEffect(() => {
    if (!subject.trim() || !body.trim()) return;
    const timer = setTimeout(render, 400);
    return () => clearTimeout(timer);
  }, [subject, body, contact?.id]);
  return html`<section aria-labelledby="preview-title" style="margin-top:1.5rem">
    <h2 id="preview-title">Preview</h2>
    ${
      contact
        ? html`<p>For <strong>${contact.name}</strong>
            <button type="button" class="link" onClick=${() => setContact(undefined)}>Use the sample contact</button></p>`
        : html`<${ContactPicker} id="preview-contact" label="Render for contact" hint="Search by name or email; until then, a sample contact (Sam Sample)." onChoose=${setContact} />`
    }
    <p class="muted" role="status" aria-live="polite">${action.busy ? 'Rendering…' : ''}</p>
    <${ErrorBox} error=${action.error} onRetry=${render} />
    ${
      rendered && !action.error
        ? html`<${Warnings} warnings=${rendered.warnings} />
            <p><strong>Subject:</strong> ${rendered.subject}</p>
            <iframe title="Rendered email" sandbox="" class="preview" srcdoc=${rendered.html}></iframe>`
        : null
    }
  </section>`;
}

export function SendTest({ templateId }: { templateId: string }) {
  const [to, setTo] = useState('');
  const [sent, setSent] = useState('');
  const action = useAction();
  const send = (e: Event) => {
    e.preventDefault();
    setSent('');
    return action.run(async () => {
      const out = await api<{ to: string; subject: string }>(
        'POST',
        `/v1/templates/${templateId}/send-test`,
        { to },
      );
      setSent(`Sent “${out.subject}” to ${out.to}.`);
    });
  };
  return html`<form onSubmit=${send} aria-labelledby="send-test-title">
    <h2 id="send-test-title">Send a test</h2>
    <${Field} label="To" id="tpl-test-to" type="email" required value=${to} onInput=${setTo} hint="Any address; the saved version is sent, for the sample contact." />
    <button type="submit" disabled=${action.busy}>${action.busy ? 'Sending…' : 'Send test'}</button>
    <${ErrorBox} error=${action.error} />
    <p role="status" aria-live="polite">${sent}</p>
  </form>`;
}

/** What to fix before sending (the template saves anyway): shown loudly next to the editor. */
export function Warnings({ warnings }: { warnings?: Template['warnings'] }) {
  if (!warnings?.length) return null;
  return html`<div class="warning" role="status">
    <strong>Check before sending</strong>
    <ul>
      ${warnings.map((w) => html`<li><code>${w.path}</code> ${w.message}</li>`)}
    </ul>
  </div>`;
}
