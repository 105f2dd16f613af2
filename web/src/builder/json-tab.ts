/**
 * The workflow's JSON tab (advanced): the definition as text with line numbers, each problem at its
 * line (the API's by their paths; a syntax error at the line the parser names), and the published
 * version's compiled state machine drawn with per-state counts. Part of the main bundle, so the JSON
 * editor works even where the builder cannot load.
 */
import { useRef } from 'preact/hooks';
import type { WorkflowDetail } from '../api.js';
import { layoutAsl } from '../asl-graph.js';
import { html } from '../ui.js';

export interface LocatedProblem {
  line: number;
  path: string;
  message: string;
}

/** Parses the text; a syntax error says its line (from the parser's message or its position). */
export function parseJson(text: string): { value: unknown } | { problem: LocatedProblem } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const message = (err as Error).message;
    const line = /line (\d+)/.exec(message)?.[1];
    const position = /position (\d+)/.exec(message)?.[1];
    const at = line
      ? Number(line)
      : position
        ? text.slice(0, Number(position)).split('\n').length
        : text.trimEnd().split('\n').length;
    return { problem: { line: at, path: '', message: `Not valid JSON: ${message}` } };
  }
}

export function JsonTab({
  text,
  onText,
  problems,
  published,
}: {
  text: string;
  onText: (text: string) => void;
  problems: LocatedProblem[];
  published?: WorkflowDetail | undefined;
}) {
  const gutter = useRef<HTMLPreElement>(null);
  const errorLines = new Set(problems.map((p) => p.line));
  const lineCount = text.split('\n').length;
  return html`<div class="grid">
    <div class="card">
      <label for="wf-json">Definition (JSON, see docs/workflows.md)</label>
      <div class="editor">
        <pre class="gutter" aria-hidden="true" ref=${gutter}>${Array.from(
          { length: lineCount },
          (_, i) => html`<span class=${errorLines.has(i + 1) ? 'bad' : ''}>${i + 1}</span>`,
        )}</pre>
        <textarea id="wf-json" class="code" wrap="off" rows=${Math.min(30, lineCount + 1)} spellcheck="false"
          aria-invalid=${problems.length > 0} aria-describedby="wf-problems"
          onScroll=${(e: Event) => {
            if (gutter.current) gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
          }}
          value=${text} onInput=${(e: Event) => onText((e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
      <div id="wf-problems" role="alert">
        ${
          problems.length > 0
            ? html`<ul class="problems">
                ${problems.map(
                  (p) =>
                    html`<li><a href="#wf-json" onClick=${(e: Event) => {
                      e.preventDefault();
                      focusLine(p.line);
                    }}>line ${p.line}</a> <code>${p.path || '(document)'}</code>: ${p.message}</li>`,
                )}
              </ul>`
            : null
        }
      </div>
    </div>
    ${
      published?.published
        ? html`<div class="card">
            <h2>Published version ${published.published.version}</h2>
            ${
              published.stats
                ? html`<p>Enrolled ${published.stats.enrolled} · active ${published.stats.active}
              ${Object.entries(published.stats.outcomes).map(([k, v]) => ` · ${k} ${v}`)}</p>`
                : null
            }
            <${Graph} asl=${published.published.asl} steps=${published.stats?.steps ?? {}} />
          </div>`
        : null
    }
  </div>`;
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
        // Contacts in a step fused into this Task, or in the wait the Task waits in, are here too.
        const here = n.steps.reduce((sum, id) => sum + (steps[id]?.current ?? 0), 0);
        return html`<g transform=${`translate(${n.x},${n.y})`} class=${`node ${n.type}`}>
          <rect width=${box.w} height=${box.h} rx="6" />
          <text x="8" y="16">${n.id}</text>
          <text x="8" y="32" class="small">${n.type}${count ? ` · ${count.entered} entered, ${here} here` : ''}</text>
        </g>`;
      })}
    </svg>
    <figcaption class="muted">States of the compiled Amazon States Language; counts are enrollments per step.</figcaption>
  </figure>`;
}
