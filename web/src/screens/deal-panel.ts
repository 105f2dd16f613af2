/**
 * The deal side panel: a modal drawer (a native dialog: focus stays inside, Escape closes) with the
 * deal's fields to edit (its contact chosen in the contact picker by name, company or email, or
 * removed), Won (with an optional reason) / Lost (with a reason, from the common ones) / Reopen,
 * and Delete after a confirmation.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { ErrorBox, Field, html, useAction } from '../ui.js';
import {
  ContactChoice,
  type Deal,
  type DealContact,
  DealFacts,
  firstStageOf,
  OwnerSelect,
  type Pipeline,
  stageKindIn,
  type User,
} from './deal-parts.js';
import { DealReason, ReasonForm } from './deal-reason.js';

export interface DealPanelProps {
  deal: Deal;
  pipeline: Pipeline;
  contacts: DealContact[];
  users: User[] | undefined;
  onClose: () => void;
  /** The deal as saved (or undefined: deleted). */
  onChanged: (deal: Deal | undefined) => void;
}

export function DealPanel({ deal: given, pipeline, contacts, users, onClose, onChanged }: DealPanelProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [deal, setDeal] = useState(given);
  /** Contacts chosen here (not yet among the board's or the list's until it reloads). */
  const [chosen, setChosen] = useState<DealContact[]>([]);
  const known = [...chosen, ...contacts];
  const contactOf = (d: Deal): DealContact | undefined =>
    d.contactId
      ? (known.find((c) => c.id === d.contactId) ?? {
          id: d.contactId,
          email: '',
          name: 'This deal’s contact',
        })
      : undefined;
  const [form, setForm] = useState(() => formOf(given));
  const [contact, setContact] = useState(() => contactOf(given));
  const [asking, setAsking] = useState<'won' | 'lost' | 'delete' | undefined>();
  const [saved, setSaved] = useState('');
  const action = useAction();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const closed = () => {
      onClose();
      // Back where the panel was opened from, or (moved away meanwhile) the deal's stage control.
      if (opener?.isConnected) opener.focus();
      else document.getElementById(`move-${given.id}`)?.focus();
    };
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
    };
  }, []);
  const set = (key: keyof ReturnType<typeof formOf>) => (value: string) => setForm({ ...form, [key]: value });
  const choose = (c: DealContact | undefined) => {
    if (c && !known.some((k) => k.id === c.id)) setChosen([c, ...chosen]);
    setContact(c);
  };

  const patch = async (body: Record<string, unknown>, done: string) => {
    let next: Deal | undefined;
    const ok = await action.run(async () => {
      next = await api<Deal>('PATCH', `/v1/deals/${deal.id}`, { version: deal.version, ...body });
    });
    if (ok && next) {
      setDeal(next);
      setForm(formOf(next));
      setContact(contactOf(next));
      setAsking(undefined);
      setSaved(done);
      onChanged(next);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      title: form.title,
      amount: Number(form.amount),
      currency: form.currency.trim().toUpperCase(),
      owner: form.owner.trim() || null,
      closeDate: form.closeDate || null,
    };
    if (form.stage !== deal.stage) body.stage = form.stage;
    // The contact chosen in the picker (by id), or none (null clears it); unchanged: not sent.
    if ((contact?.id ?? null) !== (deal.contactId ?? null)) body.contactId = contact?.id ?? null;
    void patch(body, 'Saved.');
  };
  const remove = async () => {
    if (await action.run(() => api('DELETE', `/v1/deals/${deal.id}?version=${deal.version}`))) {
      onChanged(undefined);
      ref.current?.close();
    }
  };

  const kind = stageKindIn(pipeline, deal.stage);
  const won = firstStageOf(pipeline, 'won');
  const lost = firstStageOf(pipeline, 'lost');
  const open = firstStageOf(pipeline, 'open');
  const conflict = action.error instanceof ApiError && action.error.status === 409;
  return html`<dialog ref=${ref} class="deal-panel" aria-labelledby="deal-panel-title">
    <header>
      <h2 id="deal-panel-title">${deal.title}</h2>
      <button type="button" class="secondary" onClick=${() => ref.current?.close()}>Close</button>
    </header>
    <p><strong>${deal.stage}</strong> <span class="muted">(${kind})</span></p>
    <${DealReason} deal=${deal} />
    <${DealFacts} deal=${deal} contacts=${known} users=${users} />
    <div class="actions">
      ${kind !== 'won' && won ? html`<button type="button" disabled=${action.busy} onClick=${() => setAsking('won')}>Mark won…</button>` : null}
      ${kind !== 'lost' && lost ? html`<button type="button" class="secondary" disabled=${action.busy} onClick=${() => setAsking('lost')}>Mark lost…</button>` : null}
      ${kind !== 'open' && open ? html`<button type="button" class="secondary" disabled=${action.busy} onClick=${() => patch({ stage: open }, `Reopened in ${open}.`)}>Reopen</button>` : null}
      <button type="button" class="danger" disabled=${action.busy} onClick=${() => setAsking('delete')}>Delete…</button>
    </div>
    ${
      (asking === 'lost' && lost) || (asking === 'won' && won)
        ? html`<section class="card" aria-labelledby="panel-reason-title">
            <h3 id="panel-reason-title">${asking === 'won' ? `Mark won (moves to ${won})` : `Mark lost (moves to ${lost})`}</h3>
            <${ReasonForm} key=${asking} kind=${asking} id="panel-reason" busy=${action.busy}
              onCancel=${() => setAsking(undefined)}
              onConfirm=${(reason: string | undefined) =>
                asking === 'won'
                  ? patch({ stage: won, ...(reason ? { wonReason: reason } : {}) }, `Won: moved to ${won}.`)
                  : patch({ stage: lost, lostReason: reason }, `Lost: moved to ${lost}.`)} />
          </section>`
        : null
    }
    ${
      asking === 'delete'
        ? html`<div class="card" role="group" aria-labelledby="delete-question">
            <p id="delete-question"><strong>Delete “${deal.title}”?</strong> It leaves the board, the list and the forecast. This cannot be undone.</p>
            <button type="button" class="danger" disabled=${action.busy} onClick=${remove}>Delete deal</button>
            <button type="button" class="secondary" onClick=${() => setAsking(undefined)}>Cancel</button>
          </div>`
        : null
    }
    <${ErrorBox} error=${action.error} />
    ${conflict ? html`<p>Someone changed this deal meanwhile: close the panel to see it as it is now, then try again.</p>` : null}
    <p role="status" aria-live="polite" class="muted">${saved}</p>
    <form onSubmit=${save} aria-labelledby="deal-edit-title">
      <h3 id="deal-edit-title">Edit</h3>
      <${Field} label="Name" id="panel-title" required value=${form.title} onInput=${set('title')} />
      <${Field} label="Amount" id="panel-amount" type="number" required value=${form.amount} onInput=${set('amount')} />
      <${Field} label="Currency" id="panel-currency" required value=${form.currency} onInput=${set('currency')} hint="ISO code, such as EUR." />
      <${OwnerSelect} id="panel-owner" value=${form.owner} users=${users} onChange=${set('owner')} />
      <${Field} label="Expected close date" id="panel-close" type="date" value=${form.closeDate} onInput=${set('closeDate')} />
      <${ContactChoice} id="panel-contact" contact=${contact && (known.find((c) => c.id === contact.id) ?? contact)} onChange=${choose}
        hint="Search by name, company or email; saved with Save." />
      <div class="field">
        <label for="panel-stage">Stage</label>
        <select id="panel-stage" aria-describedby="panel-stage-hint" value=${form.stage} onChange=${(e: Event) => set('stage')((e.target as HTMLSelectElement).value)}>
          ${pipeline.stages
            // Won and lost go through Mark won… / Mark lost…, which ask why.
            .filter((s) => stageKindIn(pipeline, s.name) === 'open' || s.name === deal.stage)
            .map((s) => html`<option value=${s.name}>${s.name}</option>`)}
        </select>
        <small id="panel-stage-hint" class="muted">To win or lose the deal, use Mark won… or Mark lost… above: they ask why.</small>
      </div>
      <button type="submit" disabled=${action.busy}>Save</button>
    </form>
  </dialog>`;
}

function formOf(deal: Deal) {
  return {
    title: deal.title,
    amount: String(deal.amount),
    currency: deal.currency,
    owner: deal.owner ?? '',
    closeDate: deal.closeDate ?? '',
    stage: deal.stage,
  };
}
