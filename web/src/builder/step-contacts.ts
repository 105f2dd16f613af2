/**
 * The contacts behind a step's count (a modal dialog): those at the step now or every one that
 * entered it, newest first, a page at a time, each a link to the contact's page. Escape or Close
 * closes it; the focus goes back to the count that opened it (the caller's part).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type StepContact, stepContacts } from '../api.js';
import { html, Pager, useLoad, usePager, when, whenLoaded } from '../ui.js';
import type { CountKind } from './flow.js';

const PAGE = 25;
const KINDS: Array<[CountKind, string]> = [
  ['current', 'Here now'],
  ['entered', 'Entered'],
];

const nameOf = (c: StepContact) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.contactId;

export function StepContacts({
  workflowId,
  stepId,
  stepName,
  kind: initialKind,
  counts,
  onClose,
}: {
  workflowId: string;
  stepId: string;
  /** The step as the builder names it ("Send email welcome"). */
  stepName: string;
  kind: CountKind;
  counts: { entered: number; current: number };
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [kind, setKind] = useState(initialKind);
  const pager = usePager();
  const list = useLoad(
    () => stepContacts(workflowId, stepId, kind, pager.cursor),
    [workflowId, stepId, kind, pager.cursor],
  );
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    document.getElementById('wfb-contacts-title')?.focus();
  }, []);

  const choose = (next: CountKind) => {
    if (next === kind) return;
    setKind(next);
    pager.reset();
  };
  const counted = counts[kind];
  // On the last page: fewer listed than counted means some reached the step before it was listed.
  const unlisted =
    list.data && !list.data.nextCursor ? counted - ((pager.page - 1) * PAGE + list.data.items.length) : 0;

  // Keys pressed in the list are the list's (Ctrl+Z is not the builder's undo here).
  return html`<dialog ref=${dialog} class="wfb-contacts" aria-labelledby="wfb-contacts-title"
    onKeyDown=${(e: KeyboardEvent) => e.stopPropagation()}
    onCancel=${(e: Event) => {
      e.preventDefault();
      onClose();
    }}>
    <header>
      <h2 id="wfb-contacts-title" tabindex="-1">Contacts · ${stepName}</h2>
      <button type="button" class="secondary" onClick=${onClose}>Close</button>
    </header>
    <div class="wfb-contacts-kinds" role="group" aria-label="Which contacts">
      ${KINDS.map(
        ([k, label]) => html`<button type="button" aria-pressed=${k === kind ? 'true' : 'false'}
          onClick=${() => choose(k)}>${label} (${counts[k]})</button>`,
      )}
    </div>
    ${whenLoaded(list.loading ? { ...list, data: undefined } : list, {
      what: 'Loading contacts',
      empty:
        pager.page > 1
          ? 'No more contacts.'
          : kind === 'current'
            ? 'No contact is at this step now.'
            : 'No contact has entered this step yet.',
      isEmpty: (data) => data.items.length === 0,
      show: (
        data,
      ) => html`<ul class="wfb-contacts-list" aria-label=${`Contacts ${kind === 'current' ? 'at' : 'who entered'} ${stepId}`}>
        ${data.items.map(
          (c) => html`<li key=${c.enrollmentId}>
            <span><a href=${`#/contacts/${c.contactId}`}>${nameOf(c)}</a>
              ${c.email && nameOf(c) !== c.email ? html`<br /><span class="muted">${c.email}</span>` : null}</span>
            <span class="muted">entered ${when(c.enteredAt)}</span>
          </li>`,
        )}
      </ul>`,
    })}
    ${
      unlisted > 0
        ? html`<p class="muted">${unlisted} counted here ${unlisted === 1 ? 'is' : 'are'} not listed: ${
            kind === 'current'
              ? 'they reached the step before this list was kept, and are listed once they move on.'
              : 'they entered it before this list was kept.'
          }</p>`
        : null
    }
    ${
      pager.page > 1 || list.data?.nextCursor
        ? html`<${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />`
        : null
    }
  </dialog>`;
}
