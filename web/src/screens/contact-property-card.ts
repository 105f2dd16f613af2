/**
 * A card on the contact page that shows one property and changes it with the contact's version (a
 * stale one is the API's 409, shown as is). Redrawn with the reloaded contact, it gives the focus
 * back to its field and says it was saved. Used for the time zone and the owner.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Contact } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';
import { UserPicker } from '../user-picker.js';

type Property = 'timeZone' | 'owner';

/** The contact and property just saved: the page may draw its card anew after the reload. */
let justSaved: string | undefined;
/** A save refused because the contact changed meanwhile: the card, drawn anew, keeps the value typed. */
let justRefused: { key: string; value: string } | undefined;

export function ContactPropertyCard({
  contact,
  property,
  title,
  onChange,
  input,
}: {
  contact: Contact;
  property: Property;
  /** The card's heading, also the name of the property in its messages ("Time zone"). */
  title: string;
  onChange: () => void;
  /** Draws the labelled input for the value being edited. */
  input: (value: string, setValue: (value: string) => void) => ComponentChildren;
}) {
  const current = contact[property];
  const [value, setValue] = useState(current ?? '');
  const [saved, setSaved] = useState(false);
  const [refused, setRefused] = useState(false);
  const action = useAction();
  const card = useRef<HTMLFormElement>(null);
  const key = `${contact.id}/${property}`;
  const headingId = `contact-${property}`;
  useEffect(() => {
    if (justRefused?.key === key) {
      setValue(justRefused.value);
      setRefused(true);
      justRefused = undefined;
    } else if (justSaved === key) setSaved(true);
    else return;
    justSaved = undefined;
    card.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [key, contact.version]);
  const save = async (e: Event) => {
    e.preventDefault();
    const next = value.trim() === '' ? null : value.trim();
    if (next === (current ?? null)) return;
    setSaved(false);
    setRefused(false);
    let refusal: unknown;
    const ok = await action.run(() =>
      api('PATCH', `/v1/contacts/${contact.id}`, { version: contact.version, [property]: next }).catch(
        (err: unknown) => {
          refusal = err;
          throw err;
        },
      ),
    );
    if (ok) {
      justSaved = key;
      onChange();
    } else if (refusal instanceof ApiError && refusal.status === 409) {
      // Changed meanwhile: read again (the card is drawn anew at the new version), keeping the value.
      justRefused = { key, value };
      onChange();
    }
  };
  return html`<form class="card" ref=${card} onSubmit=${save} aria-labelledby=${headingId}>
    <h2 id=${headingId}>${title}</h2>
    <p>${current ? html`<strong>${current}</strong>` : 'Not set.'}</p>
    ${input(value, setValue)}
    ${
      refused
        ? html`<p class="warning" role="alert">The contact changed meanwhile: this is it as it is now. Save again to set the ${title.toLowerCase()}.</p>`
        : html`<${ErrorBox} error=${action.error} where=${(path: string) => (path === property ? title : undefined)} />`
    }
    <button type="submit" disabled=${action.busy}>Save ${title.toLowerCase()}</button>
    <p role="status" class="muted">${saved ? `${title} saved.` : ''}</p>
  </form>`;
}

/** Who follows the contact up: tasks a workflow creates for the contact go to them. */
export function ContactOwner({ contact, onChange }: { contact: Contact; onChange: () => void }) {
  return html`<${ContactPropertyCard}
    contact=${contact}
    property="owner"
    title="Owner"
    onChange=${onChange}
    input=${(value: string, setValue: (v: string) => void) => html`<${UserPicker}
      id="contact-owner-input"
      label="Owner"
      noneLabel="Nobody"
      value=${value}
      onChange=${setValue}
      hint="Who follows this contact up; their tasks from workflows go to them."
    />`}
  />`;
}
