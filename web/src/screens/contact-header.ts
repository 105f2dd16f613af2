/**
 * The contact page's header: the contact's name (its email when it has none), email, company (a link
 * to the company page), owner, lifecycle stage by the workspace's names, lead score, and the actions
 * (log an activity, export its data, delete it).
 */
import { api, type Contact, type ContactStanding } from '../api.js';
import type { components } from '../api-types.js';
import { STAGES, useStageLabels } from '../stage-labels.js';
import { html, useLoad } from '../ui.js';
import { ownerName, useUsers } from '../user-picker.js';

type ContactCompany = components['schemas']['ContactCompany'];

const points = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** The contact's name as people say it, or its email when it has no name. */
export const displayName = (c: Pick<Contact, 'firstName' | 'lastName' | 'email'>) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

const initials = (c: Contact) => {
  const name = [c.firstName, c.lastName].filter((n): n is string => Boolean(n));
  const letters = name.length > 0 ? name.map((n) => n.charAt(0)) : [c.email.charAt(0)];
  return letters.join('').slice(0, 2).toUpperCase();
};

/** Moves the focus (and the view) to an element of the page by its id. */
export const goTo = (id: string) => {
  const target = document.getElementById(id);
  if (!target) return;
  if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.scrollIntoView({ block: 'start' });
  target.focus();
};

export function ContactHeader({
  contact: c,
  round,
  onErase,
}: {
  contact: Contact;
  /** Bumped to read the company and the standing again. */
  round: number;
  onErase: () => void;
}) {
  const labels = useStageLabels();
  const { users } = useUsers();
  const company = useLoad(
    () => api<ContactCompany>('GET', `/v1/contacts/${c.id}/company`).catch(() => undefined),
    [c.id, round],
  );
  const standing = useLoad(
    () => api<ContactStanding>('GET', `/v1/contacts/${c.id}/standing`).catch(() => undefined),
    [c.id, round],
  );
  const name = displayName(c);
  const hasName = name !== c.email;
  const s = standing.data;
  const firm = company.data?.company;
  return html`<div class="contact-header">
    <div class="contact-avatar" aria-hidden="true">${initials(c)}</div>
    <div class="contact-identity">
      <h1 id="contact-title" class="wrap-anywhere">${name}</h1>
      ${hasName ? html`<p class="contact-email wrap-anywhere"><a href=${`mailto:${c.email}`}>${c.email}</a></p>` : null}
      <dl class="contact-facts">
        <div><dt>Company</dt><dd>${
          firm
            ? html`<a href=${`#/companies/${firm.id}`}>${firm.name}</a>`
            : company.loading
              ? '…'
              : (c.company ?? html`<span class="muted">None</span>`)
        }</dd></div>
        <div><dt>Owner</dt><dd>${c.owner ? ownerName(users, c.owner) : html`<span class="muted">Nobody</span>`}</dd></div>
        <div><dt>Lifecycle stage</dt><dd>${
          s?.stage
            ? html`<span class="stage-chip">${labels[s.stage] ?? STAGES[s.stage]}</span>`
            : standing.loading
              ? '…'
              : html`<span class="muted">None yet</span>`
        }</dd></div>
        <div><dt>Score</dt><dd>${
          s ? `${points.format(s.score)} of ${points.format(s.threshold)}` : standing.loading ? '…' : '—'
        }</dd></div>
      </dl>
    </div>
    <div class="contact-actions" role="group" aria-label="Actions">
      <button type="button" onClick=${() => goTo('composer-body')}>Log activity</button>
      <button type="button" class="secondary" onClick=${() => goTo('gdpr-title')}>Export data</button>
      <button type="button" class="danger" onClick=${onErase}>Delete…</button>
    </div>
  </div>`;
}
