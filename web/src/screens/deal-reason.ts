/**
 * Why a deal was won or lost: the form (lost: one of the common reasons, required, with details;
 * "Other" needs the details; won: an optional note) and the modal dialog the board opens when a
 * deal is dropped on, or chosen into, a won or lost stage (Escape or Cancel: nothing moves).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../ui.js';
import type { Deal } from './deal-parts.js';

export type ClosedKind = 'won' | 'lost';

/** The common reasons a deal is lost (as Pipedrive and HubSpot offer them); "Other" takes free text. */
export const LOST_REASONS = ['Price', 'Competitor', 'No budget', 'No decision', 'Timing'] as const;
const OTHER = 'Other';
/** As the API takes a reason. */
export const REASON_MAX = 500;

/** The reason as saved: the chosen one, with its details after a colon ("Other": the details alone). */
export function reasonText(choice: string, details: string): string {
  const more = details.trim();
  if (choice === OTHER) return more;
  return more ? `${choice}: ${more}` : choice;
}

/** The reason of a closed deal as its card and panel show it. */
export function DealReason({ deal }: { deal: Pick<Deal, 'lostReason' | 'wonReason'> }) {
  return html`${deal.wonReason ? html`<p class="deal-won-reason">Won: ${deal.wonReason}</p>` : null}${
    deal.lostReason ? html`<p class="deal-lost-reason">Lost: ${deal.lostReason}</p>` : null
  }`;
}

export function ReasonForm({
  kind,
  id,
  busy = false,
  onConfirm,
  onCancel,
}: {
  kind: ClosedKind;
  /** Prefix of the form's element ids (two forms may be on the page). */
  id: string;
  busy?: boolean;
  /** The reason (undefined: a won deal without one). */
  onConfirm: (reason: string | undefined) => void;
  onCancel: () => void;
}) {
  const [choice, setChoice] = useState('');
  const [details, setDetails] = useState('');
  const other = choice === OTHER;
  const submit = (e: Event) => {
    e.preventDefault();
    if (kind === 'won') onConfirm(details.trim() || undefined);
    else onConfirm(reasonText(choice, details));
  };
  const detailsLabel =
    kind === 'won' ? 'Why it was won (optional)' : other ? 'The reason' : 'Details (optional)';
  return html`<form class="reason-form" onSubmit=${submit}>
    ${
      kind === 'lost'
        ? html`<fieldset>
            <legend>Why was it lost? <span aria-hidden="true">*</span></legend>
            ${[...LOST_REASONS, OTHER].map(
              (r) => html`<label class="choice"><input type="radio" name=${`${id}-choice`} value=${r} required
                checked=${choice === r} onChange=${() => setChoice(r)} />${r === OTHER ? 'Other…' : r}</label>`,
            )}
          </fieldset>`
        : null
    }
    <div class="field">
      <label for=${`${id}-details`}>${detailsLabel}${other ? html` <span aria-hidden="true">*</span>` : null}</label>
      <input id=${`${id}-details`} name=${`${id}-details`} value=${details} required=${other} maxLength=${REASON_MAX}
        aria-describedby=${`${id}-hint`} onInput=${(e: Event) => setDetails((e.target as HTMLInputElement).value)} />
      <small id=${`${id}-hint`} class="muted">${kind === 'won' ? 'Shown on the deal’s card.' : 'Shown on the deal’s card, after the reason.'}</small>
    </div>
    <div class="actions">
      <button type="submit" disabled=${busy}>${kind === 'won' ? 'Mark won' : 'Mark lost'}</button>
      <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

/**
 * The board's question when a deal goes to a won or lost stage: a native modal dialog (the focus
 * stays inside; Escape cancels). The board moves the focus back to the deal's stage select.
 */
export function ReasonDialog({
  title,
  stage,
  kind,
  onConfirm,
  onCancel,
}: {
  title: string;
  stage: string;
  kind: ClosedKind;
  onConfirm: (reason: string | undefined) => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    dialog.showModal();
    const cancelled = (e: Event) => {
      e.preventDefault();
      cancelRef.current();
    };
    dialog.addEventListener('cancel', cancelled);
    return () => {
      dialog.removeEventListener('cancel', cancelled);
      if (dialog.open) dialog.close();
    };
  }, []);
  return html`<dialog ref=${ref} class="reason-dialog" aria-labelledby="reason-title" aria-describedby="reason-about">
    <h2 id="reason-title">Mark “${title}” ${kind}</h2>
    <p id="reason-about" class="muted">It moves to ${stage}${kind === 'lost' ? '; a reason is required.' : '.'}</p>
    <${ReasonForm} kind=${kind} id="board-reason" onConfirm=${onConfirm} onCancel=${onCancel} />
  </dialog>`;
}
