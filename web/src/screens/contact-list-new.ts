/** The form under the contacts list that creates a contact (email, first name, time zone). */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field, html, useAction } from '../ui.js';
import { TimeZoneInput } from './time-zone-field.js';

export function NewContact({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [timeZone, setTimeZone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      email,
      ...(firstName ? { firstName } : {}),
      ...(timeZone.trim() ? { timeZone: timeZone.trim() } : {}),
    };
    if (await action.run(() => api('POST', '/v1/contacts', body))) {
      setEmail('');
      setFirstName('');
      setTimeZone('');
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-contact">
    <h2 id="new-contact">New contact</h2>
    <${Field} label="Email" id="new-contact-email" type="email" required value=${email} onInput=${setEmail} />
    <${Field} label="First name" id="new-contact-first" value=${firstName} onInput=${setFirstName} />
    <${TimeZoneInput} id="new-contact-time-zone" value=${timeZone} onInput=${setTimeZone} />
    <${ErrorBox} error=${action.error} where=${(path: string) => (path === 'timeZone' ? 'Time zone' : undefined)} />
    <button type="submit" disabled=${action.busy}>Create contact</button>
  </form>`;
}
