/**
 * A condition, edited with pickers: has a tag, a custom field compared by its type (the operators and
 * the value input its type calls for), opened or clicked an earlier email of the workflow, and the
 * groups all of / any of / not, nested. Used by if steps and by a goal (which may not test emails).
 */
import type { Template } from '../api.js';
import { html } from '../ui.js';
import { type Option, SelectField, TagField, TextField } from './controls.js';
import { DATE_OPERATOR_WORDS, OPERATOR_WORDS } from './labels.js';
import type { Condition, FieldValue, Operator, Step } from './model.js';
import type { FieldDefinition } from './refs.js';

type Kind = 'hasTag' | 'field' | 'emailOpened' | 'emailClicked' | 'all' | 'any' | 'not';
const KIND_LABELS: Record<Kind, string> = {
  hasTag: 'Contact has a tag',
  field: 'A field’s value',
  emailOpened: 'Opened an earlier email',
  emailClicked: 'Clicked a link in an earlier email',
  all: 'All of these conditions',
  any: 'Any of these conditions',
  not: 'Not this condition',
};

const OPERATORS_BY_TYPE: Record<FieldDefinition['type'], Operator[]> = {
  text: ['eq', 'neq', 'contains', 'exists'],
  select: ['eq', 'neq', 'exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists'],
  date: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists'],
  boolean: ['eq', 'exists'],
};

export interface ConditionContext {
  fields: FieldDefinition[];
  tags: string[];
  /** The sendEmail steps the condition may name (none: a goal). */
  emails?: Array<Extract<Step, { type: 'sendEmail' }>>;
  templates: Template[];
  /** The API's problems by their path inside the condition ('' for the condition itself). */
  problems: Map<string, string>;
}

export function kindOf(c: Condition): Kind {
  for (const k of ['hasTag', 'emailOpened', 'emailClicked', 'all', 'any', 'not', 'field'] as const)
    if (k in c) return k;
  return 'hasTag';
}

const defaultValue = (type: FieldDefinition['type'] | undefined, def?: FieldDefinition): FieldValue =>
  type === 'number' ? 0 : type === 'boolean' ? true : type === 'select' ? (def?.options?.[0] ?? '') : '';

function fresh(kind: Kind, from: Condition, ctx: ConditionContext): Condition {
  switch (kind) {
    case 'hasTag':
      return { hasTag: '' };
    case 'field': {
      const def = ctx.fields[0];
      return { field: def?.name ?? '', op: 'eq', value: defaultValue(def?.type, def) };
    }
    case 'emailOpened':
      return { emailOpened: { step: ctx.emails?.[0]?.id ?? '' } };
    case 'emailClicked':
      return { emailClicked: { step: ctx.emails?.[0]?.id ?? '' } };
    case 'all':
      return { all: [from] };
    case 'any':
      return { any: [from] };
    case 'not':
      return { not: from };
  }
}

export function ConditionEditor({
  id,
  value,
  onChange,
  ctx,
  path = '',
  onRemove,
}: {
  id: string;
  value: Condition;
  onChange: (c: Condition) => void;
  ctx: ConditionContext;
  /** Where this condition is inside the outermost one (for the API's problems). */
  path?: string;
  onRemove?: () => void;
}) {
  const kind = kindOf(value);
  const kinds = (Object.keys(KIND_LABELS) as Kind[]).filter(
    (k) => ctx.emails !== undefined || (k !== 'emailOpened' && k !== 'emailClicked'),
  );
  const at = (rest: string) => [path, rest].filter(Boolean).join('.');
  const problem = (rest: string) => ctx.problems.get(at(rest));
  return html`<div class="wfb-condition">
    <${SelectField} id=${`${id}-kind`} label="Condition" value=${kind}
      options=${kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
      problem=${problem('')}
      onChange=${(k: string) => onChange(fresh(k as Kind, value, ctx))} />
    ${body()}
    ${onRemove ? html`<button type="button" class="secondary wfb-remove" onClick=${onRemove}>Remove this condition</button>` : null}
  </div>`;

  function body() {
    if ('hasTag' in value)
      return html`<${TagField} id=${`${id}-tag`} label="Tag" value=${value.hasTag} tags=${ctx.tags}
        problem=${problem('hasTag')} onChange=${(tag: string) => onChange({ hasTag: tag })} />`;
    if ('emailOpened' in value || 'emailClicked' in value) {
      const key = 'emailOpened' in value ? 'emailOpened' : 'emailClicked';
      const ref = 'emailOpened' in value ? value.emailOpened : value.emailClicked;
      const options: Option[] = (ctx.emails ?? []).map((s) => ({
        value: s.id,
        label: `${ctx.templates.find((t) => t.id === s.templateId)?.name ?? 'No template yet'} (${s.id})`,
      }));
      return html`<${SelectField} id=${`${id}-email`} label="Email" value=${ref?.step ?? ''} options=${options}
        placeholder=${options.length ? 'Choose an email' : 'No email step before this one'}
        problem=${problem(`${key}.step`) ?? problem(key)}
        onChange=${(step: string) => onChange((key === 'emailOpened' ? { emailOpened: { step } } : { emailClicked: { step } }) as Condition)} />`;
    }
    if ('all' in value || 'any' in value) {
      const key = 'all' in value ? 'all' : 'any';
      const list = ('all' in value ? value.all : value.any) ?? [];
      const set = (next: Condition[]) =>
        onChange((key === 'all' ? { all: next } : { any: next }) as Condition);
      return html`<fieldset class="wfb-group">
        <legend>${key === 'all' ? 'All of' : 'Any of'} (${list.length})</legend>
        ${list.map(
          (
            c,
            i,
          ) => html`<${ConditionEditor} key=${i} id=${`${id}-${i}`} value=${c} ctx=${ctx} path=${at(`${key}.${i}`)}
            onChange=${(n: Condition) => set(list.map((x, j) => (j === i ? n : x)))}
            onRemove=${list.length > 1 ? () => set(list.filter((_, j) => j !== i)) : undefined} />`,
        )}
        ${
          list.length < 10
            ? html`<button type="button" class="secondary" onClick=${() => set([...list, { hasTag: '' }])}>Add a condition</button>`
            : null
        }
      </fieldset>`;
    }
    if ('not' in value)
      return html`<fieldset class="wfb-group"><legend>Not</legend>
        <${ConditionEditor} id=${`${id}-not`} value=${value.not} ctx=${ctx} path=${at('not')}
          onChange=${(n: Condition) => onChange({ not: n })} />
      </fieldset>`;
    return html`<${FieldComparison} id=${id} value=${value} onChange=${onChange} ctx=${ctx} problem=${problem} />`;
  }
}

function FieldComparison({
  id,
  value,
  onChange,
  ctx,
  problem,
}: {
  id: string;
  value: Extract<Condition, { field: string }>;
  onChange: (c: Condition) => void;
  ctx: ConditionContext;
  problem: (rest: string) => string | undefined;
}) {
  const def = ctx.fields.find((f) => f.name === value.field);
  const type = def?.type ?? 'text';
  const ops = OPERATORS_BY_TYPE[type];
  const words = (op: Operator) =>
    type === 'date' ? (DATE_OPERATOR_WORDS[op] ?? OPERATOR_WORDS[op]) : OPERATOR_WORDS[op];
  const set = (field: string, op: Operator, v: FieldValue | undefined) =>
    onChange(op === 'exists' || v === undefined ? { field, op } : { field, op, value: v });
  const chooseField = (name: string) => {
    const next = ctx.fields.find((f) => f.name === name);
    const allowed = OPERATORS_BY_TYPE[next?.type ?? 'text'];
    const op = allowed.includes(value.op) ? value.op : 'eq';
    set(name, op, op === 'exists' ? undefined : defaultValue(next?.type, next));
  };
  const chooseOp = (op: Operator) =>
    set(value.field, op, op === 'exists' ? undefined : (value.value ?? defaultValue(type, def)));
  const fieldOptions: Option[] = ctx.fields.map((f) => ({ value: f.name, label: f.label }));
  return html`<div class="wfb-compare">
    <${SelectField} id=${`${id}-field`} label="Field" value=${value.field} options=${fieldOptions}
      placeholder=${fieldOptions.length ? 'Choose a field' : 'No custom fields yet (Settings → Fields)'}
      problem=${problem('field')} onChange=${chooseField} />
    <${SelectField} id=${`${id}-op`} label="Comparison" value=${value.op}
      options=${ops.map((op) => ({ value: op, label: words(op) }))} problem=${problem('op')}
      onChange=${(op: string) => chooseOp(op as Operator)} />
    ${value.op === 'exists' ? null : valueInput()}
  </div>`;

  function valueInput() {
    const label = 'Value';
    const vid = `${id}-value`;
    if (type === 'boolean')
      return html`<${SelectField} id=${vid} label=${label} value=${String(value.value === true || value.value === 'true')}
        options=${[{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }]}
        problem=${problem('value')} onChange=${(v: string) => set(value.field, value.op, v === 'true')} />`;
    if (type === 'select')
      return html`<${SelectField} id=${vid} label=${label} value=${String(value.value ?? '')}
        options=${(def?.options ?? []).map((o) => ({ value: o, label: o }))} placeholder="Choose a value"
        problem=${problem('value')} onChange=${(v: string) => set(value.field, value.op, v)} />`;
    if (type === 'number')
      return html`<${TextField} id=${vid} label=${label} type="number" value=${String(value.value ?? '')}
        problem=${problem('value')}
        onInput=${(v: string) => set(value.field, value.op, v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v)} />`;
    return html`<${TextField} id=${vid} label=${label} type=${type === 'date' ? 'date' : 'text'}
      value=${String(value.value ?? '')} problem=${problem('value')}
      onInput=${(v: string) => set(value.field, value.op, v)} />`;
  }
}
