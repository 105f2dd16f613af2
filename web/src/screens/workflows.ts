/**
 * Workflows: the list, and a workflow's screen with two tabs over one document — the visual
 * **Builder** (the default; loaded on demand with its layout library) and the **JSON** editor
 * (advanced: errors at their lines, the compiled state machine). Switching tabs carries the document
 * across exactly; JSON the builder cannot draw stays in its tab with the reason. Save sends the tab's
 * document (a draft); Publish saves unsaved changes first; Pause stops enrolling. Leaving with unsaved
 * changes is warned of (workflow-leave-guard.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Page, type Workflow, type WorkflowDetail } from '../api.js';
import { drawable, starterDefinition } from '../builder/document.js';
import { JsonTab, type LocatedProblem, parseJson } from '../builder/json-tab.js';
import type { Definition } from '../builder/model.js';
import { lineOf, prettyWithLines } from '../json-lines.js';
import { ErrorBox, html, Loading, link, useAction, useLoad, whenLoaded } from '../ui.js';
import type { BuilderProps } from './workflow-builder.js';
import { DryRunPanel } from './workflow-dry-run.js';
import { useLeaveGuard } from './workflow-leave-guard.js';
import { PublishReview } from './workflow-publish-preview.js';

type BuilderModule = typeof import('./workflow-builder.js');

export function WorkflowsScreen() {
  const list = useLoad(() => api<Page<Workflow>>('GET', '/v1/workflows?limit=100'), []);
  return html`<section aria-labelledby="workflows-title">
    <h1 id="workflows-title">Workflows</h1>
    ${whenLoaded(list, {
      what: 'Loading workflows',
      empty: 'No workflows yet.',
      isEmpty: (data) => data.items.length === 0,
      show: (data) =>
        html`<ul class="plain" aria-label="Workflows">
          ${data.items.map(
            (
              w,
            ) => html`<li><a href=${link(`/workflows/${w.id}`)}>${w.name}</a> <span class="status">${w.status}</span>
              ${w.publishedVersion ? html`<span class="muted"> v${w.publishedVersion}</span>` : null}</li>`,
          )}
        </ul>`,
    })}
    <a class="button" href="#/workflows/new">New workflow</a>
  </section>`;
}

/** The id of a workflow just created here: its screen says so and takes the focus. */
let justCreated: string | undefined;

export function WorkflowScreen({ id }: { id: string }) {
  const isNew = id === 'new';
  const detail = useLoad(
    () => (isNew ? Promise.resolve(undefined) : api<WorkflowDetail>('GET', `/v1/workflows/${id}`)),
    [id],
  );
  if (detail.loading && !detail.data && !isNew) return html`<${Loading} what="Loading workflow" />`;
  if (detail.error && !detail.data)
    return html`<${ErrorBox} error=${detail.error} onRetry=${detail.reload} />`;
  return html`<${Editor} key=${id} detail=${detail.data} onChange=${detail.reload} />`;
}

type Tab = 'builder' | 'json';
const TABS: Array<[Tab, string]> = [
  ['builder', 'Builder'],
  ['json', 'JSON'],
];

function Editor({ detail, onChange }: { detail?: WorkflowDetail; onChange: () => void }) {
  const wf = detail?.workflow;
  const [doc, setDoc] = useState<Definition>(() => (wf?.definition as Definition) ?? starterDefinition());
  /** The document as last saved (none yet: a new workflow). */
  const [saved, setSaved] = useState(wf ? JSON.stringify(wf.definition) : '');
  /** A new version is reviewed before it is published (what changes, who is running). */
  const [reviewing, setReviewing] = useState(false);
  const [tab, setTabState] = useState<Tab>(() =>
    window.location.hash.includes('tab=json') ? 'json' : 'builder',
  );
  /** The tab is kept in the address (without a hashchange: the screen stays as it is). */
  const setTab = (next: Tab) => {
    setTabState(next);
    const base = window.location.hash.split('?')[0] ?? '';
    history.replaceState(null, '', next === 'json' ? `${base}?tab=json` : base);
  };
  const [text, setText] = useState(() => prettyWithLines(doc).text);
  const [parseProblem, setParseProblem] = useState<LocatedProblem>();
  const [refusal, setRefusal] = useState<{ error: ApiError; doc: Definition }>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState(wf && justCreated === wf.id ? 'Workflow created.' : '');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (wf && justCreated === wf.id) {
      justCreated = undefined;
      heading.current?.focus();
    }
  }, []);

  const savedText = useMemo(() => (saved ? prettyWithLines(JSON.parse(saved)).text : ''), [saved]);
  const dirty = tab === 'builder' ? JSON.stringify(doc) !== saved : text !== savedText;
  /** A new workflow is unsaved once it differs from the starter it opened with. */
  const [starter] = useState(() => (wf ? undefined : JSON.stringify(doc)));
  const unsaved =
    starter === undefined
      ? dirty
      : tab === 'builder'
        ? JSON.stringify(doc) !== starter
        : text !== prettyWithLines(JSON.parse(starter)).text;
  const guard = useLeaveGuard(unsaved);

  /** The document of the open tab (the JSON tab's text parsed), or its syntax problem. */
  const current = (): Definition | undefined => {
    if (tab === 'builder') return doc;
    const parsed = parseJson(text);
    if ('problem' in parsed) {
      setParseProblem(parsed.problem);
      return undefined;
    }
    return parsed.value as Definition;
  };

  const save = async (): Promise<boolean> => {
    setParseProblem(undefined);
    setRefusal(undefined);
    setFailure(undefined);
    const sent = current();
    if (sent === undefined) return false;
    if (tab === 'json') setText(prettyWithLines(sent).text);
    setBusy(true);
    try {
      const result = wf
        ? await api<Workflow>('PUT', `/v1/workflows/${wf.id}`, sent)
        : await api<Workflow>('POST', '/v1/workflows', sent);
      const def = result.definition as Definition;
      setDoc(def);
      setSaved(JSON.stringify(def));
      setText(prettyWithLines(def).text);
      setSaid('Draft saved.');
      if (wf) onChange();
      else {
        justCreated = result.id;
        guard.pass();
        window.location.hash = `#/workflows/${result.id}${tab === 'json' ? '?tab=json' : ''}`;
      }
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.problems.length > 0) setRefusal({ error: err, doc: sent });
      else setFailure(err);
      setSaid('');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const choose = (next: Tab) => {
    if (next === tab) return;
    if (next === 'json') {
      setText(prettyWithLines(doc).text);
      setParseProblem(undefined);
      setTab('json');
      return;
    }
    const parsed = parseJson(text);
    if ('problem' in parsed) return setParseProblem(parsed.problem);
    const why = drawable(parsed.value);
    if (why)
      return setParseProblem({ line: 1, path: '', message: `The builder cannot show this document: ${why}` });
    // Unchanged text leaves the document as it is (the same object: nothing is re-drawn).
    if (JSON.stringify(parsed.value) !== JSON.stringify(doc)) setDoc(parsed.value as Definition);
    setParseProblem(undefined);
    setTab('builder');
  };
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next: Tab =
      e.key === 'Home' ? 'builder' : e.key === 'End' ? 'json' : tab === 'builder' ? 'json' : 'builder';
    choose(next);
    setTimeout(() => document.getElementById(`wf-tab-${next}`)?.focus());
  };

  const jsonProblems: LocatedProblem[] = useMemo(() => {
    if (parseProblem) return [parseProblem];
    if (!refusal) return [];
    const lines = prettyWithLines(refusal.doc).lines;
    return refusal.error.problems.map((p) => ({
      line: lineOf(lines, p.path),
      path: p.path,
      message: p.message,
    }));
  }, [parseProblem, refusal]);

  return html`<section aria-labelledby="wf-title" class="wf-screen">
    <p><a href="#/workflows">← Workflows</a></p>
    <div class="wf-head">
      <h1 id="wf-title" tabindex="-1" ref=${heading}>${wf?.name ?? 'New workflow'}
        ${wf ? html` <span class="status">${wf.status}</span>` : null}
        ${wf?.publishedVersion ? html` <span class="muted">v${wf.publishedVersion}</span>` : null}</h1>
      <div class="actions">
        <button type="button" onClick=${save} disabled=${busy}>${wf ? 'Save draft' : 'Create workflow'}</button>
        ${wf ? html`<${Lifecycle} workflow=${wf} dirty=${dirty} save=${save} onChange=${onChange} reviewing=${reviewing} onReview=${setReviewing} />` : null}
        <span class="muted" role="status">${busy ? 'Saving…' : dirty ? 'Unsaved changes' : said}</span>
      </div>
    </div>
    <${ErrorBox} error=${failure} />
    ${
      wf && reviewing
        ? html`<${PublishReview} workflowId=${wf.id}
            onPublish=${async () => {
              await api('POST', `/v1/workflows/${wf.id}/publish`);
              setReviewing(false);
              onChange();
            }}
            onClose=${() => {
              setReviewing(false);
              setTimeout(() => document.getElementById('wf-title')?.focus());
            }} />`
        : null
    }
    <div role="tablist" aria-label="Edit the workflow as" class="wf-tabs" onKeyDown=${onTabKey}>
      ${TABS.map(
        ([
          key,
          label,
        ]) => html`<button type="button" role="tab" id=${`wf-tab-${key}`} aria-selected=${tab === key ? 'true' : 'false'}
          aria-controls=${tab === key ? `wf-panel-${key}` : undefined} tabindex=${tab === key ? 0 : -1}
          onClick=${() => choose(key)}>${label}</button>`,
      )}
    </div>
    <div role="tabpanel" id=${`wf-panel-${tab}`} aria-labelledby=${`wf-tab-${tab}`}>
      ${
        tab === 'builder'
          ? html`<${LazyBuilder} doc=${doc} onChange=${setDoc} workflowId=${wf?.id}
              stats=${detail?.published ? detail.stats : undefined} refusal=${refusal} />`
          : html`<${JsonTab} text=${text} onText=${setText} problems=${jsonProblems}
              published=${detail?.published ? detail : undefined} />`
      }
    </div>
    ${
      wf
        ? html`${dirty ? html`<p class="muted">The dry run follows the saved draft: save to try your changes.</p>` : null}
            <${DryRunPanel} workflowId=${wf.id} savedDraft=${JSON.stringify(wf.definition)} sendSteps=${sendStepIds(doc)} />`
        : null
    }
    ${guard.dialog}
  </section>`;
}

/** The ids of a document's sendEmail steps, nested ones included (what a dry run may assume opened). */
function sendStepIds(doc: unknown): string[] {
  const ids: string[] = [];
  const walk = (steps: unknown) => {
    if (!Array.isArray(steps)) return;
    for (const step of steps as Array<Record<string, unknown>>) {
      if (step.type === 'sendEmail' && typeof step.id === 'string') ids.push(step.id);
      walk(step.then);
      walk(step.else);
      if (Array.isArray(step.branches))
        for (const b of step.branches as Array<{ steps?: unknown }>) walk(b.steps);
    }
  };
  walk((doc as { steps?: unknown } | undefined)?.steps);
  return ids;
}

let builderModule: Promise<BuilderModule> | undefined;

/** The builder, loaded the first time it is shown (it brings the graph layout library). */
function LazyBuilder(props: BuilderProps) {
  const [mod, setMod] = useState<BuilderModule>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let alive = true;
    builderModule ??= import('./workflow-builder.js');
    builderModule.then(
      (m) => alive && setMod(m),
      (err: unknown) => {
        builderModule = undefined;
        if (alive) setError(err);
      },
    );
    return () => {
      alive = false;
    };
  }, [round]);
  if (error)
    return html`<${ErrorBox} error=${new Error('The builder could not be loaded. Check your connection, then retry (the JSON tab works meanwhile).')}
      onRetry=${() => {
        setError(undefined);
        setRound((r) => r + 1);
      }} />`;
  if (!mod) return html`<${Loading} what="Loading the builder" />`;
  return html`<${mod.WorkflowBuilder} ...${props} />`;
}

function Lifecycle({
  workflow,
  dirty,
  save,
  onChange,
  reviewing,
  onReview,
}: {
  workflow: Workflow;
  dirty: boolean;
  save: () => Promise<boolean>;
  onChange: () => void;
  reviewing: boolean;
  onReview: (open: boolean) => void;
}) {
  const action = useAction();
  const act = async (what: 'publish' | 'pause') => {
    if (what === 'publish' && dirty && !(await save())) return;
    // A new version of a published workflow is reviewed first (what changes, who is running).
    if (what === 'publish' && workflow.publishedVersion) return onReview(true);
    if (await action.run(() => api('POST', `/v1/workflows/${workflow.id}/${what}`))) onChange();
  };
  return html`<button type="button" onClick=${() => act('publish')} disabled=${action.busy || reviewing}>${dirty ? 'Save and publish' : 'Publish'}</button>
    ${workflow.status === 'active' ? html`<button type="button" class="secondary" onClick=${() => act('pause')} disabled=${action.busy}>Pause</button>` : null}
    <${ErrorBox} error=${action.error} />`;
}
