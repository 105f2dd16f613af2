/**
 * Import steps 3 and 4: where each column of the file goes (preselected from the server's guess), and
 * the options (fill blanks or overwrite, tags, workflows, consent basis); then Start. The API checks
 * the mapping (an email column, each target once) and its refusal is shown next to the form.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  api,
  type ColumnTarget,
  type Import,
  type ImportOptions,
  type ImportPreview,
} from '../api.js';
import { ErrorBox, Field, html, useAction } from '../ui.js';

type Property = Extract<ColumnTarget, { kind: 'property' }>['name'];
const PROPERTIES: Array<[Property, string]> = [
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['phone', 'Phone'],
  ['company', 'Company'],
  ['source', 'Source'],
  ['timeZone', 'Time zone'],
];
const TYPE_NAMES: Record<string, string> = { boolean: 'yes/no', select: 'choice' };
/** What a custom field name must look like (the API's rule). */
const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

const BASES: Array<[ImportOptions['consentBasis'], string]> = [
  ['consent', 'Consent: they opted in'],
  ['legitimate_interest', 'Legitimate interest'],
  ['contract', 'Contract'],
  ['none', 'No basis'],
];

/** One column's choice: a select value (`email`, `property:phone`, `field:seats`, `custom`, …) and a new field's name. */
interface Choice {
  value: string;
  custom: string;
}

function choiceOf(target: ColumnTarget, fields: ImportPreview['fields']): Choice {
  switch (target.kind) {
    case 'property':
      return { value: `property:${target.name}`, custom: '' };
    case 'field':
      return fields.some((f) => f.name === target.name)
        ? { value: `field:${target.name}`, custom: '' }
        : { value: 'custom', custom: target.name };
    default:
      return { value: target.kind, custom: '' };
  }
}

function targetOf(choice: Choice): ColumnTarget {
  const [kind, name = ''] = choice.value.split(/:(.*)/s);
  if (kind === 'property') return { kind: 'property', name: name as Property };
  if (kind === 'field') return { kind: 'field', name };
  if (kind === 'custom') return { kind: 'field', name: choice.custom.trim() };
  if (kind === 'email' || kind === 'tags') return { kind };
  return { kind: 'ignore' };
}

const targetKey = (t: ColumnTarget) => ('name' in t ? `${t.kind}:${t.name}` : t.kind);
const columnName = (header: string[], i: number) => header[i] || `Column ${i + 1}`;
const list = (s: string) =>
  s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

export function MappingForm({
  id,
  preview,
  onStarted,
  focus = false,
}: {
  id: string;
  preview: ImportPreview;
  onStarted: (started: Import) => void;
  /** Move the focus to the form's heading when it appears (the wizard's next step). */
  focus?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, []);
  const { header, rows, fields } = preview;
  const [choices, setChoices] = useState<Choice[]>(() =>
    header.map((_, i) => choiceOf(preview.guessed[i] ?? { kind: 'ignore' }, fields)),
  );
  const [mode, setMode] = useState<ImportOptions['mode']>('fill_blanks');
  const [tags, setTags] = useState('');
  const [trigger, setTrigger] = useState(false);
  const [basis, setBasis] = useState('');
  const action = useAction();

  const targets = choices.map(targetOf);
  const firstUse = new Map<string, number>();
  targets.forEach((t, i) => {
    if (t.kind !== 'ignore' && !firstUse.has(targetKey(t))) firstUse.set(targetKey(t), i);
  });
  const hasEmail = targets.some((t) => t.kind === 'email');
  // The API's problems, by column (`mapping.2`, `mapping.2.name`).
  const problems = action.error instanceof ApiError ? action.error.problems : [];
  const apiProblem = (i: number) =>
    problems.find((p) => p.path === `mapping.${i}` || p.path === `mapping.${i}.name`)?.message;
  const where = (path: string) => {
    const column = /^mapping\.(\d+)/.exec(path);
    if (column) return `Column “${columnName(header, Number(column[1]))}”:`;
    if (path === 'mapping') return 'Mapping:';
    if (path.startsWith('options.tags')) return 'Tags:';
    if (path === 'options.consentBasis') return 'Consent basis:';
    return undefined;
  };

  const set = (i: number, patch: Partial<Choice>) =>
    setChoices(choices.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const submit = async (e: Event) => {
    e.preventDefault();
    const options: ImportOptions = {
      mode,
      tags: list(tags),
      triggerAutomations: trigger,
      consentBasis: basis as ImportOptions['consentBasis'],
    };
    let started: Import | undefined;
    const ok = await action.run(async () => {
      started = await api<Import>('POST', `/v1/imports/${id}/start`, { mapping: targets, options });
    });
    if (ok && started) onStarted(started);
  };

  return html`<form class="import-form" onSubmit=${submit} aria-labelledby="map-title">
    <div class="card">
      <h2 id="map-title" tabindex="-1" ref=${heading}>Map columns</h2>
      <p class="muted" id="map-help">
        Choose where each column of your file goes. Email is required; a column set to “Don’t import” is skipped.
      </p>
      ${hasEmail ? null : html`<p class="warning" id="map-no-email">No column is mapped to Email yet: the import needs one.</p>`}
      <div class="table-scroll mapping-scroll">
        <table class="mapping">
          <caption class="sr-only">Column mapping</caption>
          <thead><tr><th scope="col">Column in your file</th><th scope="col">Sample values</th><th scope="col">Import as</th></tr></thead>
          <tbody>
            ${header.map((h, i) => {
              const choice = choices[i] ?? { value: 'ignore', custom: '' };
              const target = targets[i] ?? { kind: 'ignore' };
              const first = target.kind === 'ignore' ? i : firstUse.get(targetKey(target));
              const local =
                first !== undefined && first !== i
                  ? `Also chosen for column “${columnName(header, first)}”.`
                  : choice.value === 'custom' && !FIELD_NAME.test(choice.custom.trim())
                    ? 'Give the new field a name: a letter, then letters, digits or _.'
                    : undefined;
              const problem = apiProblem(i) ?? local;
              const samples = rows
                .map((r) => (r[i] ?? '').trim())
                .filter(Boolean)
                .slice(0, 3);
              return html`<tr>
                <th scope="row" class="column-name">${h || html`<span class="muted">(no header) column ${i + 1}</span>`}</th>
                <td class="samples">
                  ${
                    samples.length
                      ? html`<ul class="plain">${samples.map((s) => html`<li title=${s}>${s}</li>`)}</ul>`
                      : html`<span class="muted">(empty)</span>`
                  }
                </td>
                <td class="target">
                  <label class="sr-only" for=${`map-${i}`}>Import column “${columnName(header, i)}” as</label>
                  <select id=${`map-${i}`} value=${choice.value}
                    aria-invalid=${problem && apiProblem(i) ? 'true' : undefined}
                    aria-describedby=${problem ? `map-${i}-problem` : undefined}
                    onChange=${(e: Event) => set(i, { value: (e.target as HTMLSelectElement).value })}>
                    <option value="email">Email</option>
                    <optgroup label="Contact properties">
                      ${PROPERTIES.map(([name, label]) => html`<option value=${`property:${name}`}>${label}</option>`)}
                    </optgroup>
                    <option value="tags">Tags (separated by ;)</option>
                    ${
                      fields.length
                        ? html`<optgroup label="Custom fields">
                            ${fields.map(
                              (f) =>
                                html`<option value=${`field:${f.name}`}>${f.label} (${TYPE_NAMES[f.type] ?? f.type})</option>`,
                            )}
                          </optgroup>`
                        : null
                    }
                    <option value="custom">Custom field…</option>
                    <option value="ignore">Don’t import</option>
                  </select>
                  ${
                    choice.value === 'custom'
                      ? html`<div class="field custom-name">
                          <label for=${`map-${i}-name`}>New field name</label>
                          <input id=${`map-${i}-name`} value=${choice.custom} required
                            aria-describedby=${problem ? `map-${i}-problem` : undefined}
                            onInput=${(e: Event) => set(i, { custom: (e.target as HTMLInputElement).value })} />
                        </div>`
                      : null
                  }
                  ${problem ? html`<small class="problem" id=${`map-${i}-problem`}>${problem}</small>` : null}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    </div>

    <div class="card">
      <h2 id="options-title">Options</h2>
      <fieldset>
        <legend>When a contact with the same email exists</legend>
        <label class="choice"><input type="radio" name="import-mode" value="fill_blanks"
          checked=${mode === 'fill_blanks'} onChange=${() => setMode('fill_blanks')} />
          <span>Fill blank properties only <span class="muted">(values already set are kept)</span></span></label>
        <label class="choice"><input type="radio" name="import-mode" value="overwrite"
          checked=${mode === 'overwrite'} onChange=${() => setMode('overwrite')} />
          <span>Overwrite with the file’s values</span></label>
      </fieldset>
      <${Field} label="Tags to add" id="import-tags" value=${tags} onInput=${setTags} placeholder="spring-list, webinar"
        hint="Comma-separated; added to every contact of the file." />
      <div class="field">
        <label class="choice"><input type="checkbox" id="import-trigger" checked=${trigger}
          aria-describedby="import-trigger-hint"
          onChange=${(e: Event) => setTrigger((e.target as HTMLInputElement).checked)} />
          <span>Trigger workflows for these contacts</span></label>
        <small id="import-trigger-hint" class="muted">Off: workflows triggered by a new contact or a tag do not start for this import.</small>
      </div>
      <div class="field">
        <label for="import-basis">Consent basis for email <span aria-hidden="true">*</span></label>
        <select id="import-basis" required value=${basis} aria-describedby="import-basis-hint"
          onChange=${(e: Event) => setBasis((e.target as HTMLSelectElement).value)}>
          <option value="" disabled>Choose a basis…</option>
          ${BASES.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        </select>
        <small id="import-basis-hint" class="muted">
          Contacts imported with “No basis” are never enrolled into email workflows or sent marketing email.
        </small>
      </div>
      <${ErrorBox} error=${action.error} where=${where} />
      <div class="actions">
        <button type="submit" id="import-start" disabled=${action.busy}>${action.busy ? 'Starting…' : 'Start import'}</button>
      </div>
    </div>
  </form>`;
}
