/**
 * Deleting a contact (a GDPR erasure: the contact and everything keyed to it): a modal dialog that
 * asks to type the contact's email before Delete is allowed. Once deleted, the contacts list is shown
 * with a message saying so.
 */
import { useState } from 'preact/hooks';
import { api, type Contact } from '../api.js';
import { ErrorBox, html, useAction, useModalDialog } from '../ui.js';
import { displayName } from './contact-header.js';

/**
 * Says something after a move to another screen (a deleted contact): a message with a Dismiss button
 * in its own labelled region, kept until dismissed or the screen is left.
 */
export function notify(text: string) {
  document.querySelector('.toast-host')?.remove();
  const host = document.createElement('div');
  host.className = 'toast-host';
  host.setAttribute('role', 'region');
  host.setAttribute('aria-label', 'Notifications');
  const message = document.createElement('p');
  message.setAttribute('role', 'status');
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'secondary';
  dismiss.textContent = 'Dismiss';
  host.append(message, dismiss);
  document.body.append(host);
  let moves = 0;
  const close = () => {
    host.remove();
    window.removeEventListener('hashchange', onMove);
  };
  // The first move is the one to the list; the next leaves it.
  const onMove = () => {
    moves += 1;
    if (moves > 1) close();
  };
  dismiss.addEventListener('click', close);
  window.addEventListener('hashchange', onMove);
  // Filled once in the page, so screen readers announce it.
  setTimeout(() => {
    message.textContent = text;
  }, 50);
}

export function ContactErase({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const dialog = useModalDialog();
  const [typed, setTyped] = useState('');
  const erase = useAction();
  const matches = typed.trim().toLowerCase() === contact.email.toLowerCase();
  const name = displayName(contact);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!matches) return;
    if (await erase.run(() => api('DELETE', `/v1/contacts/${contact.id}`))) {
      dialog.current?.close();
      notify(`${name} was deleted, with everything kept about them.`);
      window.location.hash = '#/contacts';
    }
  };

  return html`<dialog ref=${dialog} class="erase-dialog" aria-labelledby="erase-title" aria-describedby="erase-what"
    onCancel=${(e: Event) => {
      e.preventDefault();
      onClose();
    }}>
    <form onSubmit=${submit}>
      <h2 id="erase-title" class="wrap-anywhere">Delete ${name}?</h2>
      <p id="erase-what">This erases the contact and everything kept about them: properties, tags, timeline,
        enrollments, emails sent and follow-ups. Their address stays on the suppression list if it was on it.
        This cannot be undone.</p>
      <div class="field">
        <label for="erase-confirm">Type <strong class="wrap-anywhere">${contact.email}</strong> to confirm</label>
        <input id="erase-confirm" type="text" autocomplete="off" spellcheck=${false} value=${typed}
          onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} />
      </div>
      <${ErrorBox} error=${erase.error} />
      <div class="erase-buttons">
        <button type="button" class="secondary" onClick=${onClose}>Cancel</button>
        <button type="submit" class="danger" disabled=${!matches || erase.busy}>
          ${erase.busy ? 'Deleting…' : 'Delete permanently'}
        </button>
      </div>
    </form>
  </dialog>`;
}
