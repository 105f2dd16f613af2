/**
 * The builder's words: step and trigger types as marketers name them, and one-line summaries of a
 * step, a trigger, a goal and a condition, with the names of the records they refer to.
 */

import { durationWords } from './duration.js';
import type { Condition, Definition, Goal, Operator, Step, StepType, Trigger, WaitEvent } from './model.js';

export const STEP_LABELS: Record<StepType, { name: string; hint: string }> = {
  sendEmail: { name: 'Send email', hint: 'Send one of your email templates' },
  wait: { name: 'Wait', hint: 'Wait a number of minutes, hours, days or weeks' },
  waitUntil: { name: 'Wait until a time of day', hint: 'Wait until the next 9:00, for example' },
  waitForEvent: {
    name: 'Wait for an event',
    hint: 'Wait until they click, reply or are tagged, at most a time',
  },
  if: { name: 'If/then branch', hint: 'Yes and No paths by a condition' },
  split: { name: 'A/B split', hint: 'Random paths by percentage' },
  addTag: { name: 'Add tag', hint: 'Tag the contact' },
  removeTag: { name: 'Remove tag', hint: 'Take a tag off the contact' },
  createTask: { name: 'Create task', hint: 'A follow-up task for the owner' },
  updateField: { name: 'Set a field', hint: 'Set or clear a property or custom field of the contact' },
  createDeal: { name: 'Create deal', hint: 'A deal for the contact in a pipeline' },
  moveDeal: { name: 'Move deal', hint: 'Move the contact’s open deal to a stage' },
  notifyOwner: { name: 'Notify owner', hint: 'Email the contact’s owner' },
  webhook: { name: 'Send webhook', hint: 'POST the contact to one of your webhooks' },
  exit: { name: 'Exit workflow', hint: 'End the enrollment here' },
};

export const stepTypeName = (type: string) => STEP_LABELS[type as StepType]?.name ?? `Step of type ${type}`;

export const TRIGGER_LABELS: Record<string, string> = {
  tagAdded: 'Contact is tagged',
  formSubmitted: 'Form is submitted',
  segmentEntered: 'Contact enters a segment',
  purchaseMade: 'Purchase is made',
  appointmentBooked: 'Meeting is booked',
  scoreReached: 'Lead score reaches the threshold',
  lifecycleStageChanged: 'Lifecycle stage changes',
  caseCreated: 'Case is opened',
  caseStatusChanged: 'Case status changes',
  caseResolved: 'Case is resolved',
  dealStageChanged: 'Deal moves to a stage',
  emailClicked: 'Contact clicks an email',
  fieldChanged: 'A field of the contact changes',
  dateReached: 'A date of the contact comes',
};

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketing_qualified_lead',
  'sales_qualified_lead',
  'opportunity',
  'customer',
  'evangelist',
] as const;
export const stageName = (stage: string) => {
  const words = stage.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
export const CASE_CHANNELS = ['email', 'api', 'ui', 'form'] as const;
export const CASE_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;

export const OPERATOR_WORDS: Record<Operator, string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  exists: 'is set',
};
export const DATE_OPERATOR_WORDS: Partial<Record<Operator, string>> = {
  eq: 'is on',
  neq: 'is not on',
  gt: 'is after',
  gte: 'is on or after',
  lt: 'is before',
  lte: 'is on or before',
};

/** The names of the records a definition refers to, by id (what has loaded so far). */
export interface Names {
  templates: Map<string, string>;
  forms: Map<string, string>;
  segments: Map<string, string>;
  pipelines: Map<string, string>;
  meetingTypes: Map<string, string>;
  fields: Map<string, string>;
  /** The webhook subscriptions' URLs, by id (once loaded). */
  webhooks?: Map<string, string>;
  /** The template of each sendEmail step of the workflow, by step id. */
  emails?: Map<string, string>;
}

const named = (names: Map<string, string>, id: unknown, what: string) =>
  typeof id === 'string' && id ? (names.get(id) ?? `a ${what} not found`) : `no ${what} chosen`;
const tagText = (tag: unknown) => (typeof tag === 'string' && tag ? `“${tag}”` : 'no tag chosen');

/** An email step as people know it: its template's name (“Welcome”), else its id. */
const emailName = (step: string | undefined, names: Names) => {
  if (!step) return 'an email';
  const template = names.emails?.get(step);
  const name = template ? names.templates.get(template) : undefined;
  return name ? `“${name}”` : step;
};

export function conditionText(c: Condition | undefined, names: Names): string {
  if (!c || typeof c !== 'object') return 'no condition';
  if ('hasTag' in c) return `has tag ${tagText(c.hasTag)}`;
  if ('emailOpened' in c) return `opened ${emailName(c.emailOpened?.step, names)}`;
  if ('emailClicked' in c) return `clicked a link in ${emailName(c.emailClicked?.step, names)}`;
  if ('all' in c) return (c.all ?? []).map((x) => conditionText(x, names)).join(' and ') || 'all of nothing';
  if ('any' in c) return (c.any ?? []).map((x) => conditionText(x, names)).join(' or ') || 'any of nothing';
  if ('not' in c) return `not (${conditionText(c.not, names)})`;
  if ('field' in c) {
    const field = names.fields.get(c.field) ?? c.field ?? 'a field';
    return c.op === 'exists'
      ? `${field} is set`
      : `${field} ${OPERATOR_WORDS[c.op] ?? c.op} ${JSON.stringify(c.value ?? '')}`;
  }
  return 'a condition';
}

/** What a waitForEvent step waits for: "a click in “Welcome”", "a reply by email", "the tag “vip”". */
export function waitEventText(event: WaitEvent | undefined, names: Names): string {
  switch (event?.type) {
    case 'emailClicked':
      return `a click in ${event.step ? emailName(event.step, names) : 'an email (none chosen)'}`;
    case 'emailReplied':
      return 'a reply by email';
    case 'tagAdded':
      return event.tag ? `the tag ${tagText(event.tag)}` : 'a tag (none chosen)';
    default:
      return 'an event';
  }
}

/** What a step does, in a line ("Welcome email", "2 days", "has tag “vip”"). */
export function stepSummary(step: Step, names: Names): string {
  switch (step.type) {
    case 'sendEmail':
      return named(names.templates, step.templateId, 'template');
    case 'wait':
      return durationWords(step.duration ?? '');
    case 'waitUntil':
      return `until ${step.time || '—'} (${step.timezone === 'contact' ? 'contact’s' : 'workflow’s'} time)`;
    case 'if':
      return `If ${conditionText(step.condition, names)}`;
    case 'split':
      return (step.branches ?? []).map((b, j) => `${pathLetter(j)} ${b.percent}%`).join(' / ');
    case 'addTag':
    case 'removeTag':
      return tagText(step.tag);
    case 'createTask':
      return `${step.title || 'Untitled task'}, due in ${durationWords(step.dueIn ?? '')}`;
    case 'updateField':
      return step.value === null
        ? `Clear ${fieldLabel(step.field, names)}`
        : `${fieldLabel(step.field, names)} = ${String(step.value ?? '')}`;
    case 'createDeal':
      return `${named(names.pipelines, step.pipelineId, 'pipeline')}: ${step.stage || 'no stage chosen'}${step.amount ? `, ${step.amount} ${step.currency ?? 'USD'}` : ''}`;
    case 'moveDeal':
      return `To ${step.stage || 'no stage chosen'} (${named(names.pipelines, step.pipelineId, 'pipeline')})`;
    case 'notifyOwner':
      return step.subject || 'No subject';
    case 'webhook':
      return named(names.webhooks ?? new Map(), step.webhookId, 'webhook');
    case 'waitForEvent':
      // Short, the most it waits first: a card shows two lines of it.
      return `Up to ${durationWords(step.timeout ?? '')} for ${waitEventText(step.event, names)}`;
    case 'exit':
      return 'The enrollment ends';
    default:
      return 'Edit this step in the JSON tab';
  }
}

export const pathLetter = (j: number) => String.fromCharCode(65 + j);

/** The contact's properties a workflow may set (and watch, with `owner`, `timeZone` and `email`). */
export const SETTABLE_PROPERTIES: Array<[string, string]> = [
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['phone', 'Phone'],
  ['company', 'Company'],
  ['source', 'Source'],
];
export const WATCHABLE_PROPERTIES: Array<[string, string]> = [
  ...SETTABLE_PROPERTIES,
  ['email', 'Email'],
  ['owner', 'Owner'],
  ['timeZone', 'Time zone'],
];

/** A property's or a custom field's name in words. */
const fieldLabel = (field: string, names: Names) =>
  WATCHABLE_PROPERTIES.find(([key]) => key === field)?.[1] ?? names.fields.get(field) ?? (field || 'a field');

export function triggerSummary(t: Trigger, names: Names): string {
  switch (t.type) {
    case 'tagAdded':
      return `Tag ${tagText(t.tag)} is added`;
    case 'formSubmitted':
      return named(names.forms, t.formId, 'form');
    case 'segmentEntered':
      return named(names.segments, t.segmentId, 'segment');
    case 'purchaseMade':
      return t.source ? `From ${String(t.source)}` : 'Any purchase';
    case 'appointmentBooked':
      return t.meetingTypeId
        ? named(names.meetingTypes, t.meetingTypeId, 'booking page')
        : 'Any booking page';
    case 'lifecycleStageChanged':
      return `To ${stageName(String(t.stage ?? ''))}`;
    case 'caseCreated':
      return t.channel ? `From ${String(t.channel)}` : 'From any channel';
    case 'caseStatusChanged':
      return `To ${String(t.status ?? '')}`;
    case 'dealStageChanged':
      return `${named(names.pipelines, t.pipelineId, 'pipeline')}: ${String(t.stage || 'no stage chosen')}`;
    case 'emailClicked':
      return t.templateId ? named(names.templates, t.templateId, 'template') : 'Any email';
    case 'fieldChanged':
      return `${fieldLabel(String(t.field ?? ''), names)}${t.value !== undefined ? ` becomes ${String(t.value)}` : ' changes'}`;
    case 'dateReached': {
      const days = Number(t.days ?? 0);
      const when =
        days === 0
          ? 'On'
          : `${Math.abs(days)} day${Math.abs(days) === 1 ? '' : 's'} ${days < 0 ? 'before' : 'after'}`;
      return `${when} ${fieldLabel(String(t.field ?? ''), names)}, at ${String(t.time ?? '09:00')}`;
    }
    default:
      return TRIGGER_LABELS[t.type] ? '' : `Trigger of type ${t.type}`;
  }
}

export function goalSummary(goal: Goal | undefined, names: Names): string {
  if (!goal) return 'No goal: contacts go through every step';
  if (goal.type === 'tagAdded') return `Contact gets tag ${tagText(goal.tag)}`;
  if (goal.type === 'emailReplied') return 'Contact replies by email';
  if (goal.type === 'condition') return `Contact ${conditionText(goal.condition, names)}`;
  return `Goal of type ${(goal as { type: string }).type}`;
}

export const workflowName = (doc: Definition) => (typeof doc.name === 'string' && doc.name) || 'Unnamed';
