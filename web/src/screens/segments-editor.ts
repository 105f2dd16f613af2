/**
 * The condition editor of a segment, new or saved: name, tags (all/any/none), a field condition,
 * created within and email engagement, with the live count of the contacts they match. Editing a
 * saved segment fills it in and saves at the version it was read (someone else's save in between is
 * refused, with a Reload); conditions the form does not show (more field conditions, a date range
 * set through the API) are kept as saved and said so.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type Segment } from '../api.js';
import { ErrorBox, Field, html, retryOnConflict, useAction } from '../ui.js';
import { type Comparison, describeFilter, type Filter, OPERATORS } from './segments-filter.js';

type Preview = { matched: number; more: boolean; estimatedCandidates: number };
const plural = (n: number) => `${n.toLocaleString()} contact${n === 1 ? '' : 's'}`;

/**
 * How many contacts the filter being built matches now, asked again half a second after each change
 * (exact up to 100; beyond, "at least"), in a polite live region; a filter not finished yet says so.
 */
function LiveCount({ filter }: { filter: Record<string, unknown> }) {
  const key = JSON.stringify(filter);
  const [state, setState] = useState<
    | { kind: 'counting' }
    | { kind: 'done'; preview: Preview }
    | { kind: 'unfinished' }
    | { kind: 'failed'; message: string }
  >({ kind: 'counting' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ kind: 'counting' });
    const timer = setTimeout(() => {
      api<Preview>('POST', '/v1/segments/preview', { filter: JSON.parse(key) }).then(
        (preview) => current && setState({ kind: 'done', preview }),
        (err: unknown) =>
          current &&
          setState(
            err instanceof ApiError && err.status === 400
              ? { kind: 'unfinished' }
              : { kind: 'failed', message: err instanceof Error ? err.message : String(err) },
          ),
      );
    }, 500);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, round]);
  const text =
    state.kind === 'counting'
      ? 'Counting the contacts it matches…'
      : state.kind === 'unfinished'
        ? 'Finish the conditions to see how many contacts match.'
        : state.kind === 'failed'
          ? `Could not count the matches: ${state.message}`
          : state.preview.more
            ? `At least ${plural(state.preview.matched)} match now (of at most ${plural(state.preview.estimatedCandidates)}).`
            : `${plural(state.preview.matched)} match now.`;
  return html`<p class="live-count">
    <span role="status" aria-live="polite">${text}</span>
    ${state.kind === 'failed' ? html` <button type="button" onClick=${() => setRound(round + 1)}>Retry</button>` : null}
  </p>`;
}

const tagList = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

const where = (path: string): string | undefined =>
  ({
    name: 'Name',
    'filter.tags.all': 'Tagged with all of',
    'filter.tags.any': 'Tagged with any of',
    'filter.tags.none': 'Not tagged with',
    'filter.created.withinDays': 'Created in the last (days)',
    'filter.engagement.withinDays': 'Engaged in the last (days)',
  })[path] ?? (path.startsWith('filter.fields') ? 'Field condition' : undefined);

/**
 * The form. `segment`: the saved segment to edit (filled in; saved with PATCH at its version);
 * absent, a new one (POST). `onSaved` gets what was saved; `onCancel` adds a Cancel button.
 */
export function SegmentEditor({
  segment,
  onSaved,
  onCancel,
  onReload,
}: {
  segment?: Segment | undefined;
  onSaved: (saved: Segment) => void;
  onCancel?: () => void;
  /** Reloads the saved segment (after someone else's save). */
  onReload?: () => void;
}) {
  const saved: Filter = segment?.filter ?? {};
  const first = saved.fields?.[0];
  const [name, setName] = useState(segment?.name ?? '');
  const [all, setAll] = useState((saved.tags?.all ?? []).join(', '));
  const [any, setAny] = useState((saved.tags?.any ?? []).join(', '));
  const [none, setNone] = useState((saved.tags?.none ?? []).join(', '));
  const [withinDays, setWithinDays] = useState(
    saved.created?.withinDays ? String(saved.created.withinDays) : '',
  );
  const [engagement, setEngagement] = useState<'' | 'opened' | 'clicked'>(saved.engagement?.type ?? '');
  const [engagedDays, setEngagedDays] = useState(String(saved.engagement?.withinDays ?? 30));
  const [field, setField] = useState(first?.field ?? '');
  const [op, setOp] = useState<Comparison['op']>(first?.op ?? 'eq');
  const [value, setValue] = useState(first?.value === undefined ? '' : String(first.value));
  const save = useAction();
  // What the form does not show is kept as saved: field conditions after the first, a date range.
  const keptFields = saved.fields?.slice(1) ?? [];
  const keptRange = {
    ...(saved.created?.after ? { after: saved.created.after } : {}),
    ...(saved.created?.before ? { before: saved.created.before } : {}),
  };
  const kept: Filter = {
    ...(keptFields.length ? { fields: keptFields } : {}),
    ...(Object.keys(keptRange).length ? { created: keptRange } : {}),
  };
  const filter = (): Record<string, unknown> => {
    const tags = {
      ...(tagList(all).length ? { all: tagList(all) } : {}),
      ...(tagList(any).length ? { any: tagList(any) } : {}),
      ...(tagList(none).length ? { none: tagList(none) } : {}),
    };
    const number = (text: string) => (text.trim() === '' ? text : Number(text));
    const fields = [
      ...(field.trim()
        ? [{ field: field.trim(), op, ...(op === 'exists' ? {} : { value: number(value) }) }]
        : []),
      ...keptFields,
    ];
    const created = { ...keptRange, ...(withinDays.trim() ? { withinDays: Number(withinDays) } : {}) };
    return {
      ...(Object.keys(tags).length ? { tags } : {}),
      ...(fields.length ? { fields } : {}),
      ...(Object.keys(created).length ? { created } : {}),
      ...(engagement ? { engagement: { type: engagement, withinDays: Number(engagedDays) } } : {}),
    };
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    let result: Segment | undefined;
    const ok = await save.run(async () => {
      result = segment
        ? await api<Segment>('PATCH', `/v1/segments/${segment.id}`, {
            version: segment.version,
            name,
            filter: filter(),
          })
        : await api<Segment>('POST', '/v1/segments', { name, filter: filter() });
    });
    if (ok && result) onSaved(result);
  };
  const id = segment ? 'edit-segment' : 'segment';
  return html`<form class="card" onSubmit=${submit} novalidate>
      <${Field} label="Name" id=${`${id}-name`} required value=${name} onInput=${setName} />
      <fieldset>
        <legend>Tags</legend>
        <${Field} label="Tagged with all of" id=${`${id}-all`} value=${all} onInput=${setAll} hint="Tags separated by commas." />
        <${Field} label="Tagged with any of" id=${`${id}-any`} value=${any} onInput=${setAny} />
        <${Field} label="Not tagged with" id=${`${id}-none`} value=${none} onInput=${setNone} />
      </fieldset>
      <fieldset>
        <legend>Field condition</legend>
        <div class="inline-fields">
          <${Field} label="Field" id=${`${id}-field`} value=${field} onInput=${setField} hint="A property or custom field, e.g. city." />
          <div class="field">
            <label for=${`${id}-op`}>Condition</label>
            <select id=${`${id}-op`} value=${op} onChange=${(e: Event) => setOp((e.target as HTMLSelectElement).value as Comparison['op'])}>
              ${Object.entries(OPERATORS).map(([k, label]) => html`<option value=${k}>${label}</option>`)}
            </select>
          </div>
          ${op === 'exists' ? null : html`<${Field} label="Value" id=${`${id}-value`} value=${value} onInput=${setValue} />`}
        </div>
      </fieldset>
      <fieldset>
        <legend>Activity</legend>
        <${Field} label="Created in the last (days)" id=${`${id}-created`} type="number" value=${withinDays} onInput=${setWithinDays} />
        <div class="field">
          <label for=${`${id}-engagement`}>Email engagement</label>
          <select id=${`${id}-engagement`} value=${engagement} onChange=${(e: Event) => setEngagement((e.target as HTMLSelectElement).value as typeof engagement)}>
            <option value="">Any</option>
            <option value="opened">Opened an email</option>
            <option value="clicked">Clicked an email</option>
          </select>
        </div>
        ${engagement ? html`<${Field} label="Engaged in the last (days)" id=${`${id}-engaged`} type="number" value=${engagedDays} onInput=${setEngagedDays} />` : null}
      </fieldset>
      ${Object.keys(kept).length ? html`<p class="muted">Also kept as saved: ${describeFilter(kept)}.</p>` : null}
      <${LiveCount} filter=${filter()} />
      <${ErrorBox} error=${save.error} where=${where} onRetry=${onReload ? retryOnConflict(save.error, onReload) : undefined} />
      <div class="actions">
        <button type="submit" disabled=${save.busy}>${segment ? 'Save changes' : 'Save segment'}</button>
        ${onCancel ? html`<button type="button" class="secondary" onClick=${onCancel}>Cancel</button>` : null}
      </div>
    </form>`;
}
