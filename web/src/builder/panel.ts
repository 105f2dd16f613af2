/**
 * The side panel (a labelled region): what is selected, edited — the trigger, the goal, the
 * workflow's settings, a step (with Move up, Move down, Duplicate and Delete), or the step types a
 * "+" offers. Escape or Close closes it and gives the focus back to what opened it.
 */
import { html } from '../ui.js';
import { AddMenu } from './add-menu.js';
import { STEP_LABELS, stepTypeName } from './labels.js';
import type { FlowNode } from './layout.js';
import {
  type Definition,
  type Goal,
  listAt,
  type Path,
  placeOf,
  type Step,
  type StepType,
  type Trigger,
} from './model.js';
import type { Refs } from './refs.js';
import { StepForm, StepIdField } from './step-form.js';
import { GoalForm, SettingsForm, TriggerForm } from './trigger-form.js';

export type Selection =
  | { kind: 'trigger' }
  | { kind: 'goal' }
  | { kind: 'settings' }
  | { kind: 'step'; id: string; path: Path; step: Step }
  | { kind: 'add'; node: FlowNode };

export interface PanelActions {
  close: () => void;
  setTrigger: (t: Trigger) => void;
  setGoal: (g: Goal | undefined) => void;
  setSetting: (key: string, value: unknown) => void;
  setStep: (path: Path, step: Step) => void;
  rename: (path: Path, id: string) => void;
  move: (path: Path, delta: -1 | 1) => void;
  duplicate: (path: Path) => void;
  remove: (path: Path) => void;
  add: (node: FlowNode, type: StepType) => void;
}

export function Panel({
  selection,
  sessionKey,
  doc,
  refs,
  tags,
  taken,
  problems,
  actions,
}: {
  selection: Selection | undefined;
  /** Changes when another thing is selected (the forms start afresh), not when the step is renamed. */
  sessionKey: number;
  doc: Definition;
  refs: Refs;
  tags: string[];
  taken: Set<string>;
  /** The API's problems about the selected thing, by their path inside it. */
  problems: Map<string, string>;
  actions: PanelActions;
}) {
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && selection) {
      e.preventDefault();
      actions.close();
    }
  };
  const title = !selection
    ? 'Edit the workflow'
    : selection.kind === 'trigger'
      ? 'Trigger'
      : selection.kind === 'goal'
        ? 'Goal'
        : selection.kind === 'settings'
          ? 'Workflow settings'
          : selection.kind === 'add'
            ? 'Add a step'
            : stepTypeName(selection.step.type);
  return html`<section id="wfb-panel" class=${`wfb-panel${selection ? ' open' : ''}`} aria-labelledby="wfb-panel-title"
    onKeyDown=${onKeyDown}>
    <div class="wfb-panel-head">
      <h2 id="wfb-panel-title" tabindex="-1">${title}</h2>
      ${selection ? html`<button type="button" class="secondary" onClick=${actions.close}>Close</button>` : null}
    </div>
    ${
      problems.size > 0
        ? html`<ul class="problems wfb-panel-problems" aria-label="Problems here">
            ${[...problems].map(([field, message]) => html`<li>${field ? html`<code>${field}</code> ` : null}${message}</li>`)}
          </ul>`
        : null
    }
    <div key=${sessionKey}>${body()}</div>
  </section>`;

  function body() {
    if (!selection)
      return html`<p class="muted">Choose the trigger, the goal or a step to change it, or a + between two steps to add one.
        Every action works from the keyboard: Tab to a card or a +, then Enter.</p>`;
    switch (selection.kind) {
      case 'trigger':
        return html`<${TriggerForm} trigger=${doc.trigger} onChange=${actions.setTrigger} refs=${refs} tags=${tags} problems=${problems} />`;
      case 'goal':
        return html`<${GoalForm} goal=${doc.goal} onChange=${actions.setGoal} refs=${refs} tags=${tags} problems=${problems} />`;
      case 'settings':
        return html`<${SettingsForm} doc=${doc} onChange=${actions.setSetting} problems=${problems} />`;
      case 'add':
        return html`<${AddMenu} label=${selection.node.addLabel ?? 'Add a step'}
          onChoose=${(type: StepType) => actions.add(selection.node, type)} onClose=${actions.close} />`;
      case 'step':
        return stepBody(selection);
    }
  }

  function stepBody(selection: Extract<Selection, { kind: 'step' }>) {
    const { step, path } = selection;
    const { list, index } = placeOf(path);
    const count = listAt(doc, list).length;
    const known = step.type in STEP_LABELS;
    return html`${
      known
        ? html`<${StepForm} step=${step} onChange=${(s: Step) => actions.setStep(path, s)}
            ctx=${{ doc, path, refs, tags, problems }} />`
        : html`<p>The builder does not know steps of type <code>${step.type}</code>: edit it in the JSON tab.</p>`
    }
      <${StepIdField} step=${step} taken=${taken} problem=${problems.get('id')} onRename=${(id: string) => actions.rename(path, id)} />
      <div class="actions wfb-step-actions" role="group" aria-label="Step actions">
        <button type="button" class="secondary" id="wfb-move-up" disabled=${index === 0} onClick=${() => actions.move(path, -1)}>Move up</button>
        <button type="button" class="secondary" id="wfb-move-down" disabled=${index >= count - 1} onClick=${() => actions.move(path, 1)}>Move down</button>
        <button type="button" class="secondary" id="wfb-duplicate" onClick=${() => actions.duplicate(path)}>Duplicate</button>
        <button type="button" class="danger" id="wfb-delete" onClick=${() => actions.remove(path)}>Delete step</button>
      </div>`;
  }
}
