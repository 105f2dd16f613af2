/**
 * Lifecycle stages (Settings → Lead scoring): what the workspace calls each stage, and where each
 * automatic move takes a contact (or that it is off). Saved with the scoring settings' version, like
 * the rules: a save over someone else's is refused and offers the saved settings. A refused name is
 * said beside its field, which takes the focus.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type LifecycleStage, type ScoringSettings } from '../api.js';
import { STAGE_ORDER, STAGES, setStageLabels } from '../stage-labels.js';
import { ErrorBox, html, useAction } from '../ui.js';

type Settings = ScoringSettings['lifecycle'];
type Move = keyof Settings['moves'];

const MOVES: Array<[Move, string]> = [
  ['formSubmitted', 'When a contact submits a form, move it to'],
  ['scoreReached', 'When its score reaches the threshold, move it to'],
  ['dealCreated', 'When a deal is created for it, move it to'],
  ['dealWon', 'When one of its deals is won, move it to'],
];

const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());

export function LifecycleStagesForm({
  settings,
  onSaved,
  onReload,
}: {
  settings: ScoringSettings;
  onSaved: () => void;
  onReload: () => void;
}) {
  const [labels, setLabels] = useState<Record<string, string>>({ ...settings.lifecycle.labels });
  const [moves, setMoves] = useState<Settings['moves']>({ ...settings.lifecycle.moves });
  const save = useAction();
  const name = (stage: LifecycleStage) => labels[stage]?.trim() || STAGES[stage];
  const problemAt = (stage: LifecycleStage) =>
    save.error instanceof ApiError
      ? save.error.problems.find((p) => p.path === `lifecycle.labels.${stage}`)?.message
      : undefined;
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  const labelsRefused =
    save.error instanceof ApiError &&
    save.error.problems.length > 0 &&
    save.error.problems.every((p) => p.path.startsWith('lifecycle.labels.'));

  const submit = async (e: Event) => {
    e.preventDefault();
    const lifecycle: Settings = {
      labels: Object.fromEntries(
        STAGE_ORDER.flatMap((s) => {
          const given = labels[s]?.trim();
          return given && given !== STAGES[s] ? [[s, given]] : [];
        }),
      ),
      moves,
    };
    let refusal: unknown;
    const ok = await save.run(() =>
      api('PUT', '/v1/scoring', {
        rules: settings.rules,
        threshold: settings.threshold,
        halfLifeDays: settings.halfLifeDays,
        lifecycle,
        expectedVersion: settings.version,
      }).catch((err: unknown) => {
        refusal = err;
        throw err;
      }),
    );
    if (ok) {
      setStageLabels(lifecycle.labels);
      return onSaved();
    }
    if (refusal instanceof ApiError && refusal.status === 409) return focusLater('lc-conflict-reload');
    const first = STAGE_ORDER.find((s) =>
      refusal instanceof ApiError ? refusal.problems.some((p) => p.path === `lifecycle.labels.${s}`) : false,
    );
    focusLater(first ? `lc-label-${first}` : 'lc-error');
  };

  return html`<form class="lifecycle-form" onSubmit=${submit} noValidate aria-labelledby="lc-title">
    <h3 id="lc-title">Lifecycle stages</h3>
    <p class="muted">Stages go in this order. Rename them to your own words; the automatic moves below only ever
      take a contact forward, and a person may set any stage on a contact's page.</p>
    <fieldset>
      <legend>Names</legend>
      <ol class="plain lc-stages">${STAGE_ORDER.map((stage) => {
        const problem = problemAt(stage);
        return html`<li key=${stage} class="field">
          <label for=${`lc-label-${stage}`}>${STAGES[stage]}</label>
          <input id=${`lc-label-${stage}`} type="text" maxLength=${40} value=${labels[stage] ?? ''}
            placeholder=${STAGES[stage]} aria-invalid=${problem ? 'true' : undefined}
            aria-describedby=${problem ? `lc-label-${stage}-problem` : undefined}
            onInput=${(e: Event) => setLabels({ ...labels, [stage]: (e.target as HTMLInputElement).value })} />
          ${problem ? html`<small id=${`lc-label-${stage}-problem`} class="problem">${STAGES[stage]}: ${problem.replace(/of (\w+)$/, (_: string, s: LifecycleStage) => `of ${STAGES[s] ? name(s) : s}`)}</small>` : null}
        </li>`;
      })}</ol>
    </fieldset>
    <fieldset>
      <legend>Automatic moves</legend>
      ${MOVES.map(
        ([move, text]) => html`<div class="field" key=${move}>
          <label for=${`lc-move-${move}`}>${text}</label>
          <select id=${`lc-move-${move}`} value=${moves[move] ?? ''}
            onChange=${(e: Event) => {
              const value = (e.target as HTMLSelectElement).value;
              setMoves({ ...moves, [move]: value === '' ? null : (value as LifecycleStage) });
            }}>
            <option value="">Nowhere (off)</option>
            ${STAGE_ORDER.map((s) => html`<option value=${s}>${name(s)}</option>`)}
          </select>
        </div>`,
      )}
    </fieldset>
    ${
      conflict
        ? html`<div class="warning" role="alert">
            <strong>Someone else saved the lead scoring settings after you opened them.</strong>
            <p>Your stages were not saved. Reload to see the settings as saved now, then make your changes again.</p>
            <button type="button" id="lc-conflict-reload" onClick=${onReload}>Reload the saved settings</button>
          </div>`
        : html`<div id="lc-error" tabIndex=${-1}>${
            // A refused name is said beside its field; anything else here.
            labelsRefused ? null : html`<${ErrorBox} error=${save.error} />`
          }</div>`
    }
    <div class="actions"><button type="submit" disabled=${save.busy}>Save lifecycle stages</button></div>
  </form>`;
}
