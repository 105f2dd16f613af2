/**
 * A step's settings in the side panel, by its type: the template (with a preview of its subject and
 * HTML) and subscription type of an email, a wait's duration in words, a time of day, an if's
 * condition, a split's paths and percentages, a tag, a task's title, due time and owner, the event a
 * waitForEvent step waits for (wait-event-form.ts), and the CRM steps' deal, notice and webhook
 * settings (crm-step-forms.ts). Nothing is typed as an id: each reference is chosen from a list.
 */
import { useState } from 'preact/hooks';
import { html } from '../ui.js';
import { UserPicker } from '../user-picker.js';
import { ConditionEditor } from './conditions.js';
import { DurationField, Problem, SelectField, TagField, TextField } from './controls.js';
import { CrmStepForm } from './crm-step-forms.js';
import { pathLetter, SETTABLE_PROPERTIES } from './labels.js';
import {
  type Condition,
  type Definition,
  emailsBefore,
  type Path,
  type SplitBranch,
  STEP_ID,
  type Step,
} from './model.js';
import type { Refs } from './refs.js';
import { WaitEventForm } from './wait-event-form.js';

export interface FormContext {
  doc: Definition;
  path: Path;
  refs: Refs;
  tags: string[];
  /** The API's problems about this step, by their path inside it ('' for the step itself). */
  problems: Map<string, string>;
}

/** The problems under a prefix, with the prefix taken off ('condition.any.0' → 'any.0'). */
export function within(problems: Map<string, string>, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of problems) {
    if (k === prefix) out.set('', v);
    else if (k.startsWith(`${prefix}.`)) out.set(k.slice(prefix.length + 1), v);
  }
  return out;
}

export function StepForm({
  step,
  onChange,
  ctx,
}: {
  step: Step;
  onChange: (step: Step) => void;
  ctx: FormContext;
}) {
  const p = (key: string) => ctx.problems.get(key);
  const set = (key: string, value: unknown) => {
    const next = { ...step } as Record<string, unknown>;
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next as Step);
  };
  switch (step.type) {
    case 'sendEmail': {
      const templates = ctx.refs.templates.items ?? [];
      const chosen = templates.find((t) => t.id === step.templateId);
      const types = ctx.refs.subscriptionTypes.items ?? [];
      return html`<${SelectField} id="wfb-template" label="Email template" value=${step.templateId}
          options=${templates.map((t) => ({ value: t.id, label: t.name }))} placeholder="Choose a template"
          loaded=${ctx.refs.templates} problem=${p('templateId')}
          hint=${templates.length === 0 && ctx.refs.templates.items ? 'No templates yet: make one under Templates.' : undefined}
          onChange=${(v: string) => set('templateId', v)} />
        ${
          chosen
            ? html`<figure class="wfb-preview">
                <figcaption><span class="muted">Subject:</span> <strong>${chosen.subject}</strong></figcaption>
                <iframe title=${`Preview of ${chosen.name}`} sandbox="" srcdoc=${chosen.html}></iframe>
              </figure>`
            : null
        }
        ${
          types.length > 0 || step.subscriptionType
            ? html`<${SelectField} id="wfb-subscription" label="Subscription type" value=${step.subscriptionType ?? ''}
                options=${types.map((t) => ({ value: t.id, label: t.name }))} placeholder="None (every marketing email)"
                loaded=${ctx.refs.subscriptionTypes} problem=${p('subscriptionType')}
                hint="Contacts who left this type are skipped."
                onChange=${(v: string) => set('subscriptionType', v || undefined)} />`
            : null
        }`;
    }
    case 'wait':
      return html`<${DurationField} id="wfb-duration" label="Wait for" value=${step.duration ?? ''}
        problem=${p('duration')} onChange=${(v: string) => set('duration', v)} />`;
    case 'waitUntil':
      return html`<${TextField} id="wfb-time" label="Time of day" type="time" value=${step.time ?? ''}
          problem=${p('time')} onInput=${(v: string) => v && set('time', v.slice(0, 5))} />
        <${SelectField} id="wfb-time-zone" label="In the time zone of" value=${step.timezone ?? 'workflow'}
          options=${[
            { value: 'workflow', label: `The workflow (${ctx.doc.timezone ?? 'UTC'})` },
            { value: 'contact', label: 'The contact (its timezone field, else UTC)' },
          ]}
          problem=${p('timezone')} onChange=${(v: string) => set('timezone', v)} />`;
    case 'if':
      return html`<${ConditionEditor} id="wfb-cond" value=${step.condition}
        onChange=${(c: Condition) => set('condition', c)}
        ctx=${{
          fields: ctx.refs.fields.items ?? [],
          tags: ctx.tags,
          emails: emailsBefore(ctx.doc, ctx.path),
          templates: ctx.refs.templates.items ?? [],
          problems: within(ctx.problems, 'condition'),
        }} />
        <p class="muted">Contacts who match go down the Yes branch, the others down No; both continue after it.</p>`;
    case 'split':
      return html`<${SplitForm} step=${step} onChange=${onChange} problems=${ctx.problems} />`;
    case 'addTag':
    case 'removeTag':
      return html`<${TagField} id="wfb-tag" label=${step.type === 'addTag' ? 'Tag to add' : 'Tag to remove'}
        value=${step.tag ?? ''} tags=${ctx.tags} problem=${p('tag')} onChange=${(v: string) => set('tag', v)} />`;
    case 'createTask':
      return html`<${TextField} id="wfb-task-title" label="Task title" value=${step.title ?? ''} problem=${p('title')}
          onInput=${(v: string) => set('title', v)} />
        <${DurationField} id="wfb-due" label="Due in" value=${step.dueIn ?? ''} problem=${p('dueIn')}
          onChange=${(v: string) => set('dueIn', v)} />
        <${UserPicker} id="wfb-owner" label="Owner" value=${step.owner ?? ''} noneLabel="The contact’s owner"
          onChange=${(v: string) => set('owner', v || undefined)} />
        <${Problem} id="wfb-owner" text=${p('owner')} />`;
    case 'updateField':
      return html`<${FieldValueForm} step=${step} onChange=${onChange} ctx=${ctx} />`;
    case 'createDeal':
    case 'moveDeal':
    case 'notifyOwner':
    case 'webhook':
      return html`<${CrmStepForm} step=${step} onChange=${onChange} refs=${ctx.refs} problems=${ctx.problems} />`;
    case 'waitForEvent':
      return html`<${WaitEventForm} step=${step} onChange=${onChange} emails=${emailsBefore(ctx.doc, ctx.path)}
        templates=${ctx.refs.templates.items ?? []} tags=${ctx.tags} problems=${ctx.problems} />`;
    case 'exit':
      return html`<p>The enrollment ends here (as “exited”); steps after it are not reached.</p>`;
    default:
      return html`<p>This step's type is not one the builder knows: edit it in the JSON tab.</p>`;
  }
}

/** The field to set (a property or a custom field, by its label) and its value by the field's type, or cleared. */
function FieldValueForm({
  step,
  onChange,
  ctx,
}: {
  step: Extract<Step, { type: 'updateField' }>;
  onChange: (step: Step) => void;
  ctx: FormContext;
}) {
  const custom = ctx.refs.fields.items ?? [];
  const def = custom.find((f) => f.name === step.field);
  const clearing = step.value === null;
  const typed = (raw: string): string | number | boolean =>
    def?.type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))
      ? Number(raw)
      : def?.type === 'boolean'
        ? raw === 'true'
        : raw;
  const value = step.value === null || step.value === undefined ? '' : String(step.value);
  return html`<${SelectField} id="wfb-field" label="Field" value=${step.field ?? ''} placeholder="Choose a field"
      problem=${ctx.problems.get('field')} loaded=${ctx.refs.fields}
      options=${[
        ...SETTABLE_PROPERTIES.map(([key, label]) => ({ value: key, label })),
        ...custom.map((f) => ({ value: f.name, label: `${f.label} (custom field)` })),
      ]}
      onChange=${(field: string) => onChange({ ...step, field, value: clearing ? null : '' })} />
    <div class="field">
      <label><input type="checkbox" id="wfb-field-clear" checked=${clearing}
        onChange=${(e: Event) => onChange({ ...step, value: (e.target as HTMLInputElement).checked ? null : '' })} />
        Clear the field instead</label>
    </div>
    ${
      clearing
        ? null
        : def?.type === 'boolean'
          ? html`<${SelectField} id="wfb-field-value" label="Value" value=${value}
              options=${[{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }]}
              problem=${ctx.problems.get('value')} onChange=${(v: string) => onChange({ ...step, value: typed(v) })} />`
          : def?.type === 'select' && def.options
            ? html`<${SelectField} id="wfb-field-value" label="Value" value=${value} placeholder="Choose a value"
                options=${def.options.map((o) => ({ value: o, label: o }))}
                problem=${ctx.problems.get('value')} onChange=${(v: string) => onChange({ ...step, value: v })} />`
            : html`<${TextField} id="wfb-field-value" label="Value" value=${value}
                type=${def?.type === 'number' ? 'number' : def?.type === 'date' ? 'date' : 'text'}
                problem=${ctx.problems.get('value')} onInput=${(v: string) => onChange({ ...step, value: typed(v) })} />`
    }`;
}

function SplitForm({
  step,
  onChange,
  problems,
}: {
  step: Extract<Step, { type: 'split' }>;
  onChange: (step: Step) => void;
  problems: Map<string, string>;
}) {
  const branches = step.branches ?? [];
  const total = branches.reduce((sum, b) => sum + (Number(b.percent) || 0), 0);
  const setBranches = (next: SplitBranch[]) => onChange({ ...step, branches: next });
  const even = (n: number) =>
    Array.from({ length: n }, (_, j) => Math.floor(100 / n) + (j < 100 % n ? 1 : 0));
  const resize = (n: number) => {
    const shares = even(n);
    setBranches(
      Array.from({ length: n }, (_, j) => ({ ...(branches[j] ?? { steps: [] }), percent: shares[j] ?? 0 })),
    );
  };
  const problem = problems.get('branches');
  return html`<fieldset class="wfb-group">
    <legend>Paths (each enrollment takes one at random)</legend>
    ${branches.map(
      (b, j) => html`<div class="field wfb-percent" key=${j}>
        <label for=${`wfb-percent-${j}`}>Path ${pathLetter(j)} (%)</label>
        <input id=${`wfb-percent-${j}`} type="number" min="1" max="99" step="1" value=${String(b.percent)}
          aria-describedby="wfb-split-total"
          aria-invalid=${problems.get(`branches.${j}.percent`) ? 'true' : undefined}
          onInput=${(e: Event) => {
            const v = Number((e.target as HTMLInputElement).value);
            if (Number.isInteger(v))
              setBranches(branches.map((x, i) => (i === j ? { ...x, percent: v } : x)));
          }} />
        <${Problem} id=${`wfb-percent-${j}`} text=${problems.get(`branches.${j}.percent`)} />
        ${
          branches.length > 2
            ? html`<button type="button" class="secondary" aria-label=${`Remove path ${pathLetter(j)} and its ${b.steps?.length ?? 0} steps`}
                onClick=${() => setBranches(branches.filter((_, i) => i !== j))}>Remove path ${pathLetter(j)}</button>`
            : null
        }
      </div>`,
    )}
    <p id="wfb-split-total" class=${total === 100 ? 'muted' : 'error-text'} aria-live="polite">
      Total ${total}%${total === 100 ? '' : ' — the paths must add up to 100%'}</p>
    <${Problem} id="wfb-split" text=${problem} />
    <div class="actions">
      ${branches.length < 5 ? html`<button type="button" class="secondary" onClick=${() => resize(branches.length + 1)}>Add a path</button>` : null}
      <button type="button" class="secondary" onClick=${() => resize(branches.length)}>Split evenly</button>
    </div>
  </fieldset>`;
}

/** A step's id: generated, and editable here (renaming updates the conditions that name it). */
export function StepIdField({
  step,
  taken,
  onRename,
  problem,
}: {
  step: Step;
  taken: Set<string>;
  onRename: (id: string) => void;
  problem?: string | undefined;
}) {
  const [text, setText] = useState(step.id);
  const own = !STEP_ID.test(text)
    ? 'Lower-case letters, digits and -, starting with a letter (at most 40).'
    : text !== step.id && taken.has(text)
      ? 'Another step has this id.'
      : undefined;
  return html`<details class="wfb-id">
    <summary>Step id: <code>${step.id}</code></summary>
    <${TextField} id="wfb-step-id" label="Step id" value=${text} problem=${own ?? problem}
      hint="Counts and reports use it: keep it once the workflow is published."
      onInput=${(v: string) => {
        setText(v);
        if (STEP_ID.test(v) && (v === step.id || !taken.has(v))) onRename(v);
      }} />
  </details>`;
}
