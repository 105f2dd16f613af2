/**
 * The stage editor of a pipeline (PUT /v1/pipelines/{id}/stages): rename, reorder, add and remove
 * stages, change their win probabilities. A removed stage that holds deals asks where they go (a
 * stage of the same kind: open, won, lost).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';
import { type Board, kindOf, type Pipeline } from './deal-parts.js';

interface Row {
  key: string;
  name: string;
  percent: string;
  /** Its name when the editor opened (absent: a new stage). */
  previousName?: string;
}

let nextKey = 0;

export function StageEditor({
  pipeline,
  board,
  onSaved,
}: {
  pipeline: Pipeline;
  board: Board;
  onSaved: () => void;
}) {
  const [name, setName] = useState(pipeline.name);
  const [rows, setRows] = useState<Row[]>(() =>
    pipeline.stages.map((s) => ({
      key: `s${nextKey++}`,
      name: s.name,
      percent: String(Math.round(s.probability * 100)),
      previousName: s.name,
    })),
  );
  const [moves, setMoves] = useState<Record<string, string>>({});
  const action = useAction();
  const focusNext = useRef<string>();
  useEffect(() => {
    if (focusNext.current) document.getElementById(focusNext.current)?.focus();
    focusNext.current = undefined;
  });

  const update = (key: string, patch: Partial<Row>) =>
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const shift = (index: number, by: -1 | 1, control: string) => {
    const to = index + by;
    const row = rows[index];
    if (!row || to < 0 || to >= rows.length) return;
    const next = rows.filter((_, i) => i !== index);
    next.splice(to, 0, row);
    setRows(next);
    // The button keeps the focus, or the other one where it can go no further.
    const edge = (by === -1 && to === 0) || (by === 1 && to === rows.length - 1);
    focusNext.current = edge ? `${row.key}-${by === -1 ? 'down' : 'up'}` : control;
  };
  const remove = (key: string) => {
    const index = rows.findIndex((r) => r.key === key);
    setRows(rows.filter((r) => r.key !== key));
    focusNext.current = rows[index + 1]?.key ? `${rows[index + 1]?.key}-name` : 'add-stage';
  };
  const add = () => {
    const key = `s${nextKey++}`;
    setRows([...rows, { key, name: '', percent: '50' }]);
    focusNext.current = `${key}-name`;
  };

  const held = (stage: string) => board.stages.find((s) => s.name === stage)?.deals.length ?? 0;
  const kept = new Set(rows.flatMap((r) => (r.previousName ? [r.previousName] : [])));
  const removed = pipeline.stages.filter((s) => !kept.has(s.name) && held(s.name) > 0);
  const probability = (r: Row) => Math.min(1, Math.max(0, Number(r.percent) / 100));

  const save = async (e: Event) => {
    e.preventDefault();
    const body = {
      version: pipeline.version ?? 1,
      name: name.trim(),
      stages: rows.map((r) => ({
        name: r.name.trim(),
        probability: probability(r),
        ...(r.previousName && r.previousName !== r.name.trim() ? { previousName: r.previousName } : {}),
      })),
      moves: removed.flatMap((s) => {
        const to = moves[s.name] ?? targets(s.probability)[0];
        return to ? [{ from: s.name, to }] : [];
      }),
    };
    if (await action.run(() => api('PUT', `/v1/pipelines/${pipeline.id}/stages`, body))) onSaved();
  };
  const targets = (p: number) =>
    rows.filter((r) => kindOf(probability(r)) === kindOf(p) && r.name.trim()).map((r) => r.name.trim());

  return html`<form class="card stage-editor" onSubmit=${save} aria-labelledby="stage-editor-title">
    <h2 id="stage-editor-title">Edit stages</h2>
    <div class="field">
      <label for="pipeline-rename">Pipeline name</label>
      <input id="pipeline-rename" required value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
    </div>
    <p class="muted">Win probability: 100% is a won stage, 0% a lost one. A stage holding deals keeps its kind.</p>
    <ol class="stage-rows">
      ${rows.map(
        (r, i) => html`<li key=${r.key}>
          <div class="field">
            <label for=${`${r.key}-name`}>Stage ${i + 1} name</label>
            <input id=${`${r.key}-name`} required value=${r.name} onInput=${(e: Event) => update(r.key, { name: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for=${`${r.key}-percent`}>Win %</label>
            <input id=${`${r.key}-percent`} type="number" min="0" max="100" required value=${r.percent}
              onInput=${(e: Event) => update(r.key, { percent: (e.target as HTMLInputElement).value })} />
          </div>
          <button type="button" class="secondary" id=${`${r.key}-up`} disabled=${i === 0} onClick=${() => shift(i, -1, `${r.key}-up`)}>Up<span class="sr-only"> (${r.name})</span></button>
          <button type="button" class="secondary" id=${`${r.key}-down`} disabled=${i === rows.length - 1} onClick=${() => shift(i, 1, `${r.key}-down`)}>Down<span class="sr-only"> (${r.name})</span></button>
          <button type="button" class="danger" disabled=${rows.length === 1} onClick=${() => remove(r.key)}>Remove<span class="sr-only"> ${r.name}</span></button>
          ${r.previousName && held(r.previousName) ? html`<span class="muted">${held(r.previousName)} deals</span>` : null}
        </li>`,
      )}
    </ol>
    <button type="button" class="secondary" id="add-stage" disabled=${rows.length >= 20} onClick=${add}>Add stage</button>
    ${removed.map((s, i) => {
      const options = targets(s.probability);
      return html`<div class="field">
        <label for=${`move-from-${i}`}>Move the ${held(s.name)} deals of ${s.name} (removed) to</label>
        <select id=${`move-from-${i}`} value=${moves[s.name] ?? options[0] ?? ''}
          onChange=${(e: Event) => setMoves({ ...moves, [s.name]: (e.target as HTMLSelectElement).value })}>
          ${options.length ? options.map((o) => html`<option value=${o}>${o}</option>`) : html`<option value="">No ${kindOf(s.probability)} stage left</option>`}
        </select>
      </div>`;
    })}
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Save stages</button>
  </form>`;
}
