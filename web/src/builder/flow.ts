/**
 * The flow drawn: edges as SVG paths under the cards; the trigger, each step and the end as cards;
 * a "+" on every edge. Everything is a list item in reading order, so Tab goes trigger, +, step, +…,
 * down each branch in turn (Yes before No, A before B). A card is a button that opens its settings;
 * it shows what the step does, its problems and, on a published workflow, how many enrollments
 * entered it and are there now: each count a button of its own (beside the card's, not in it) that
 * lists those contacts.
 */
import { useEffect, useRef } from 'preact/hooks';
import '../styles/workflow-steps.css';
import { html } from '../ui.js';
import {
  goalSummary,
  type Names,
  STEP_LABELS,
  stepSummary,
  stepTypeName,
  TRIGGER_LABELS,
  triggerSummary,
} from './labels.js';
import type { Flow, FlowNode } from './layout.js';
import type { Definition, Step } from './model.js';

export type Stats = Record<string, { entered: number; current: number }>;
export type CountKind = 'current' | 'entered';

export const cardId = (stepId: string) => `wfb-step-${stepId}`;
export const countId = (stepId: string, kind: CountKind) => `wfb-count-${kind}-${stepId}`;
export const addId = (node: FlowNode) => `wfb-${node.key.replace(/[^a-z0-9-]/gi, '-')}`;

export interface FlowProps {
  doc: Definition;
  flow: Flow;
  names: Names;
  stats?: Stats | undefined;
  /** Problems per card: a step's id, 'trigger' or 'goal'. */
  problems: Map<string, string[]>;
  selected?: string | undefined;
  /** The add point whose menu is open. */
  adding?: string | undefined;
  onSelect: (what: string) => void;
  onAdd: (node: FlowNode) => void;
  /** A step's count pressed: list the contacts behind it. */
  onCounts?: ((stepId: string, kind: CountKind) => void) | undefined;
}

/** Rounded corners where a path bends. */
function edgePath(points: Array<{ x: number; y: number }>): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points as [{ x: number; y: number }, ...Array<{ x: number; y: number }>];
  return `M${first.x},${first.y} ${rest.map((p) => `L${p.x},${p.y}`).join(' ')}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function FlowView(props: FlowProps) {
  const { flow, stats } = props;
  // A flow wider than its box (branches on a phone) is shown from its middle, where the trigger is,
  // when it first appears and when the box changes width.
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let width = -1;
    const center = () => {
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      if (el.scrollWidth > el.clientWidth) el.scrollLeft = (el.scrollWidth - el.clientWidth) / 2;
    };
    center();
    const observer = new ResizeObserver(center);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return html`<div class="wfb-scroll" ref=${scroller}>
    <div class="wfb-canvas" style=${{ width: `${flow.width}px`, height: `${flow.height}px` }}>
      <svg class="wfb-edges" aria-hidden="true" focusable="false" width=${flow.width} height=${flow.height}>
        <defs>
          <marker id="wfb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        ${flow.edges.map((e) => {
          const to = flow.nodes.get(e.to);
          return html`<path d=${edgePath(e.points)} marker-end=${to?.kind === 'step' || to?.kind === 'end' ? 'url(#wfb-arrow)' : undefined} />`;
        })}
      </svg>
      <ul class="wfb-items" aria-label="Workflow steps, in order">
        ${flow.items.map(
          (node) => html`<li key=${node.key} class=${`wfb-item wfb-${node.kind}`}
          style=${{ left: `${node.x}px`, top: `${node.y}px`, width: `${node.w}px`, height: `${node.h}px` }}>
          ${item(node)}
        </li>`,
        )}
      </ul>
    </div>
  </div>`;

  function item(node: FlowNode) {
    if (node.kind === 'add') {
      const open = props.adding === node.key;
      const statKey = node.branch?.statKey;
      const count = statKey ? stats?.[statKey] : undefined;
      // A split path's count lists who took it, as a step's counts do.
      const took =
        count && statKey
          ? html` · <button type="button" id=${countId(statKey, 'entered')} class="wfb-count" aria-haspopup="dialog"
              aria-label=${`${count.entered} entered: list the contacts who took path ${node.branch?.label ?? ''}`}
              onClick=${() => props.onCounts?.(statKey, 'entered')}>${count.entered} entered</button>`
          : null;
      return html`${
        node.branch
          ? html`<span class="wfb-branch"><span aria-hidden="true">${node.branch.label}</span>${took}</span>`
          : null
      }
        <button type="button" id=${addId(node)} class="wfb-add" aria-haspopup="menu" aria-expanded=${open ? 'true' : 'false'}
          aria-label=${`${node.addLabel ?? 'Add a step'}${count ? ` (${plural(count.entered, 'enrollment')} took this path)` : ''}`}
          onClick=${() => props.onAdd(node)}>+</button>`;
    }
    if (node.kind === 'end') return html`<span class="wfb-end-label">End</span>`;
    if (node.kind === 'trigger') return triggerCard();
    return node.step ? html`${stepCard(node.step)}${stats ? counts(node.step) : null}` : null;
  }

  function triggerCard() {
    const doc = props.doc;
    const problems = props.problems.get('trigger') ?? [];
    const selected = props.selected === 'trigger';
    return html`<button type="button" id="wfb-trigger" class=${`wfb-card wfb-card-trigger${selected ? ' selected' : ''}${problems.length ? ' bad' : ''}`}
      aria-current=${selected ? 'true' : undefined} aria-controls="wfb-panel" onClick=${() => props.onSelect('trigger')}>
      <span class="wfb-kind">Trigger</span>
      <span class="wfb-title">${TRIGGER_LABELS[doc.trigger.type] ?? doc.trigger.type}</span>
      <span class="wfb-summary">${triggerSummary(doc.trigger, props.names)}</span>
      ${problems.length > 0 ? html`<span class="wfb-problem">${plural(problems.length, 'problem')}: ${problems[0]}</span>` : null}
    </button>`;
  }

  /** The step's counts, on the card's last line: each a button listing the contacts it counts. */
  function counts(step: Step) {
    const count = stats?.[step.id];
    const button = (kind: CountKind, n: number, text: string, what: string) =>
      html`<button type="button" id=${countId(step.id, kind)} class="wfb-count" aria-haspopup="dialog"
        aria-label=${`${n} ${text}: list the contacts who ${what} ${step.id}`}
        onClick=${() => props.onCounts?.(step.id, kind)}>${n} ${text}</button>`;
    return html`<span class="wfb-counts" data-step=${step.id}>${button('entered', count?.entered ?? 0, 'entered', 'entered')} · ${button('current', count?.current ?? 0, 'here now', 'are at')}</span>`;
  }

  function stepCard(step: Step) {
    const problems = props.problems.get(step.id) ?? [];
    const selected = props.selected === `step:${step.id}`;
    const known = step.type in STEP_LABELS;
    return html`<button type="button" id=${cardId(step.id)} data-type=${step.type}
      class=${`wfb-card wfb-card-${known ? step.type : 'unknown'}${selected ? ' selected' : ''}${problems.length ? ' bad' : ''}${stats ? ' wfb-counted' : ''}`}
      aria-current=${selected ? 'true' : undefined} aria-controls="wfb-panel"
      onClick=${() => props.onSelect(`step:${step.id}`)}>
      <span class="wfb-kind">${stepTypeName(step.type)} <span class="wfb-id-text">${step.id}</span></span>
      <span class="wfb-title">${stepSummary(step, props.names)}</span>
      ${problems.length > 0 ? html`<span class="wfb-problem">${plural(problems.length, 'problem')}: ${problems[0]}</span>` : null}
    </button>`;
  }
}

/** The goal, shown above the flow (it is checked before every step, not at one place). */
export function GoalCard({
  doc,
  names,
  selected,
  problems,
  onSelect,
}: {
  doc: Definition;
  names: Names;
  selected: boolean;
  problems: string[];
  onSelect: () => void;
}) {
  return html`<button type="button" id="wfb-goal" class=${`wfb-card wfb-goal${selected ? ' selected' : ''}${problems.length ? ' bad' : ''}`}
    aria-current=${selected ? 'true' : undefined} aria-controls="wfb-panel" onClick=${onSelect}>
    <span class="wfb-kind">Goal</span>
    <span class="wfb-title">${goalSummary(doc.goal, names)}</span>
    ${problems.length > 0 ? html`<span class="wfb-problem">${plural(problems.length, 'problem')}: ${problems[0]}</span>` : null}
  </button>`;
}
