/**
 * What publishing the draft would change: the differences from the published version, step by step
 * (steps are matched by id: added, removed, changed, moved) and in its trigger, goal and settings;
 * and the enrollments running on each published version, by the step they are at. They stay on
 * their version: publishing changes only what new enrollments run.
 */
import { allSteps, type Step, type WorkflowDefinition } from './language.js';
import type { AutomationDeps } from './store.js';
import { getWorkflowRecord } from './workflows.js';

export interface StepChange {
  stepId: string;
  change: 'added' | 'removed' | 'changed' | 'moved';
  type: Step['type'];
}

export interface PublishPreview {
  /** The version the draft would become, and the one it replaces (absent: never published). */
  nextVersion: number;
  publishedVersion?: number;
  /** Settings that differ: `name`, `trigger`, `goal`, `reenrollment`, `timezone`. */
  settings: string[];
  steps: StepChange[];
  /** Per version with enrollments still running: how many, and how many at each step. */
  running: Array<{ version: number; active: number; atSteps: Record<string, number> }>;
}

/** A step without its nested steps (those are compared on their own). */
function own(step: Step): unknown {
  if (step.type === 'if') return { ...step, then: undefined, else: undefined };
  if (step.type === 'split') return { ...step, branches: step.branches.map((b) => b.percent) };
  return step;
}

/** Where a step sits: its parent's path (its list) and its place after its previous sibling. */
function places(steps: Step[]) {
  const all = allSteps(steps);
  const idAt = new Map(all.map(({ step, path }) => [path.join('.'), step.id]));
  const at = new Map<string, { step: Step; parent: string; after: string | undefined }>();
  for (const { step, path } of all) {
    const parent = path.slice(0, -1);
    const previous = [...parent, Number(path.at(-1)) - 1].join('.');
    at.set(step.id, { step, parent: parent.join('.'), after: idAt.get(previous) });
  }
  return at;
}

export function diffDefinitions(before: WorkflowDefinition | undefined, after: WorkflowDefinition) {
  const settings = (['name', 'trigger', 'goal', 'reenrollment', 'timezone'] as const).filter(
    (key) => JSON.stringify(before?.[key]) !== JSON.stringify(after[key]),
  );
  const old = places(before?.steps ?? []);
  const now = places(after.steps);
  const steps: StepChange[] = [];
  for (const [id, { step, parent, after: prev }] of now) {
    const was = old.get(id);
    if (!was) steps.push({ stepId: id, change: 'added', type: step.type });
    else if (JSON.stringify(own(was.step)) !== JSON.stringify(own(step)))
      steps.push({ stepId: id, change: 'changed', type: step.type });
    else if (was.parent !== parent || was.after !== prev)
      steps.push({ stepId: id, change: 'moved', type: step.type });
  }
  for (const [id, { step }] of old)
    if (!now.has(id)) steps.push({ stepId: id, change: 'removed', type: step.type });
  return { settings, steps };
}

export async function previewPublish(deps: AutomationDeps, id: string): Promise<PublishPreview> {
  const workflow = await getWorkflowRecord(deps, id);
  const published = workflow.publishedVersion;
  const versions = Array.from({ length: published ?? 0 }, (_, i) => i + 1);
  const [current, stats] = await Promise.all([
    published ? deps.store.getWorkflowVersion(id, published) : undefined,
    Promise.all(versions.map((v) => deps.store.getWorkflowStats(id, v))),
  ]);
  const running = versions.flatMap((version, i) => {
    const raw = stats[i] ?? {};
    const active = raw.active ?? 0;
    if (active <= 0) return [];
    const atSteps: Record<string, number> = {};
    for (const [key, value] of Object.entries(raw))
      if (key.startsWith('current:') && value > 0) atSteps[key.slice('current:'.length)] = value;
    return [{ version, active, atSteps }];
  });
  return {
    nextVersion: (published ?? 0) + 1,
    ...(published ? { publishedVersion: published } : {}),
    ...diffDefinitions(
      current?.definition as WorkflowDefinition | undefined,
      workflow.definition as WorkflowDefinition,
    ),
    running,
  };
}
