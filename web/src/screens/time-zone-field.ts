/**
 * A contact's time zone: a text input suggesting the browser's IANA zones (the API checks the name
 * and stores its canonical spelling), and the contact page's card that shows and changes it.
 */
import type { Contact } from '../api.js';
import { html } from '../ui.js';
import { ContactPropertyCard } from './contact-property-card.js';

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

/** The contact's time zone card. */
export function ContactTimeZone({ contact, onChange }: { contact: Contact; onChange: () => void }) {
  return html`<${ContactPropertyCard}
    contact=${contact}
    property="timeZone"
    title="Time zone"
    onChange=${onChange}
    input=${(value: string, setValue: (v: string) => void) =>
      html`<${TimeZoneInput} id="contact-time-zone-input" value=${value} onInput=${setValue} />`}
  />`;
}
