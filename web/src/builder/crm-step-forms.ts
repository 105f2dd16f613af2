/**
 * The side panel's settings of the CRM steps: a deal's pipeline and stage (chosen from lists), its
 * title, amount and currency; a move's pipeline and stage; the owner's email's subject and message
 * (merge fields like templates'); the webhook subscription a POST goes to.
 */
import { html } from '../ui.js';
import { Problem, SelectField, TextField } from './controls.js';
import type { Step } from './model.js';
import type { Refs } from './refs.js';

type CrmStep = Extract<Step, { type: 'createDeal' | 'moveDeal' | 'notifyOwner' | 'webhook' }>;

export function CrmStepForm({
  step,
  onChange,
  refs,
  problems,
}: {
  step: CrmStep;
  onChange: (step: Step) => void;
  refs: Refs;
  problems: Map<string, string>;
}) {
  const p = (key: string) => problems.get(key);
  switch (step.type) {
    case 'createDeal':
    case 'moveDeal': {
      const pipeline = refs.pipelines.items?.find((x) => x.id === step.pipelineId);
      const where = html`<${SelectField} id="wfb-deal-pipeline" label="Pipeline" value=${step.pipelineId ?? ''}
          placeholder="Choose a pipeline" loaded=${refs.pipelines} problem=${p('pipelineId')}
          hint=${refs.pipelines.items?.length === 0 ? 'No pipelines yet: make one under Deals.' : undefined}
          options=${(refs.pipelines.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          onChange=${(v: string) => onChange({ ...step, pipelineId: v, stage: '' })} />
        <${SelectField} id="wfb-deal-stage" label=${step.type === 'moveDeal' ? 'Move to stage' : 'Stage'}
          value=${step.stage ?? ''} problem=${p('stage')}
          placeholder=${pipeline ? 'Choose a stage' : 'Choose a pipeline first'}
          options=${(pipeline?.stages ?? []).map((s) => ({ value: s.name, label: s.name }))}
          onChange=${(v: string) => onChange({ ...step, stage: v })} />`;
      if (step.type === 'moveDeal')
        return html`${where}
          <p class="muted">Moves the contact’s open deal in this pipeline (the newest, if several). A contact
            with none skips this step.</p>`;
      const amount = step.amount === undefined ? '' : String(step.amount);
      return html`${where}
        <${TextField} id="wfb-deal-name" label="Deal name (optional)" value=${step.name ?? ''} problem=${p('name')}
          hint="Merge fields work: {{ contact.company }}. Empty: the contact’s company or name."
          onInput=${(v: string) => {
            const { name: _n, ...rest } = step;
            onChange(v ? { ...rest, name: v } : rest);
          }} />
        <div>
          <${TextField} id="wfb-deal-amount" label="Amount (optional)" type="number" value=${amount}
            problem=${p('amount')}
            onInput=${(v: string) => {
              const { amount: _a, ...rest } = step;
              const n = Number(v);
              onChange(v.trim() !== '' && Number.isFinite(n) ? { ...rest, amount: n } : rest);
            }} />
          <${TextField} id="wfb-deal-currency" label="Currency" value=${step.currency ?? ''} problem=${p('currency')}
            hint="ISO code such as EUR; empty: USD."
            onInput=${(v: string) => {
              const { currency: _c, ...rest } = step;
              const code = v.trim().toUpperCase();
              onChange(code ? { ...rest, currency: code } : rest);
            }} />
        </div>
        <p class="muted">The deal is the contact’s, owned by the contact’s owner; one per enrollment.</p>`;
    }
    case 'notifyOwner':
      return html`<${TextField} id="wfb-notify-subject" label="Subject" value=${step.subject ?? ''}
          problem=${p('subject')} hint="Merge fields work: {{ contact.firstName }}."
          onInput=${(v: string) => onChange({ ...step, subject: v })} />
        <div class="field">
          <label for="wfb-notify-message">Message</label>
          <textarea id="wfb-notify-message" rows="5" value=${step.message ?? ''}
            aria-invalid=${p('message') ? 'true' : undefined}
            aria-describedby=${p('message') ? 'wfb-notify-message-problem' : undefined}
            onInput=${(e: Event) => onChange({ ...step, message: (e.target as HTMLTextAreaElement).value })}></textarea>
          <${Problem} id="wfb-notify-message" text=${p('message')} />
        </div>
        <p class="muted">Emailed to the contact’s owner, with a link to the contact. A contact without an
          owner skips this step.</p>`;
    case 'webhook': {
      const hooks = refs.webhooks.items ?? [];
      return html`<${SelectField} id="wfb-webhook" label="Webhook" value=${step.webhookId ?? ''}
          placeholder="Choose a webhook" loaded=${refs.webhooks} problem=${p('webhookId')}
          hint=${refs.webhooks.items && hooks.length === 0 ? 'No webhooks yet: add one under Settings → Webhooks.' : undefined}
          options=${hooks.map((w) => ({ value: w.id, label: w.description ? `${w.description} (${w.url})` : w.url }))}
          onChange=${(v: string) => onChange({ ...step, webhookId: v })} />
        <p class="muted">POSTs the contact and the enrollment as JSON, signed with the webhook’s secret
          (Tendril-Signature). Retried for a few minutes; if it still fails, the failure is recorded and
          the contact goes on to the next step.</p>`;
    }
  }
}
