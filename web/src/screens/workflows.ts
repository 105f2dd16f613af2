/**
 * Workflows: a JSON editor with the API's validation errors shown at their lines, publish and pause,
 * the compiled state machine drawn as a graph, and enrollment counts per step.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, api, type Page, type Workflow, type WorkflowDetail } from '../api.js';
import { layoutAsl } from '../asl-graph.js';
import { lineOf, prettyWithLines } from '../json-lines.js';
import { ErrorBox, html, Loading, link, useAction, useLoad, whenLoaded } from '../ui.js';

const STARTER = {
  name: 'Welcome series',
  trigger: { type: 'tagAdded', tag: 'lead' },
  steps: [
    { id: 'welcome', type: 'sendEmail', templateId: '<template id>' },
    { id: 'pause', type: 'wait', duration: 'P2D' },
  ],
};

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

export function WorkflowScreen({ id }: { id: string }) {
  const isNew = id === 'new';
  const detail = useLoad(
    () => (isNew ? Promise.resolve(undefined) : api<WorkflowDetail>('GET', `/v1/workflows/${id}`)),
    [id],
  );
  if (detail.loading && !detail.data && !isNew) return html`<${Loading} what="Loading workflow" />`;
  if (detail.error) return html`<${ErrorBox} error=${detail.error} />`;
  return html`<${Editor} key=${id} detail=${detail.data} onChange=${detail.reload} />`;
}

function Editor({ detail, onChange }: { detail?: WorkflowDetail; onChange: () => void }) {
  const initial = prettyWithLines(detail?.workflow.definition ?? STARTER);
  const [text, setText] = useState(initial.text);
  // Where each path is in the document last sent: the API's errors are about that document.
  const [lines, setLines] = useState(initial.lines);
  const [problems, setProblems] = useState<Array<{ line: number; path: string; message: string }>>([]);
  const action = useAction();
  const gutter = useRef<HTMLPreElement>(null);
  const wf = detail?.workflow;

  const save = async () => {
    setProblems([]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      setProblems([{ line: 1, path: '', message: `Not valid JSON: ${(err as Error).message}` }]);
      return;
    }
    const pretty = prettyWithLines(parsed);
    setText(pretty.text);
    setLines(pretty.lines);
    const ok = await action.run(async () => {
      if (wf) await api('PUT', `/v1/workflows/${wf.id}`, parsed);
      else {
        const created = await api<Workflow>('POST', '/v1/workflows', parsed);
        window.location.hash = `#/workflows/${created.id}`;
      }
    });
    if (!ok) return;
    onChange();
  };
  const err = action.error instanceof ApiError ? action.error : undefined;
  const located = err
    ? err.problems.map((p) => ({ line: lineOf(lines, p.path), path: p.path, message: p.message }))
    : problems;
  const errorLines = new Set(located.map((p) => p.line));
  const lineCount = text.split('\n').length;

  return html`<section aria-labelledby="wf-title">
    <p><a href="#/workflows">← Workflows</a></p>
    <h1 id="wf-title">${wf?.name ?? 'New workflow'} ${wf ? html`<span class="status">${wf.status}</span>` : null}</h1>
    <div class="grid">
      <div class="card">
        <label for="wf-json">Definition (JSON, see docs/workflows.md)</label>
        <div class="editor">
          <pre class="gutter" aria-hidden="true" ref=${gutter}>${Array.from(
            { length: lineCount },
            (_, i) => html`<span class=${errorLines.has(i + 1) ? 'bad' : ''}>${i + 1}</span>`,
          )}</pre>
          <textarea id="wf-json" class="code" wrap="off" rows=${Math.min(30, lineCount + 1)} spellcheck="false"
            aria-invalid=${located.length > 0} aria-describedby="wf-problems"
            onScroll=${(e: Event) => {
              if (gutter.current) gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
            }}
            value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
        </div>
        <div id="wf-problems" role="alert">
          ${
            located.length > 0
              ? html`<ul class="problems">
                  ${located.map((p) => html`<li><a href="#wf-json" onClick=${() => focusLine(p.line)}>line ${p.line}</a> <code>${p.path || '(document)'}</code>: ${p.message}</li>`)}
                </ul>`
              : null
          }
          ${action.error && !err?.problems.length ? html`<${ErrorBox} error=${action.error} />` : null}
        </div>
        <div class="actions">
          <button type="button" onClick=${save} disabled=${action.busy}>${wf ? 'Save draft' : 'Create workflow'}</button>
          ${wf ? html`<${Lifecycle} workflow=${wf} onChange=${onChange} />` : null}
        </div>
      </div>
      ${
        detail?.published
          ? html`<div class="card">
              <h2>Published version ${detail.published.version}</h2>
              ${
                detail.stats
                  ? html`<p>Enrolled ${detail.stats.enrolled} · active ${detail.stats.active}
                ${Object.entries(detail.stats.outcomes).map(([k, v]) => ` · ${k} ${v}`)}</p>`
                  : null
              }
              <${Graph} asl=${detail.published.asl} steps=${detail.stats?.steps ?? {}} />
            </div>`
          : null
      }
    </div>
  </section>`;
}

function focusLine(line: number) {
  const area = document.getElementById('wf-json') as HTMLTextAreaElement | null;
  if (!area) return;
  const offset =
    area.value
      .split('\n')
      .slice(0, line - 1)
      .join('\n').length + (line > 1 ? 1 : 0);
  area.focus();
  area.setSelectionRange(offset, offset);
}

function Lifecycle({ workflow, onChange }: { workflow: Workflow; onChange: () => void }) {
  const action = useAction();
  const act = async (what: 'publish' | 'pause') => {
    if (await action.run(() => api('POST', `/v1/workflows/${workflow.id}/${what}`))) onChange();
  };
  return html`<button type="button" onClick=${() => act('publish')} disabled=${action.busy}>Publish</button>
    ${workflow.status === 'active' ? html`<button type="button" onClick=${() => act('pause')} disabled=${action.busy}>Pause</button>` : null}
    <${ErrorBox} error=${action.error} />`;
}

function Graph({
  asl,
  steps,
}: {
  asl: Record<string, unknown>;
  steps: Record<string, { entered: number; current: number }>;
}) {
  const { nodes, edges, width, height, box } = layoutAsl(asl);
  const at = new Map(nodes.map((n) => [n.id, n]));
  return html`<figure>
    <svg role="img" aria-label="Compiled state machine" viewBox=${`-10 -10 ${width + 20} ${height + 20}`} class="graph">
      ${edges.map((e) => {
        const a = at.get(e.from);
        const b = at.get(e.to);
        if (!a || !b) return null;
        return html`<line x1=${a.x + box.w / 2} y1=${a.y + box.h} x2=${b.x + box.w / 2} y2=${b.y} class=${`edge ${e.label ?? ''}`} />`;
      })}
      ${nodes.map((n) => {
        const count = steps[n.id];
        return html`<g transform=${`translate(${n.x},${n.y})`} class=${`node ${n.type}`}>
          <rect width=${box.w} height=${box.h} rx="6" />
          <text x="8" y="16">${n.id}</text>
          <text x="8" y="32" class="small">${n.type}${count ? ` · ${count.entered} entered, ${count.current} here` : ''}</text>
        </g>`;
      })}
    </svg>
    <figcaption class="muted">States of the compiled Amazon States Language; counts are enrollments per step.</figcaption>
  </figure>`;
}
