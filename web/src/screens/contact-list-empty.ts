/**
 * The contacts list before there is any contact: the ways to get the first ones — the form below
 * (focused), an import of a CSV file, or a web form that captures leads.
 */
import { html } from '../ui.js';

const addOne = () => {
  const email = document.getElementById('new-contact-email');
  email?.scrollIntoView({ block: 'center' });
  email?.focus();
};

export function NoContactsYet() {
  return html`<div class="first-steps">
    <p class="empty">No contacts yet.</p>
    <p id="first-steps-title">Get your first contacts:</p>
    <ul aria-labelledby="first-steps-title">
      <li><button type="button" class="secondary" onClick=${addOne}>Add a contact</button></li>
      <li><a href="#/imports">Import a CSV</a></li>
      <li><a href="#/forms">Create a form</a></li>
    </ul>
  </div>`;
}
