/**
 * The visual workflow builder (loaded with import() when the Builder tab opens, with the layout
 * library): the trigger, the goal and the marketer's steps as a vertical flow, a "+" on every edge, a
 * side panel to configure what is selected, undo, and the API's problems on the steps they concern
 * (listed at the top, each a link to its step). On a published workflow the cards show how many
 * enrollments entered each step and are there now, refreshed every few seconds while it is open;
 * pressing a count lists those contacts.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ApiError, api, type WorkflowDetail } from '../api.js';
import { addId, type CountKind, cardId, countId, FlowView, GoalCard } from '../builder/flow.js';
import { stepTypeName } from '../builder/labels.js';
import { buildFlow, type FlowNode } from '../builder/layout.js';
import {
  allIds,
  type Definition,
  duplicateStep,
  emailsBefore,
  findStep,
  getAt,
  insertStep,
  moveStep,
  newStep,
  placeOf,
  removeStep,
  renameStep,
  type Step,
  setAt,
  walkSteps,
  withDocumentKey,
} from '../builder/model.js';
import { Panel, type PanelActions, type Selection } from '../builder/panel.js';
import { inWords, targetOf } from '../builder/problems.js';
import { definitionTags, useRefs } from '../builder/refs.js';
import { StepContacts } from '../builder/step-contacts.js';
import { html } from '../ui.js';

type WorkflowStats = NonNullable<WorkflowDetail['stats']>;

export interface BuilderProps {
  doc: Definition;
  onChange: (doc: Definition) => void;
  workflowId?: string | undefined;
  /** Counts of the published version (none: a draft never published). */
  stats?: WorkflowStats | undefined;
  /** The last save's refusal and the document it was about. */
  refusal?: { error: ApiError; doc: Definition } | undefined;
}

type Sel =
  | { kind: 'trigger' | 'goal' | 'settings' }
  | { kind: 'step'; id: string }
  | { kind: 'add'; key: string };
interface Undo {
  doc: Definition;
  label: string;
  focus?: string | undefined;
  /** Consecutive edits of one thing are one undo. */
  group?: string | undefined;
}

const POLL_MS = 3000;

/** Counts of the published version, read again every few seconds while the builder is open. */
function useLiveStats(workflowId: string | undefined, initial: WorkflowStats | undefined) {
  const [stats, setStats] = useState(initial);
  const [failed, setFailed] = useState(false);
  useEffect(() => setStats(initial), [initial]);
  const live = Boolean(workflowId && initial);
  useEffect(() => {
    if (!live) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const detail = await api<WorkflowDetail>('GET', `/v1/workflows/${workflowId}`);
        if (!alive) return;
        setStats(detail.stats);
        setFailed(false);
      } catch {
        if (alive) setFailed(true);
      }
      if (alive) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [workflowId, live]);
  return { stats, failed };
}

export function WorkflowBuilder({ doc, onChange, workflowId, stats: initialStats, refusal }: BuilderProps) {
  const refs = useRefs();
  const flow = useMemo(() => buildFlow(doc), [doc]);
  const [sel, setSel] = useState<Sel>();
  const [session, setSession] = useState(0);
  const [history, setHistory] = useState<Undo[]>([]);
  const [said, setSaid] = useState('');
  const [focusTo, setFocusTo] = useState<string>();
  /** What opened the panel: the focus goes back there when it closes. */
  const opener = useRef<string>();
  const { stats, failed } = useLiveStats(workflowId, initialStats);
  /** The step count whose contacts are listed (a dialog). */
  const [listing, setListing] = useState<{ stepId: string; kind: CountKind }>();

  useEffect(() => {
    if (!focusTo) return;
    const el = document.getElementById(focusTo);
    if (el) {
      el.focus();
      el.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    }
    setFocusTo(undefined);
  }, [focusTo, flow]);

  const tags = useMemo(
    () => [...new Set([...refs.tags, ...definitionTags(doc)])].sort((a, b) => a.localeCompare(b)),
    [refs.tags, doc],
  );
  const taken = useMemo(() => allIds(doc), [doc]);
  const names = useMemo(() => {
    const emails = new Map<string, string>();
    for (const { step } of walkSteps(doc.steps))
      if (step.type === 'sendEmail') emails.set(step.id, step.templateId);
    return { ...refs.names, emails };
  }, [refs.names, doc]);

  // The refusal's problems, each on the card it concerns (by step id: stable while steps move).
  const problems = useMemo(() => {
    const sent = refusal?.doc ?? doc;
    const list = (refusal?.error.problems ?? []).map((p) => ({
      ...p,
      message: inWords(sent, p.path, p.message),
      target: targetOf(sent, p.path),
    }));
    const byCard = new Map<string, string[]>();
    for (const p of list) {
      const key = p.target.kind === 'step' ? p.target.id : p.target.kind;
      byCard.set(key, [...(byCard.get(key) ?? []), p.message]);
    }
    return { list, byCard };
  }, [refusal]);

  const selection: Selection | undefined = useMemo(() => {
    if (!sel) return undefined;
    if (sel.kind === 'step') {
      const found = findStep(doc, sel.id);
      return found ? { kind: 'step', id: sel.id, path: found.path, step: found.step } : undefined;
    }
    if (sel.kind === 'add') {
      const node = flow.nodes.get(sel.key);
      return node ? { kind: 'add', node } : undefined;
    }
    return { kind: sel.kind };
  }, [sel, doc, flow]);

  const selectedKey = sel?.kind === 'step' ? sel.id : sel?.kind;
  const panelProblems = useMemo(() => {
    const out = new Map<string, string>();
    for (const p of problems.list) {
      const t = p.target;
      const match = t.kind === 'step' ? sel?.kind === 'step' && t.id === sel.id : t.kind === selectedKey;
      if (match) out.set(t.field, out.has(t.field) ? `${out.get(t.field)}; ${p.message}` : p.message);
    }
    return out;
  }, [problems, sel, selectedKey]);

  const edit = (next: Definition, label: string, focus?: string, group?: string) => {
    setHistory((h) => {
      const last = h[h.length - 1];
      if (group && last?.group === group) return h;
      return [...h.slice(-99), { doc, label, focus, group }];
    });
    onChange(next);
  };
  const undo = () => {
    const last = history[history.length - 1];
    if (!last) return;
    setHistory(history.slice(0, -1));
    onChange(last.doc);
    setSaid(`Undone: ${last.label}.`);
    if (last.focus) setFocusTo(last.focus);
  };

  const open = (next: Sel, from: string) => {
    opener.current = from;
    setSel(next);
    setSession((s) => s + 1);
    setFocusTo(next.kind === 'add' ? undefined : 'wfb-panel-title');
  };
  const close = () => {
    setSel(undefined);
    setSession((s) => s + 1);
    if (opener.current) setFocusTo(opener.current);
  };

  const stepName = (s: Step) => `${stepTypeName(s.type)} ${s.id}`;
  const actions: PanelActions = {
    close,
    setTrigger: (t) => edit({ ...doc, trigger: t }, 'the trigger change', 'wfb-trigger', 'trigger'),
    setGoal: (g) => edit(withDocumentKey(doc, 'goal', g), 'the goal change', 'wfb-goal', 'goal'),
    setSetting: (key, value) => edit(withDocumentKey(doc, key, value), `the ${key} change`, undefined, key),
    setStep: (path, step) =>
      edit(setAt(doc, path, step), `the change to ${step.id}`, cardId(step.id), `step:${step.id}`),
    rename: (path, id) => {
      const old = (getAt(doc, path) as Step).id;
      edit(renameStep(doc, path, id), `renaming ${old}`, cardId(old));
      setSel({ kind: 'step', id });
    },
    move: (path, delta) => {
      const next = moveStep(doc, path, delta);
      const step = getAt(doc, path) as Step;
      if (!next) return;
      edit(next, `moving ${step.id}`, cardId(step.id));
      const { list, index } = placeOf(path);
      const count = (getAt(doc, list) as Step[]).length;
      setSaid(`${stepName(step)} moved ${delta < 0 ? 'up' : 'down'}.`);
      // The button stays where it was unless it is now disabled (the step reached its list's end).
      const end = delta < 0 ? index + delta === 0 : index + delta === count - 1;
      if (end) setFocusTo(delta < 0 ? 'wfb-move-down' : 'wfb-move-up');
    },
    duplicate: (path) => {
      const result = duplicateStep(doc, path);
      if (!result) return;
      const copy = getAt(result.doc, result.path) as Step;
      edit(result.doc, `duplicating ${copy.id}`, cardId((getAt(doc, path) as Step).id));
      setSel({ kind: 'step', id: copy.id });
      setSession((s) => s + 1);
      setSaid(`Duplicated as ${copy.id}.`);
      setFocusTo(cardId(copy.id));
    },
    remove: (path) => {
      const step = getAt(doc, path) as Step;
      const { list, index } = placeOf(path);
      edit(removeStep(doc, path), `deleting ${step.id}`, cardId(step.id));
      setSel(undefined);
      setSession((s) => s + 1);
      setSaid(`${stepName(step)} deleted. Undo (Ctrl+Z) brings it back.`);
      setFocusTo(addId({ key: `add:${list.join('.')}:${index}` } as FlowNode));
    },
    add: (node, type) => {
      if (!node.insert) return;
      const before = emailsBefore(doc, [...node.insert.list, node.insert.index]).map((s) => s.id);
      const step = newStep(type, taken, before);
      edit(insertStep(doc, node.insert, step), `adding ${step.id}`, addId(node));
      opener.current = cardId(step.id);
      setSel({ kind: 'step', id: step.id });
      setSession((s) => s + 1);
      setSaid(`${stepName(step)} added. Its settings are in the panel.`);
      setFocusTo(cardId(step.id));
    },
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (
      (e.ctrlKey || e.metaKey) &&
      !e.shiftKey &&
      e.key.toLowerCase() === 'z' &&
      !typing &&
      history.length > 0
    ) {
      e.preventDefault();
      undo();
    }
  };

  const focusProblem = (key: string) => {
    if (key === 'document') return;
    if (key === 'settings') return open({ kind: 'settings' }, 'wfb-settings');
    if (key === 'trigger' || key === 'goal') {
      setSel({ kind: key });
      opener.current = `wfb-${key}`;
      return setFocusTo(`wfb-${key}`);
    }
    setSel({ kind: 'step', id: key });
    opener.current = cardId(key);
    setSession((s) => s + 1);
    setFocusTo(cardId(key));
  };

  const lastUndo = history[history.length - 1];
  return html`<div class="wfb" onKeyDown=${onKeyDown}>
    <div class="wfb-toolbar">
      <div class="field wfb-name">
        <label for="wfb-name">Workflow name</label>
        <input id="wfb-name" type="text" value=${typeof doc.name === 'string' ? doc.name : ''}
          aria-invalid=${problems.byCard.has('settings') && problems.list.some((p) => p.path === 'name') ? 'true' : undefined}
          onInput=${(e: Event) => edit({ ...doc, name: (e.target as HTMLInputElement).value }, 'the name change', 'wfb-name', 'name')} />
      </div>
      <button type="button" class="secondary" id="wfb-settings" onClick=${() => open({ kind: 'settings' }, 'wfb-settings')}>Settings</button>
      <button type="button" class="secondary" id="wfb-undo" disabled=${!lastUndo} onClick=${undo}
        aria-keyshortcuts="Control+Z" aria-label=${lastUndo ? `Undo ${lastUndo.label}` : 'Undo'}>Undo</button>
    </div>
    ${problems.list.length > 0 ? html`<${ProblemLinks} problems=${problems.list} doc=${doc} onFocus=${focusProblem} />` : null}
    ${stats ? html`<${StatsLine} stats=${stats} failed=${failed} />` : null}
    <div class="wfb-body">
      <div class="wfb-main">
        <${GoalCard} doc=${doc} names=${names} selected=${sel?.kind === 'goal'} problems=${problems.byCard.get('goal') ?? []}
          onSelect=${() => open({ kind: 'goal' }, 'wfb-goal')} />
        <${FlowView} doc=${doc} flow=${flow} names=${names} stats=${stats?.steps} problems=${problems.byCard}
          selected=${sel?.kind === 'step' ? `step:${sel.id}` : sel?.kind} adding=${sel?.kind === 'add' ? sel.key : undefined}
          onSelect=${(what: string) =>
            what === 'trigger'
              ? open({ kind: 'trigger' }, 'wfb-trigger')
              : open({ kind: 'step', id: what.slice(5) }, cardId(what.slice(5)))}
          onAdd=${(node: FlowNode) => open({ kind: 'add', key: node.key }, addId(node))}
          onCounts=${(stepId: string, kind: CountKind) => setListing({ stepId, kind })} />
      </div>
      <${Panel} selection=${selection} sessionKey=${session} doc=${doc} refs=${refs} tags=${tags} taken=${taken}
        problems=${panelProblems} actions=${actions} />
    </div>
    <p class="sr-only" role="status" aria-live="polite">${said}</p>
    ${
      listing && workflowId
        ? html`<${StepContacts} key=${`${listing.stepId}:${listing.kind}`} workflowId=${workflowId} stepId=${listing.stepId}
            stepName=${(() => {
              // A split's path (`<split>/a`) is named after its split.
              const [id = listing.stepId, path] = listing.stepId.split('/');
              const found = findStep(doc, id);
              if (!found) return listing.stepId;
              return path ? `${stepName(found.step)}, path ${path.toUpperCase()}` : stepName(found.step);
            })()}
            kind=${listing.kind} counts=${stats?.steps[listing.stepId] ?? { entered: 0, current: 0 }}
            onClose=${() => {
              setListing(undefined);
              setFocusTo(countId(listing.stepId, listing.kind));
            }} />`
        : null
    }
  </div>`;
}

function ProblemLinks({
  problems,
  doc,
  onFocus,
}: {
  problems: Array<{ path: string; message: string; target: ReturnType<typeof targetOf> }>;
  doc: Definition;
  onFocus: (key: string) => void;
}) {
  const where = (t: ReturnType<typeof targetOf>) => {
    if (t.kind === 'step') {
      const found = findStep(doc, t.id);
      return found ? `${stepTypeName(found.step.type)} ${t.id}` : `Step ${t.id}`;
    }
    return t.kind === 'document'
      ? 'The workflow'
      : t.kind === 'settings'
        ? 'Settings'
        : t.kind === 'trigger'
          ? 'Trigger'
          : 'Goal';
  };
  return html`<div class="error wfb-problems" role="alert">
    <strong>${problems.length === 1 ? '1 problem' : `${problems.length} problems`}: the draft was not saved.</strong>
    <ul>
      ${problems.map((p) => {
        const key = p.target.kind === 'step' ? p.target.id : p.target.kind;
        const label = where(p.target);
        const field = p.target.field ? ` (${p.target.field})` : '';
        return html`<li>${
          key === 'document'
            ? html`<strong>${label}</strong>`
            : html`<a href=${`#${key === 'settings' ? 'wfb-settings' : key === 'trigger' || key === 'goal' ? `wfb-${key}` : cardId(key)}`}
                onClick=${(e: Event) => {
                  e.preventDefault();
                  onFocus(key);
                }}>${label}</a>`
        }${field}: ${p.message}</li>`;
      })}
    </ul>
  </div>`;
}

function StatsLine({ stats, failed }: { stats: WorkflowStats; failed: boolean }) {
  const outcomes = Object.entries(stats.outcomes).filter(([, n]) => n > 0);
  return html`<p class="wfb-stats" aria-live="off">
    <strong>Live:</strong> ${stats.enrolled} enrolled · ${stats.active} active
    ${outcomes.map(([k, n]) => ` · ${n} ${k.replace(/_/g, ' ')}`)}
    ${failed ? html` <span class="error-text">(counts could not be refreshed; trying again)</span>` : null}
  </p>`;
}
