/**
 * The workflow builder's document: the workflow language (docs/workflows.md) as the web app sees it,
 * and the pure edits the builder makes on it — insert, move, duplicate, delete and rename steps, with
 * ids made from the step's type. Every edit returns a new document (the old one is the undo history);
 * nothing here adds a key holding `undefined`, so the JSON tab shows exactly the document the builder
 * holds and parsing that JSON gives the same document back.
 */

import type { Condition, Definition, Step, StepType, WaitEvent } from './language-types.js';

export type {
  Condition,
  Definition,
  FieldValue,
  Goal,
  Operator,
  SplitBranch,
  Step,
  StepType,
  Trigger,
  WaitEvent,
} from './language-types.js';

/** Where something is in the document, as the API's error paths name it: ['steps', 2, 'then', 0]. */
export type Path = Array<string | number>;
/** A place a step can be inserted: the path of a list of steps and the index in it. */
export interface InsertAt {
  list: Path;
  index: number;
}

export const STEP_ID = /^[a-z][a-z0-9-]{0,39}$/;
export const STEP_TYPES: StepType[] = [
  'sendEmail',
  'wait',
  'waitUntil',
  'waitForEvent',
  'if',
  'split',
  'addTag',
  'removeTag',
  'createTask',
  'updateField',
  'createDeal',
  'moveDeal',
  'notifyOwner',
  'webhook',
  'exit',
];
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const THEN = 'then';
const ELSE = 'else';
/** The keys of a definition in the order the API stores them. */
const DOCUMENT_KEYS = ['name', 'timezone', 'trigger', 'goal', 'reenrollment', 'steps'];

/** Where each type's generated ids start: `email-1`, `wait-2`… */
const ID_BASE: Record<StepType, string> = {
  sendEmail: 'email',
  wait: 'wait',
  waitUntil: 'wait-until',
  waitForEvent: 'wait-event',
  if: 'if',
  split: 'split',
  addTag: 'add-tag',
  removeTag: 'remove-tag',
  createTask: 'task',
  updateField: 'set-field',
  createDeal: 'create-deal',
  moveDeal: 'move-deal',
  notifyOwner: 'notify-owner',
  webhook: 'webhook',
  exit: 'exit',
};

/** The value at a path (undefined where there is none). */
export function getAt(doc: unknown, path: Path): unknown {
  let at: unknown = doc;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** A copy of `doc` with `value` at `path` (only the objects along the path are copied). */
export function setAt<T>(doc: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(doc)) {
    const copy = [...doc];
    copy[key as number] = setAt(copy[key as number], rest, value);
    return copy as T;
  }
  const copy = { ...(doc as Record<string, unknown>) };
  copy[key as string] = setAt(copy[key as string], rest, value);
  return copy as T;
}

/** Sets a key of an object, a new key going where the API's order puts it; `undefined` removes it. */
export function withKey<T extends object>(obj: T, key: string, value: unknown, order: string[] = []): T {
  const entries = Object.entries(obj).filter(([k]) => k !== key);
  if (value === undefined) return Object.fromEntries(entries) as T;
  if (key in obj)
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === key ? value : v])) as T;
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  const at = entries.findIndex(([k]) => rank(k) > rank(key));
  if (at < 0) entries.push([key, value]);
  else entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries) as T;
}

/** The definition with one of its own keys set or removed (kept in the API's order). */
export const withDocumentKey = (doc: Definition, key: string, value: unknown) =>
  withKey(doc, key, value, DOCUMENT_KEYS);

/** The steps of a list (none where the path holds no list). */
export function listAt(doc: Definition, list: Path): Step[] {
  const value = getAt(doc, list);
  return Array.isArray(value) ? (value as Step[]) : [];
}

/** Every step, depth first (the order they are read in), with its path. */
export function walkSteps(steps: Step[], list: Path = ['steps']): Array<{ step: Step; path: Path }> {
  return steps.flatMap((step, i) => {
    const path = [...list, i];
    return [{ step, path }, ...childLists(step, path).flatMap((l) => walkSteps(l.steps, l.path))];
  });
}

/** The lists of steps inside a step: an if's Yes and No branches, a split's paths. */
export function childLists(step: Step, path: Path): Array<{ path: Path; steps: Step[] }> {
  if (step.type === 'if') {
    const s = step as unknown as Record<string, unknown>;
    return [THEN, ELSE].map((key) => ({
      path: [...path, key],
      steps: Array.isArray(s[key]) ? (s[key] as Step[]) : [],
    }));
  }
  if (step.type === 'split' && Array.isArray(step.branches))
    return step.branches.map((b, j) => ({
      path: [...path, 'branches', j, 'steps'],
      steps: Array.isArray(b.steps) ? b.steps : [],
    }));
  return [];
}

export const allIds = (doc: Definition) => new Set(walkSteps(doc.steps).map(({ step }) => step.id));

/** A new id for a step of this type: its base and the first free number (`email-3`). */
export function newStepId(type: StepType, taken: Set<string>): string {
  const base = ID_BASE[type] ?? 'step';
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * A new step of a type, with what it needs filled in where there is a sensible default; `emails` are
 * the ids of the sendEmail steps before where it goes (a waitForEvent waits for a click in the last).
 */
export function newStep(type: StepType, taken: Set<string>, emails: string[] = []): Step {
  const id = newStepId(type, taken);
  switch (type) {
    case 'sendEmail':
      return { id, type, templateId: '' };
    case 'wait':
      return { id, type, duration: 'P1D' };
    case 'waitUntil':
      return { id, type, time: '09:00', timezone: 'workflow' };
    case 'if':
      return Object.fromEntries([
        ['id', id],
        ['type', type],
        ['condition', { hasTag: '' }],
        [THEN, []],
        [ELSE, []],
      ]) as Step;
    case 'split':
      return {
        id,
        type,
        branches: [
          { percent: 50, steps: [] },
          { percent: 50, steps: [] },
        ],
      };
    case 'addTag':
    case 'removeTag':
      return { id, type, tag: '' };
    case 'createTask':
      return { id, type, title: 'Follow up', dueIn: 'P1D' };
    case 'updateField':
      return { id, type, field: '', value: '' };
    case 'createDeal':
    case 'moveDeal':
      return { id, type, pipelineId: '', stage: '' };
    case 'notifyOwner':
      return { id, type, subject: 'Follow up with {{ contact.email }}', message: '' };
    case 'webhook':
      return { id, type, webhookId: '' };
    case 'waitForEvent':
      return {
        id,
        type,
        event: newWaitEvent(emails.length ? 'emailClicked' : 'tagAdded', emails),
        timeout: 'P3D',
      };
    case 'exit':
      return { id, type };
  }
}

/** A waitForEvent's event of a kind: a click in the last of `emails` (none: to choose), a reply, a tag to choose. */
export function newWaitEvent(kind: WaitEvent['type'], emails: string[]): WaitEvent {
  if (kind === 'emailClicked') return { type: kind, step: emails[emails.length - 1] ?? '' };
  return kind === 'emailReplied' ? { type: kind } : { type: kind, tag: '' };
}

export function insertStep(doc: Definition, at: InsertAt, step: Step): Definition {
  const list = [...listAt(doc, at.list)];
  list.splice(Math.max(0, Math.min(at.index, list.length)), 0, step);
  return setAt(doc, at.list, list);
}

/** The list a step is in and its index there. */
export function placeOf(path: Path): InsertAt {
  return { list: path.slice(0, -1), index: Number(path[path.length - 1]) };
}

export function removeStep(doc: Definition, path: Path): Definition {
  const { list, index } = placeOf(path);
  return setAt(
    doc,
    list,
    listAt(doc, list).filter((_, i) => i !== index),
  );
}

/** Moves a step up (-1) or down (+1) within its list; returns undefined at the list's end. */
export function moveStep(doc: Definition, path: Path, delta: -1 | 1): Definition | undefined {
  const { list, index } = placeOf(path);
  const steps = [...listAt(doc, list)];
  const to = index + delta;
  if (to < 0 || to >= steps.length) return undefined;
  const [step] = steps.splice(index, 1);
  if (!step) return undefined;
  steps.splice(to, 0, step);
  return setAt(doc, list, steps);
}

/** Renames the emails a condition refers to. */
export function renameRefs(c: Condition, rename: (id: string) => string): Condition {
  if ('emailOpened' in c) return { emailOpened: { ...c.emailOpened, step: rename(c.emailOpened.step) } };
  if ('emailClicked' in c) return { emailClicked: { ...c.emailClicked, step: rename(c.emailClicked.step) } };
  if ('all' in c) return { all: c.all.map((x) => renameRefs(x, rename)) };
  if ('any' in c) return { any: c.any.map((x) => renameRefs(x, rename)) };
  if ('not' in c) return { not: renameRefs(c.not, rename) };
  return c;
}

/** A step and everything in it, with `rename` applied to every id and to the emails its conditions name. */
function renamed(step: Step, rename: (id: string) => string): Step {
  let out = { ...step, id: rename(step.id) } as Step;
  if (out.type === 'if') {
    const s = out as unknown as Record<string, unknown>;
    out = Object.fromEntries(
      Object.entries(s).map(([k, v]) =>
        k === THEN || k === ELSE
          ? [k, Array.isArray(v) ? (v as Step[]).map((x) => renamed(x, rename)) : v]
          : k === 'condition' && isRecord(v)
            ? [k, renameRefs(v as Condition, rename)]
            : [k, v],
      ),
    ) as Step;
  }
  if (out.type === 'waitForEvent') out = withRenamedEvent(out, rename);
  if (out.type === 'split' && Array.isArray(out.branches))
    out = {
      ...out,
      branches: out.branches.map((b) => ({ ...b, steps: (b.steps ?? []).map((x) => renamed(x, rename)) })),
    };
  return out;
}

/**
 * Duplicates a step (and what it holds) right after it, every copied step with a new id; a copied
 * condition naming an email copied with it names the copy. Returns the document and the copy's path.
 */
export function duplicateStep(doc: Definition, path: Path): { doc: Definition; path: Path } | undefined {
  const step = getAt(doc, path) as Step | undefined;
  if (!step) return undefined;
  const taken = allIds(doc);
  const ids = new Map<string, string>();
  for (const { step: s } of walkSteps([step])) {
    const id = newStepId((ID_BASE[s.type] ? s.type : 'exit') as StepType, taken);
    taken.add(id);
    ids.set(s.id, id);
  }
  const copy = renamed(structuredClone(step), (id) => ids.get(id) ?? id);
  const { list, index } = placeOf(path);
  return { doc: insertStep(doc, { list, index: index + 1 }, copy), path: [...list, index + 1] };
}

/** A waitForEvent step with `rename` applied to the email it waits for a click in. */
function withRenamedEvent(
  step: Extract<Step, { type: 'waitForEvent' }>,
  rename: (id: string) => string,
): Step {
  const e = step.event;
  return isRecord(e) && e.type === 'emailClicked' && typeof e.step === 'string'
    ? { ...step, event: { ...e, step: rename(e.step) } }
    : step;
}

/** Renames a step, and the conditions (of ifs) and waitForEvent steps that name it. */
export function renameStep(doc: Definition, path: Path, id: string): Definition {
  const step = getAt(doc, path) as Step | undefined;
  if (!step) return doc;
  const old = step.id;
  const rename = (x: string) => (x === old ? id : x);
  let out = setAt(doc, [...path, 'id'], id);
  for (const { step: s, path: p } of walkSteps(out.steps))
    if (s.type === 'if' && isRecord(s.condition))
      out = setAt(out, [...p, 'condition'], renameRefs(s.condition, rename));
    else if (s.type === 'waitForEvent' && s.event?.type === 'emailClicked' && s.event.step === old)
      out = setAt(out, p, withRenamedEvent(s, rename));
  return out;
}

/** Finds a step by id (the first, if a JSON edit made two). */
export function findStep(doc: Definition, id: string) {
  return walkSteps(doc.steps).find(({ step }) => step.id === id);
}

/**
 * The sendEmail steps a condition of the step at `path` may name: those before it in its own list
 * and in the lists around it (not those inside earlier branches), as the API checks them.
 */
export function emailsBefore(doc: Definition, path: Path): Array<Extract<Step, { type: 'sendEmail' }>> {
  const out: Array<Extract<Step, { type: 'sendEmail' }>> = [];
  let list: Path = ['steps'];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const index = Number(rest[0]);
    const steps = listAt(doc, list);
    for (const s of steps.slice(0, index)) if (s.type === 'sendEmail') out.push(s);
    const here = [...list, index];
    rest = rest.slice(1);
    if (rest.length === 0) break;
    if (rest[0] === 'branches') {
      list = [...here, 'branches', rest[1] as number, 'steps'];
      rest = rest.slice(3);
    } else {
      list = [...here, rest[0] as string];
      rest = rest.slice(1);
    }
  }
  return out;
}
