/**
 * What the builder's pickers choose from, loaded once when the builder opens: templates (with subject
 * and HTML for the preview), forms, segments, pipelines and their stages, booking pages, custom field
 * definitions, subscription types, webhook subscriptions, and the tags in use. There is no tags
 * endpoint: tags are gathered from the forms (the tags they give), the workflows (their triggers,
 * goals, tag steps and conditions) and the latest contacts. Each list has its own state, so one that fails offers Retry on its own.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  api,
  type EmailSettings,
  type Form,
  type MeetingType,
  type Page,
  type Pipeline,
  type Segment,
  type Template,
  type Webhook,
  type Workflow,
} from '../api.js';
import type { components } from '../api-types.js';
import type { Names } from './labels.js';
import { type Condition, type Definition, walkSteps } from './model.js';

export type FieldDefinition = components['schemas']['FieldDefinition'];
type SubscriptionType = components['schemas']['SubscriptionType'];
type ContactItem = components['schemas']['Contact'];

export interface Loaded<T> {
  items?: T[];
  error?: unknown;
  retry: () => void;
}

/** Every page of a list (up to 10 pages of 100). */
async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api<Page<T>>(
      'GET',
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

function useList<T>(load: () => Promise<T[]>): Loaded<T> {
  const [state, setState] = useState<{ items?: T[]; error?: unknown }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ items: s.items }));
    load().then(
      (items) => alive && setState({ items }),
      (error: unknown) => alive && setState({ error }),
    );
    return () => {
      alive = false;
    };
  }, [round]);
  return { ...state, retry: () => setRound((r) => r + 1) };
}

export function conditionTags(c: Condition | undefined): string[] {
  if (!c || typeof c !== 'object') return [];
  if ('hasTag' in c) return [c.hasTag];
  if ('all' in c) return (c.all ?? []).flatMap(conditionTags);
  if ('any' in c) return (c.any ?? []).flatMap(conditionTags);
  if ('not' in c) return conditionTags(c.not);
  return [];
}

/** The tags a definition names anywhere. */
export function definitionTags(def: Definition): string[] {
  const out: unknown[] = [def.trigger?.type === 'tagAdded' ? def.trigger.tag : undefined];
  if (def.goal?.type === 'tagAdded') out.push(def.goal.tag);
  if (def.goal?.type === 'condition') out.push(...conditionTags(def.goal.condition));
  for (const { step } of walkSteps(Array.isArray(def.steps) ? def.steps : [])) {
    if (step.type === 'addTag' || step.type === 'removeTag') out.push(step.tag);
    if (step.type === 'if') out.push(...conditionTags(step.condition));
    if (step.type === 'waitForEvent' && step.event?.type === 'tagAdded') out.push(step.event.tag);
  }
  return out.filter((t): t is string => typeof t === 'string' && t !== '');
}

export function useRefs() {
  const templates = useList(() => all<Template>('/v1/templates'));
  const forms = useList(() => all<Form>('/v1/forms'));
  const segments = useList(() => all<Segment>('/v1/segments'));
  const pipelines = useList(() => all<Pipeline>('/v1/pipelines'));
  const meetingTypes = useList(() => all<MeetingType>('/v1/meeting-types'));
  const fields = useList(() => api<{ items: FieldDefinition[] }>('GET', '/v1/fields').then((r) => r.items));
  const subscriptionTypes = useList(() =>
    api<EmailSettings>('GET', '/v1/settings/email').then((s) => s.subscriptionTypes ?? []),
  ) as Loaded<SubscriptionType>;
  const workflows = useList(() => all<Workflow>('/v1/workflows'));
  const webhooks = useList(() => api<{ items: Webhook[] }>('GET', '/v1/webhooks').then((r) => r.items));
  const contacts = useList(() =>
    api<Page<ContactItem>>('GET', '/v1/contacts?limit=100').then((p) => p.items),
  );
  const tags = useMemo(() => {
    const found = new Set<string>();
    for (const f of forms.items ?? []) for (const t of f.tags) found.add(t);
    for (const w of workflows.items ?? [])
      for (const t of definitionTags(w.definition as Definition)) found.add(t);
    for (const c of contacts.items ?? []) for (const t of c.tags) found.add(t);
    return [...found].sort((a, b) => a.localeCompare(b));
  }, [forms.items, workflows.items, contacts.items]);
  const names: Names = useMemo(
    () => ({
      templates: new Map((templates.items ?? []).map((t) => [t.id, t.name])),
      forms: new Map((forms.items ?? []).map((f) => [f.id, f.name])),
      segments: new Map((segments.items ?? []).map((s) => [s.id, s.name])),
      pipelines: new Map((pipelines.items ?? []).map((p) => [p.id, p.name])),
      meetingTypes: new Map((meetingTypes.items ?? []).map((m) => [m.id, m.name])),
      fields: new Map((fields.items ?? []).map((f) => [f.name, f.label])),
      webhooks: new Map((webhooks.items ?? []).map((w) => [w.id, w.description || w.url])),
    }),
    [
      templates.items,
      forms.items,
      segments.items,
      pipelines.items,
      meetingTypes.items,
      fields.items,
      webhooks.items,
    ],
  );
  return {
    templates,
    forms,
    segments,
    pipelines,
    meetingTypes,
    fields,
    subscriptionTypes,
    webhooks,
    tags,
    names,
  };
}

export type Refs = ReturnType<typeof useRefs>;
