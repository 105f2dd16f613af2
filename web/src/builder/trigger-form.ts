/**
 * The trigger, the goal and the workflow's settings in the side panel: the trigger's type in words and
 * what that type needs, chosen from lists (a form, a segment, a booking page, a pipeline and one of its
 * stages, a template, a lifecycle stage, a case channel or status, a tag); the goal (a tag, a reply,
 * or a condition on tags and fields); the name, time zone and re-enrollment.
 */

import { TimeZoneInput } from '../screens/time-zone-field.js';
import { html } from '../ui.js';
import { ConditionEditor } from './conditions.js';
import { type Option, SelectField, TagField, TextField } from './controls.js';
import {
  CASE_CHANNELS,
  CASE_STATUSES,
  LIFECYCLE_STAGES,
  stageName,
  TRIGGER_LABELS,
  WATCHABLE_PROPERTIES,
} from './labels.js';
import type { Condition, Definition, Goal, Trigger } from './model.js';
import type { Refs } from './refs.js';

const opts = (values: readonly string[], label: (v: string) => string = (v) => v): Option[] =>
  values.map((v) => ({ value: v, label: label(v) }));
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A new trigger of a type, with its required fields empty (or a first choice where one is natural). */
function freshTrigger(type: string): Trigger {
  switch (type) {
    case 'tagAdded':
      return { type, tag: '' };
    case 'formSubmitted':
      return { type, formId: '' };
    case 'segmentEntered':
      return { type, segmentId: '' };
    case 'lifecycleStageChanged':
      return { type, stage: 'lead' };
    case 'caseStatusChanged':
      return { type, status: 'open' };
    case 'dealStageChanged':
      return { type, pipelineId: '', stage: '' };
    case 'fieldChanged':
      return { type, field: '' };
    case 'dateReached':
      return { type, field: '', days: 0, time: '09:00' };
    default:
      return { type };
  }
}

export function TriggerForm({
  trigger,
  onChange,
  refs,
  tags,
  problems,
}: {
  trigger: Trigger;
  onChange: (t: Trigger) => void;
  refs: Refs;
  tags: string[];
  problems: Map<string, string>;
}) {
  const p = (k: string) => problems.get(k);
  const set = (key: string, value: string | undefined) => {
    const next = { ...trigger } as Record<string, unknown>;
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    onChange(next as Trigger);
  };
  const str = (k: string) => (typeof trigger[k] === 'string' ? (trigger[k] as string) : '');
  return html`<${SelectField} id="wfb-trigger-type" label="Contacts enroll when" value=${trigger.type}
      options=${Object.entries(TRIGGER_LABELS).map(([value, label]) => ({ value, label }))} problem=${p('type') ?? p('')}
      onChange=${(t: string) => onChange(freshTrigger(t))} />
    ${fields()}`;

  function fields() {
    switch (trigger.type) {
      case 'tagAdded':
        return html`<${TagField} id="wfb-trigger-tag" label="Tag" value=${str('tag')} tags=${tags} problem=${p('tag')}
          onChange=${(v: string) => onChange({ ...trigger, tag: v })} />`;
      case 'formSubmitted':
        return html`<${SelectField} id="wfb-trigger-form" label="Form" value=${str('formId')} placeholder="Choose a form"
          options=${(refs.forms.items ?? []).map((f) => ({ value: f.id, label: f.name }))} loaded=${refs.forms}
          problem=${p('formId')} onChange=${(v: string) => onChange({ ...trigger, formId: v })} />`;
      case 'segmentEntered':
        return html`<${SelectField} id="wfb-trigger-segment" label="Segment" value=${str('segmentId')}
          placeholder="Choose a segment" loaded=${refs.segments} problem=${p('segmentId')}
          options=${(refs.segments.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange=${(v: string) => onChange({ ...trigger, segmentId: v })} />`;
      case 'purchaseMade':
        return html`<${TextField} id="wfb-trigger-source" label="Only purchases from (optional)" value=${str('source')}
          hint="The source another system reports, such as shop; empty for any." problem=${p('source')}
          onInput=${(v: string) => set('source', v.trim().toLowerCase())} />`;
      case 'appointmentBooked':
        return html`<${SelectField} id="wfb-trigger-meeting" label="Booking page" value=${str('meetingTypeId')}
          placeholder="Any booking page" loaded=${refs.meetingTypes} problem=${p('meetingTypeId')}
          options=${(refs.meetingTypes.items ?? []).map((m) => ({ value: m.id, label: m.name }))}
          onChange=${(v: string) => set('meetingTypeId', v)} />`;
      case 'lifecycleStageChanged':
        return html`<${SelectField} id="wfb-trigger-stage" label="Lifecycle stage" value=${str('stage')}
          options=${opts(LIFECYCLE_STAGES, stageName)} problem=${p('stage')} onChange=${(v: string) => set('stage', v)} />`;
      case 'caseCreated':
        return html`<${SelectField} id="wfb-trigger-channel" label="Channel" value=${str('channel')} placeholder="Any channel"
          options=${opts(CASE_CHANNELS, (c) => (c === 'ui' ? 'The app' : c === 'api' ? 'API' : cap(c)))}
          problem=${p('channel')} onChange=${(v: string) => set('channel', v)} />`;
      case 'caseStatusChanged':
        return html`<${SelectField} id="wfb-trigger-status" label="Status" value=${str('status')}
          options=${opts(CASE_STATUSES, cap)} problem=${p('status')} onChange=${(v: string) => set('status', v)} />`;
      case 'dealStageChanged': {
        const pipeline = refs.pipelines.items?.find((x) => x.id === trigger.pipelineId);
        return html`<${SelectField} id="wfb-trigger-pipeline" label="Pipeline" value=${str('pipelineId')}
            placeholder="Choose a pipeline" loaded=${refs.pipelines} problem=${p('pipelineId')}
            options=${(refs.pipelines.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
            onChange=${(v: string) => onChange({ ...trigger, pipelineId: v, stage: '' })} />
          <${SelectField} id="wfb-trigger-deal-stage" label="Stage" value=${str('stage')}
            placeholder=${pipeline ? 'Choose a stage' : 'Choose a pipeline first'} problem=${p('stage')}
            options=${opts((pipeline?.stages ?? []).map((s) => s.name))}
            onChange=${(v: string) => onChange({ ...trigger, stage: v })} />`;
      }
      case 'emailClicked':
        return html`<${SelectField} id="wfb-trigger-template" label="Email" value=${str('templateId')}
          placeholder="Any email" loaded=${refs.templates} problem=${p('templateId')}
          options=${(refs.templates.items ?? []).map((t) => ({ value: t.id, label: t.name }))}
          onChange=${(v: string) => set('templateId', v)} />`;
      case 'fieldChanged':
        return html`<${SelectField} id="wfb-trigger-field" label="Field" value=${str('field')}
            placeholder="Choose a field" loaded=${refs.fields} problem=${p('field')}
            options=${[
              ...WATCHABLE_PROPERTIES.map(([key, label]) => ({ value: key, label })),
              ...(refs.fields.items ?? []).map((f) => ({
                value: f.name,
                label: `${f.label} (custom field)`,
              })),
            ]}
            onChange=${(v: string) => set('field', v)} />
          <${TextField} id="wfb-trigger-value" label="Only when it becomes (optional)" value=${str('value')}
            hint="Empty: any change of the field." problem=${p('value')} onInput=${(v: string) => set('value', v)} />`;
      case 'dateReached':
        return dateFields();
      default:
        return null;
    }
  }

  function dateFields() {
    const days = typeof trigger.days === 'number' ? trigger.days : 0;
    const side = days < 0 ? 'before' : days > 0 ? 'after' : 'on';
    const setDays = (n: number, s: string) =>
      onChange({ ...trigger, days: s === 'on' ? 0 : s === 'before' ? -Math.abs(n || 1) : Math.abs(n || 1) });
    return html`<${SelectField} id="wfb-trigger-date-field" label="Date field" value=${str('field')}
        placeholder="Choose a date field" loaded=${refs.fields} problem=${p('field')}
        options=${(refs.fields.items ?? []).filter((f) => f.type === 'date').map((f) => ({ value: f.name, label: f.label }))}
        onChange=${(v: string) => set('field', v)} />
      <${SelectField} id="wfb-trigger-date-side" label="When" value=${side} problem=${p('days')}
        options=${[
          { value: 'before', label: 'Days before the date' },
          { value: 'on', label: 'On the date' },
          { value: 'after', label: 'Days after the date' },
        ]}
        onChange=${(s: string) => setDays(Math.abs(days), s)} />
      ${
        side === 'on'
          ? null
          : html`<${TextField} id="wfb-trigger-date-days" label="Days" type="number" value=${String(Math.abs(days))}
              hint="From 1 to 365." onInput=${(v: string) => setDays(Math.min(365, Math.max(1, Number.parseInt(v, 10) || 1)), side)} />`
      }
      <${TextField} id="wfb-trigger-date-time" label="At (the workflow's time zone)" type="time" value=${str('time') || '09:00'}
        problem=${p('time')} onInput=${(v: string) => set('time', v)} />`;
  }
}

export function GoalForm({
  goal,
  onChange,
  refs,
  tags,
  problems,
}: {
  goal: Goal | undefined;
  onChange: (g: Goal | undefined) => void;
  refs: Refs;
  tags: string[];
  problems: Map<string, string>;
}) {
  const kind = goal?.type ?? '';
  const choose = (k: string) =>
    onChange(
      k === 'tagAdded'
        ? { type: 'tagAdded', tag: '' }
        : k === 'emailReplied'
          ? { type: 'emailReplied' }
          : k === 'condition'
            ? { type: 'condition', condition: { hasTag: '' } }
            : undefined,
    );
  const conditionProblems = new Map<string, string>();
  for (const [k, v] of problems)
    if (k.startsWith('condition')) conditionProblems.set(k.replace(/^condition\.?/, ''), v);
  return html`<${SelectField} id="wfb-goal-type" label="The enrollment ends early when" value=${kind}
      placeholder="No goal" problem=${problems.get('type') ?? problems.get('')}
      options=${[
        { value: 'tagAdded', label: 'The contact gets a tag' },
        { value: 'emailReplied', label: 'The contact replies by email' },
        { value: 'condition', label: 'The contact matches a condition' },
      ]}
      onChange=${choose} />
    ${
      goal?.type === 'tagAdded'
        ? html`<${TagField} id="wfb-goal-tag" label="Goal tag" value=${goal.tag} tags=${tags} problem=${problems.get('tag')}
            onChange=${(tag: string) => onChange({ type: 'tagAdded', tag })} />`
        : goal?.type === 'condition'
          ? html`<${ConditionEditor} id="wfb-goal-cond" value=${goal.condition}
              onChange=${(condition: Condition) => onChange({ type: 'condition', condition })}
              ctx=${{ fields: refs.fields.items ?? [], tags, templates: [], problems: conditionProblems }} />`
          : null
    }
    <p class="muted">A contact who already meets the goal is not enrolled; one who meets it later stops at the next step.</p>`;
}

export function SettingsForm({
  doc,
  onChange,
  problems,
}: {
  doc: Definition;
  onChange: (key: string, value: unknown) => void;
  problems: Map<string, string>;
}) {
  return html`<${TimeZoneInput} id="wfb-timezone" label="Time zone" value=${doc.timezone ?? ''}
      hint="For “wait until a time of day” steps: an IANA name such as Europe/Berlin."
      onInput=${(v: string) => onChange('timezone', v.trim() || undefined)} />
    ${problems.get('timezone') ? html`<small class="problem">${problems.get('timezone')}</small>` : null}
    <${SelectField} id="wfb-reenrollment" label="Re-enrollment" value=${doc.reenrollment ?? 'never'}
      options=${[
        { value: 'never', label: 'Never: a contact goes through once' },
        { value: 'afterExit', label: 'Again, once the previous enrollment has ended' },
      ]}
      problem=${problems.get('reenrollment')} onChange=${(v: string) => onChange('reenrollment', v)} />`;
}
