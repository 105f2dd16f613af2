/**
 * A contact's time zone: a text input suggesting the browser's IANA zones (the API checks the name
 * and stores its canonical spelling), and the contact page's card that shows and changes it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Contact } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';

const DATALIST_ID = 'time-zones';

/** The zones this browser knows (none on a browser without Intl.supportedValuesOf). */
function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** A labelled "Time zone" input (or another label and hint) with the known zones as suggestions. */
export function TimeZoneInput({
  id,
  value,
  onInput,
  label = 'Time zone',
  hint = 'An IANA name such as Europe/Paris; empty for none.',
}: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  label?: string;
  hint?: string;
}) {
  const listId = `${id}-${DATALIST_ID}`;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      type="text"
      list=${listId}
      value=${value}
      placeholder="Europe/Paris"
      autocomplete="off"
      aria-describedby=${`${id}-hint`}
      onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
    />
    <datalist id=${listId}>${knownZones().map((z) => html`<option value=${z} />`)}</datalist>
    <small id=${`${id}-hint`} class="muted">${hint}</small>
  </div>`;
}

/**
 * The contact whose time zone was just saved: its card, drawn again with the reloaded contact (the
 * page may redraw it anew), gives the focus back to the field and says it was saved.
 */
let justSaved: string | undefined;

/** The contact's time zone, changed with its version (a stale one is the API's 409, shown as is). */
export function ContactTimeZone({ contact, onChange }: { contact: Contact; onChange: () => void }) {
  const [value, setValue] = useState(contact.timeZone ?? '');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const card = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (justSaved !== contact.id) return;
    justSaved = undefined;
    setSaved(true);
    card.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [contact.id, contact.version]);
  const save = async (e: Event) => {
    e.preventDefault();
    const timeZone = value.trim() === '' ? null : value.trim();
    if (timeZone === (contact.timeZone ?? null)) return;
    setSaved(false);
    const ok = await action.run(() =>
      api('PATCH', `/v1/contacts/${contact.id}`, { version: contact.version, timeZone }),
    );
    if (ok) {
      justSaved = contact.id;
      onChange();
    }
  };
  return html`<form class="card" ref=${card} onSubmit=${save} aria-labelledby="contact-time-zone">
    <h2 id="contact-time-zone">Time zone</h2>
    <p>${contact.timeZone ? html`<strong>${contact.timeZone}</strong>` : 'Not set.'}</p>
    <${TimeZoneInput} id="contact-time-zone-input" value=${value} onInput=${setValue} />
    <${ErrorBox} error=${action.error} where=${(path: string) => (path === 'timeZone' ? 'Time zone' : undefined)} />
    <button type="submit" disabled=${action.busy}>Save time zone</button>
    <p role="status" class="muted">${saved ? 'Time zone saved.' : ''}</p>
  </form>`;
}
