/**
 * Lead scoring (Settings): the rules that give contacts points for what they do (scoring-rule.ts),
 * the score that makes a lead marketing qualified, and how fast points lose their value. Saved whole
 * at the version read: a save over someone else's is refused (409) and offers the saved settings;
 * a refused value is said beside its field, the first one focused, all listed in a summary.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type ScoringSettings } from '../api.js';
import { Empty, ErrorBox, html, Loading, ProblemList, useAction, useLoad, when } from '../ui.js';
import { LifecycleStagesForm } from './lifecycle-settings.js';
import { PredictionModelSummary } from './prediction-model.js';
import {
  type Choices,
  type FieldState,
  numberOf,
  type Row,
  RuleFields,
  RuleHints,
  rowOf,
  ruleOf,
  uniqueId,
  useChoices,
} from './scoring-rule.js';

const MAX_RULES = 50;
const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());

export function LeadScoring() {
  const settings = useLoad(() => api<ScoringSettings>('GET', '/v1/scoring'), []);
  const choices = useChoices();
  const [said, setSaid] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  // The heading takes the focus once the settings are drawn again (saved, or reloaded after a conflict).
  const [refocus, setRefocus] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (refocus && !settings.loading) {
      heading.current?.focus();
      setRefocus(false);
    }
  }, [settings.loading, settings.data]);
  const again = (status: string, warning?: string) => {
    setSaid(status);
    setNotice(warning);
    setRefocus(true);
    settings.reload();
  };
  const data = settings.data;
  return html`<section class="card lead-scoring" aria-labelledby="scoring-title">
    <h2 id="scoring-title" tabIndex=${-1} ref=${heading}>Lead scoring</h2>
    <p>Contacts get points for what they do, and their points lose value over time. A lead whose score reaches
      the threshold becomes a marketing qualified lead, and workflows can start on it. Rules count what contacts
      do from the time they are saved.</p>
    <p role="status" class="muted ls-said">${said}</p>
    ${notice ? html`<div class="warning" role="alert">${notice}</div>` : null}
    ${settings.error ? html`<${ErrorBox} error=${settings.error} onRetry=${settings.reload} />` : null}
    ${
      data
        ? html`<${ScoringForm} key=${`${data.version}-${data.updatedAt ?? ''}`} settings=${data} choices=${choices}
            onSaved=${() => again('Lead scoring saved.')} onChanged=${() => setSaid('')}
            onReload=${() =>
              again(
                '',
                'These are the lead scoring settings as saved now by someone else. Make your changes again if they are still needed.',
              )} />`
        : settings.error
          ? null
          : html`<${Loading} what="Loading the lead scoring settings" />`
    }
    ${
      data
        ? html`<${LifecycleStagesForm} key=${`lc-${data.version}-${data.updatedAt ?? ''}`} settings=${data}
            onSaved=${() => again('Lifecycle stages saved.')}
            onReload=${() =>
              again(
                '',
                'These are the lifecycle stages as saved now by someone else. Make your changes again if they are still needed.',
              )} />`
        : null
    }
    <${PredictionModelSummary} />
  </section>`;
}

/** The API's top-level fields in form order: key, control, name. A rule's fields follow `rules.<i>`. */
const PLACES: Array<[string, string, string]> = [
  ['threshold', 'ls-threshold', 'Threshold'],
  ['halfLifeDays', 'ls-half-life', 'Half-life'],
];
const RULE_FIELDS: Record<string, string> = {
  name: 'name',
  id: 'name',
  on: 'signal',
  filter: 'filter',
  points: 'points',
  limit: 'at most',
};
/** "must be …" → "Must be …". */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** The API's words, its generic number bounds in plain ones: "Too small: expected number to be >=1" → "must be at least 1". */
const worded = (message: string) =>
  message
    .replace(/^Too small: expected number to be >=(-?[\d.]+)$/, 'must be at least $1')
    .replace(/^Too big: expected number to be <=(-?[\d.]+)$/, 'must be at most $1')
    .replace(/^Invalid input: expected int, received number$/, 'must be a whole number')
    .replace(/^Invalid input: expected number, received null$/, 'is required')
    .replace(/^Too small: expected string to have >=1 characters$/, 'is required')
    .replace(/^Too big: expected string to have <=(\d+) characters$/, 'must be at most $1 characters');

interface Problem {
  /** Where it is said: `threshold`, `halfLifeDays`, `<row key>.<field>`, or none (the summary only). */
  slot?: string | undefined;
  control?: string | undefined;
  label: string;
  text: string;
  /** Its place in the form's order. */
  order: number;
}

/** The refusal's problems in form order, each placed at its field (`sent`: the keys of the rules submitted). */
function problemsOf(error: unknown, sent: number[], rows: Row[]): Problem[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const fields = Object.keys(RULE_FIELDS);
  const placed = error.problems.map(({ path, message: said }): Problem => {
    const message = worded(said);
    const rule = /^rules\.(\d+)(?:\.(\w+))?/.exec(path);
    if (rule) {
      const i = Number(rule[1]);
      const key = sent[i];
      const field = rule[2] && rule[2] in RULE_FIELDS ? (rule[2] === 'id' ? 'name' : rule[2]) : 'rule';
      const at = rows.findIndex((r) => r.key === key);
      if (key === undefined || at < 0)
        return { label: `A removed rule (${i + 1})`, text: message, order: 9000 };
      return {
        slot: `${key}.${field}`,
        control: `ls-${key}-${field === 'rule' ? 'name' : field}`,
        label: `Rule ${at + 1}${field === 'rule' ? '' : ` ${RULE_FIELDS[field]}`}`,
        text: rule[2] === 'id' ? `its id ${message}` : message,
        order: at * 10 + fields.indexOf(field) + 1,
      };
    }
    if (path === 'rules')
      return { slot: 'rules', control: 'ls-add', label: 'Rules', text: message, order: 9001 };
    const place = PLACES.findIndex(([k]) => k === path);
    const [slot, control, label] = PLACES[place] ?? [];
    if (slot) return { slot, control, label: label ?? slot, text: message, order: 9002 + place };
    return { label: path || 'The settings', text: message, order: 9999 };
  });
  return placed.sort((a, b) => a.order - b.order);
}

function ScoringForm({
  settings,
  choices,
  onSaved,
  onChanged,
  onReload,
}: {
  settings: ScoringSettings;
  choices: Choices;
  onSaved: () => void;
  onChanged: () => void;
  onReload: () => void;
}) {
  const [rows, setRows] = useState<Row[]>(() => settings.rules.map(rowOf));
  const [next, setNext] = useState(settings.rules.length);
  const [threshold, setThreshold] = useState(String(settings.threshold));
  const [halfLife, setHalfLife] = useState(String(settings.halfLifeDays));
  // The keys of the rules last submitted: the refusal's `rules.<i>` are theirs.
  const [sent, setSent] = useState<number[]>([]);
  const [said, setSaid] = useState('');
  // The fields changed since the refusal: their problems are no longer said.
  const [fixed, setFixed] = useState<ReadonlySet<string>>(new Set());
  const save = useAction();
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  const problems = problemsOf(save.error, sent, rows).filter((p) => !p.slot || !fixed.has(p.slot));

  const problemId = (slot: string) => `ls-${slot.replace('.', '-')}-problem`;
  const at = (slot: string) => problems.filter((p) => p.slot === slot);
  const aria = (slot: string, hint?: string) => ({
    'aria-invalid': at(slot).length ? 'true' : undefined,
    'aria-describedby':
      [hint, at(slot).length ? problemId(slot) : undefined].filter(Boolean).join(' ') || undefined,
  });
  const beside = (slot: string) =>
    at(slot).length
      ? html`<small class="problem" id=${problemId(slot)}>${at(slot).map((p) => html`<span>${sentence(p.text)}</span>`)}</small>`
      : null;
  const stateOf = (key: number): FieldState => ({
    aria: (field, hint) => aria(`${key}.${field}`, hint),
    beside: (field) => beside(`${key}.${field}`),
  });

  const edited = (...slots: string[]) => {
    setSaid('');
    onChanged();
    if (slots.length) setFixed((was) => new Set([...was, ...slots]));
  };
  const change = (key: number, patch: Partial<Row>) => {
    edited(...Object.keys(patch).map((field) => `${key}.${field}`));
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const add = () => {
    edited();
    setRows((all) => [
      ...all,
      { key: next, name: '', on: 'form_submitted', filter: '', points: '10', limit: '' },
    ]);
    setNext(next + 1);
    focusLater(`ls-${next}-name`);
  };
  const remove = (row: Row, index: number) => {
    edited();
    const left = rows.filter((r) => r.key !== row.key);
    setRows(left);
    setSaid(`Rule ${row.name.trim() ? `“${row.name.trim()}”` : index + 1} removed: save to keep it so.`);
    // The next rule's Remove button (the previous one's when it was the last), or Add a rule.
    const then = left[index] ?? left[index - 1];
    focusLater(then ? `ls-${then.key}-remove` : 'ls-add');
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaid('');
    const taken = new Set(rows.flatMap((r) => (r.id ? [r.id] : [])));
    const rules = rows.map((r) => {
      const id = r.id ?? uniqueId(r.name, taken);
      taken.add(id);
      return ruleOf(r, id);
    });
    const body = {
      rules,
      threshold: numberOf(threshold),
      halfLifeDays: numberOf(halfLife),
      expectedVersion: settings.version,
    };
    const keys = rows.map((r) => r.key);
    setSent(keys);
    setFixed(new Set());
    let refusal: unknown;
    const ok = await save.run(() =>
      api('PUT', '/v1/scoring', body).catch((err: unknown) => {
        refusal = err;
        throw err;
      }),
    );
    if (ok) return onSaved();
    if (refusal instanceof ApiError && refusal.status === 409) return focusLater('ls-conflict-reload');
    // Refused: the first problem's field (in the form's order) takes the focus.
    const first = problemsOf(refusal, keys, rows).find((p) => p.control)?.control ?? 'ls-summary';
    focusLater(first);
  };

  return html`<form class="scoring-form" onSubmit=${submit} noValidate aria-labelledby="ls-rules-title">
    <h3 id="ls-rules-title">Rules</h3>
    ${
      rows.length === 0
        ? html`<${Empty}>No rules: no contact gets points. Add a rule to start scoring.</${Empty}>`
        : html`<${RuleHints} /><ol class="plain scoring-rules">${rows.map(
            (r, i) => html`<li key=${r.key}><${RuleFields} row=${r} index=${i} choices=${choices}
              state=${stateOf(r.key)} onChange=${(patch: Partial<Row>) => change(r.key, patch)}
              onRemove=${() => remove(r, i)} /></li>`,
          )}</ol>`
    }
    <p role="status" class="muted ls-said">${said}</p>
    <div class="actions">
      <button type="button" id="ls-add" class="secondary" disabled=${rows.length >= MAX_RULES}
        aria-describedby=${at('rules').length ? problemId('rules') : undefined} onClick=${add}>Add a rule</button>
      ${rows.length >= MAX_RULES ? html`<span class="muted">At most ${MAX_RULES} rules.</span>` : null}
    </div>
    ${beside('rules')}
    <h3>Qualification</h3>
    <div class="field ls-sentence">
      <label for="ls-threshold">Threshold: a score of</label>
      <span class="ls-inline"><input id="ls-threshold" type="number" inputmode="numeric" min="1" max="10000" step="1"
        value=${threshold} ...${aria('threshold', 'ls-threshold-after')}
        onInput=${(e: Event) => {
          edited('threshold');
          setThreshold((e.target as HTMLInputElement).value);
        }} /> <span id="ls-threshold-after">makes a lead marketing qualified.</span></span>
      ${beside('threshold')}
    </div>
    <div class="field ls-sentence">
      <label for="ls-half-life">Half-life: points lose half their value every</label>
      <span class="ls-inline"><input id="ls-half-life" type="number" inputmode="numeric" min="0" max="3650" step="1"
        value=${halfLife} ...${aria('halfLifeDays', 'ls-half-life-after')}
        onInput=${(e: Event) => {
          edited('halfLifeDays');
          setHalfLife((e.target as HTMLInputElement).value);
        }} /> <span id="ls-half-life-after">days (0: points never lose value).</span></span>
      ${beside('halfLifeDays')}
    </div>
    ${
      conflict
        ? html`<div class="warning" role="alert">
            <strong>Someone else saved the lead scoring settings after you opened them.</strong>
            <p>Your changes were not saved. Reload to see the settings as saved now, then make your changes again.</p>
            <button type="button" id="ls-conflict-reload" onClick=${onReload}>Reload the saved settings</button>
          </div>`
        : html`<${Summary} error=${save.error} problems=${problems} />`
    }
    <div class="actions">
      <button type="submit" disabled=${save.busy}>Save lead scoring</button>
      <span class="muted">${
        settings.version === 0
          ? 'These are the defaults: not saved yet.'
          : `Last saved ${when(settings.updatedAt)}.`
      }</span>
    </div>
  </form>`;
}

/** The refusal, each problem a link to its field (the error as it is when it has none). */
function Summary({ error, problems }: { error: unknown; problems: Problem[] }) {
  // Every problem's field changed since: nothing left to say until the next save.
  if (error instanceof ApiError && error.problems.length > 0 && problems.length === 0) return null;
  if (!(error instanceof ApiError) || problems.length === 0) return html`<${ErrorBox} error=${error} />`;
  return html`<div class="error" role="alert" id="ls-summary" tabIndex=${-1}>
    <strong>Not saved: ${error.message.replace(/\.$/, '')}.</strong>
    <${ProblemList} problems=${problems} />
  </div>`;
}
