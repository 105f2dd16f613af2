/** A new deal on the board: its stage (the first by default), contact by email, owner, close date. */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ContactPicker, type SearchResult } from '../pickers.js';
import { ErrorBox, Field, html, useAction } from '../ui.js';
import { type Deal, OwnerSelect, type Pipeline, type User } from './deal-parts.js';

export function NewDeal({
  pipeline,
  users,
  onCreated,
}: {
  pipeline: Pipeline;
  users: User[] | undefined;
  onCreated: (deal: Deal) => void;
}) {
  const first = pipeline.stages[0]?.name ?? '';
  const empty = {
    title: '',
    amount: '',
    currency: 'EUR',
    stage: first,
    owner: '',
    closeDate: '',
  };
  const [form, setForm] = useState(empty);
  const [done, setDone] = useState('');
  const [contact, setContact] = useState<SearchResult>();
  const action = useAction();
  const set = (key: keyof typeof empty) => (value: string) => setForm({ ...form, [key]: value });
  const stage = pipeline.stages.some((s) => s.name === form.stage) ? form.stage : first;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      title: form.title,
      amount: Number(form.amount),
      currency: form.currency.trim().toUpperCase(),
      pipelineId: pipeline.id,
      stage,
      ...(contact ? { contactId: contact.id } : {}),
      ...(form.owner.trim() ? { owner: form.owner.trim() } : {}),
      ...(form.closeDate ? { closeDate: form.closeDate } : {}),
    };
    let created: Deal | undefined;
    if ((await action.run(async () => (created = await api<Deal>('POST', '/v1/deals', body)))) && created) {
      setForm({ ...empty, currency: form.currency, stage, owner: form.owner });
      setContact(undefined);
      setDone(`Added “${created.title}” to ${created.stage}.`);
      onCreated(created);
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-deal-title">
    <h2 id="new-deal-title">New deal</h2>
    <div class="inline">
      <${Field} label="Deal" id="deal-title" required value=${form.title} onInput=${set('title')} />
      <${Field} label="Amount" id="deal-amount" type="number" required value=${form.amount} onInput=${set('amount')} />
      <${Field} label="Currency" id="deal-currency" required value=${form.currency} onInput=${set('currency')} />
      <div class="field">
        <label for="deal-stage">Stage</label>
        <select id="deal-stage" value=${stage} onChange=${(e: Event) => set('stage')((e.target as HTMLSelectElement).value)}>
          ${pipeline.stages.map((s) => html`<option value=${s.name}>${s.name}</option>`)}
        </select>
      </div>
      ${
        contact
          ? html`<p class="field"><span><strong>Contact:</strong> ${contact.name || contact.email}</span>
              <button type="button" class="link" onClick=${() => setContact(undefined)}>Remove<span class="sr-only"> contact ${contact.name || contact.email}</span></button></p>`
          : html`<${ContactPicker} id="deal-contact" label="Contact" hint="Search by name or email (optional)." onChoose=${setContact} />`
      }
      <${OwnerSelect} id="deal-owner" value=${form.owner} users=${users} onChange=${set('owner')} />
      <${Field} label="Expected close date" id="deal-close" type="date" value=${form.closeDate} onInput=${set('closeDate')} />
    </div>
    <button type="submit" disabled=${action.busy}>Add deal</button>
    <${ErrorBox} error=${action.error} />
    <p role="status" aria-live="polite" class="muted">${done}</p>
  </form>`;
}
