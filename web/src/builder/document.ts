/**
 * What the workflow screen needs of the builder's document before the builder itself has loaded (it
 * is part of the main bundle; the rest of the model comes with the builder): a new workflow's
 * document, and whether a JSON document is one the builder can draw.
 */
import type { Definition } from './model.js';

const THEN = 'then';
const ELSE = 'else';

export const starterDefinition = (): Definition => ({
  name: 'Unnamed workflow',
  timezone: 'UTC',
  trigger: { type: 'tagAdded', tag: '' },
  reenrollment: 'never',
  steps: [],
});

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why the builder cannot draw this JSON (not an object, no trigger, steps that are not objects with
 * an id and a type), or undefined when it can. The API judges the rest; the builder shows its verdict.
 */
export function drawable(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the document must be a JSON object';
  if (!isRecord(value.trigger) || typeof value.trigger.type !== 'string')
    return 'the document needs a "trigger" object with a "type"';
  if (!Array.isArray(value.steps)) return 'the document needs a "steps" list';
  const check = (steps: unknown[], at: string): string | undefined => {
    for (const [i, s] of steps.entries()) {
      const where = `${at}.${i}`;
      if (!isRecord(s) || typeof s.id !== 'string' || typeof s.type !== 'string')
        return `${where} must be an object with an "id" and a "type"`;
      for (const key of [THEN, ELSE]) {
        const list = s[key];
        if (list !== undefined && !Array.isArray(list)) return `${where}.${key} must be a list of steps`;
        const problem = Array.isArray(list) ? check(list, `${where}.${key}`) : undefined;
        if (problem) return problem;
      }
      if (s.type === 'split') {
        if (!Array.isArray(s.branches)) return `${where}.branches must be a list of paths`;
        for (const [j, b] of s.branches.entries()) {
          if (!isRecord(b) || !Array.isArray(b.steps))
            return `${where}.branches.${j} must be an object with "steps"`;
          const problem = check(b.steps, `${where}.branches.${j}.steps`);
          if (problem) return problem;
        }
      }
    }
    return undefined;
  };
  return check(value.steps, 'steps');
}
