/**
 * Where the API's problems go: a refusal's detail paths (`steps.2.then.0.templateId`) mapped to the
 * step they concern (by id, which stays the same while steps move) or to the trigger, the goal or the
 * workflow's settings.
 */
import { type Definition, getAt, type Path, type Step } from './model.js';

const THEN = 'then';
const ELSE = 'else';
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What an API error's path is about: a step (by id, and the rest of the path within it) or a part of the document. */
export type ProblemTarget =
  | { kind: 'step'; id: string; field: string }
  | { kind: 'trigger' | 'goal' | 'settings' | 'document'; field: string };

export function targetOf(doc: Definition, path: string): ProblemTarget {
  const parts: Path = path.split('.').filter(Boolean);
  const head = parts[0];
  if (head === 'trigger') return { kind: 'trigger', field: parts.slice(1).join('.') };
  if (head === 'goal') return { kind: 'goal', field: parts.slice(1).join('.') };
  if (head === 'name' || head === 'timezone' || head === 'reenrollment')
    return { kind: 'settings', field: String(head) };
  if (head !== 'steps') return { kind: 'document', field: path };
  // The deepest step the path passes through.
  let found: { id: string; at: number } | undefined;
  let i = 1;
  let list: Path = ['steps'];
  while (i < parts.length && /^\d+$/.test(String(parts[i]))) {
    const stepPath = [...list, Number(parts[i])];
    const step = getAt(doc, stepPath) as Step | undefined;
    if (!isRecord(step) || typeof step.id !== 'string') break;
    found = { id: step.id, at: i + 1 };
    const next = parts[i + 1];
    if ((next === THEN || next === ELSE) && /^\d+$/.test(String(parts[i + 2] ?? ''))) {
      list = [...stepPath, next];
      i += 2;
    } else if (next === 'branches' && parts[i + 3] === 'steps' && /^\d+$/.test(String(parts[i + 4] ?? ''))) {
      list = [...stepPath, 'branches', Number(parts[i + 2]), 'steps'];
      i += 4;
    } else break;
  }
  return found
    ? { kind: 'step', id: found.id, field: parts.slice(found.at).join('.') }
    : { kind: 'document', field: path };
}

const CHOICES: Record<string, string> = {
  templateId: 'Choose a template.',
  formId: 'Choose a form.',
  segmentId: 'Choose a segment.',
  pipelineId: 'Choose a pipeline.',
  meetingTypeId: 'Choose a booking page.',
};

/**
 * A problem in the builder's words where the API's are about the JSON: a reference left empty is a
 * choice to make ("Choose a template." rather than "must be a 26-character ULID"); others as they are.
 */
export function inWords(doc: Definition, path: string, message: string): string {
  const parts: Path = path
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const key = String(parts[parts.length - 1] ?? '');
  const value = getAt(doc, parts);
  if (CHOICES[key] && (value === '' || value === undefined)) return CHOICES[key];
  if (key === 'tag' || key === 'hasTag') return value === '' ? 'Choose or type a tag.' : message;
  if (key === 'step' && value === '') return 'Choose an email.';
  return message;
}
