/**
 * Segments: saved filters over contacts (tags all/any/none, field comparisons, created within, email
 * engagement). The list shows each segment's size from the counters; a segment's page shows its
 * contacts page by page and counts it exactly on request (a background count job); a form saves a
 * new one, each problem said beside its field.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  type AudienceSize,
  api,
  type BulkJob,
  type Contact,
  type Page,
  type Segment,
} from '../api.js';
import { ErrorBox, Field, html, link, Pager, useAction, useLoad, usePager, whenLoaded } from '../ui.js';
import { BulkProgress } from './bulk-progress.js';

type Filter = Segment['filter'];
type Comparison = NonNullable<Filter['fields']>[number];

const OPERATORS: Record<Comparison['op'], string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  exists: 'is set',
};

/** A filter in words: “tagged lead and webinar · not tagged customer · created in the last 30 days”. */
export function describeFilter(filter: Filter): string {
  const parts: string[] = [];
  const { tags, fields, created, engagement } = filter;
  if (tags?.all?.length) parts.push(`tagged ${tags.all.join(' and ')}`);
  if (tags?.any?.length) parts.push(`tagged ${tags.any.join(' or ')}`);
  if (tags?.none?.length) parts.push(`not tagged ${tags.none.join(' or ')}`);
  for (const f of fields ?? [])
    parts.push(`${f.field} ${OPERATORS[f.op]}${f.op === 'exists' ? '' : ` ${String(f.value)}`}`);
  if (created?.withinDays) parts.push(`created in the last ${created.withinDays} days`);
  if (created?.after) parts.push(`created after ${new Date(created.after).toLocaleDateString()}`);
  if (created?.before) parts.push(`created before ${new Date(created.before).toLocaleDateString()}`);
  if (engagement) parts.push(`${engagement.type} an email in the last ${engagement.withinDays} days`);
  return parts.join(' · ') || 'every contact';
}

const sizeText = (size: AudienceSize) =>
  `${size.kind === 'at_most' ? 'at most ' : ''}${size.contacts.toLocaleString()} ${size.contacts === 1 ? 'contact' : 'contacts'}`;

function Size({ id }: { id: string }) {
  const size = useLoad(
    () => api<AudienceSize>('POST', '/v1/campaigns/audience-size', { kind: 'segment', segmentId: id }),
    [id],
  );
  if (size.data) return html`<span>${sizeText(size.data)}</span>`;
  if (size.error)
    return html`<span class="muted">size unknown <button type="button" class="link" onClick=${size.reload}>Retry</button></span>`;
  return html`<span class="muted">counting…</span>`;
}

export function SegmentsScreen({ id }: { id?: string | undefined }) {
  if (id === 'new') return html`<${NewSegment} />`;
  if (id) return html`<${SegmentView} key=${id} id=${id} />`;
  return html`<${SegmentList} />`;
}

function SegmentList() {
  const list = useLoad(() => api<Page<Segment>>('GET', '/v1/segments?limit=100'), []);
  return html`<section aria-labelledby="segments-title">
    <h1 id="segments-title">Segments</h1>
    <p><a class="button" href=${link('/segments/new')}>New segment</a></p>
    ${whenLoaded(list, {
      what: 'Loading segments',
      empty: 'No segments yet: a segment is a saved filter of contacts, for campaigns and bulk actions.',
      isEmpty: (data) => data.items.length === 0,
      show: (data) =>
        html`<div class="table-scroll"><table>
          <caption class="sr-only">Segments</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Who</th><th scope="col">Size</th></tr></thead>
          <tbody>
            ${data.items.map(
              (s) =>
                html`<tr><td><a href=${link(`/segments/${s.id}`)}>${s.name}</a></td><td>${describeFilter(s.filter)}</td><td><${Size} id=${s.id} /></td></tr>`,
            )}
          </tbody>
        </table></div>`,
    })}
  </section>`;
}

function SegmentView({ id }: { id: string }) {
  const segment = useLoad(() => api<Segment>('GET', `/v1/segments/${id}`), [id]);
  const pager = usePager();
  const people = useLoad(
    () =>
      api<Page<Contact>>(
        'GET',
        `/v1/segments/${id}/contacts?limit=25${pager.cursor ? `&cursor=${encodeURIComponent(pager.cursor)}` : ''}`,
      ),
    [id, pager.cursor],
  );
  const [job, setJob] = useState<BulkJob>();
  const count = useAction();
  if (!segment.data)
    return segment.error
      ? html`<${ErrorBox} error=${segment.error} onRetry=${segment.reload} />`
      : html`<p class="muted" role="status">Loading the segment…</p>`;
  const s = segment.data;
  const countExactly = () =>
    count.run(async () =>
      setJob(
        await api<BulkJob>('POST', '/v1/bulk-actions', {
          action: { kind: 'count' },
          audience: { kind: 'segment', segmentId: id },
        }),
      ),
    );
  return html`<section aria-labelledby="segment-title">
    <p><a href=${link('/segments')}>← Segments</a></p>
    <h1 id="segment-title">${s.name}</h1>
    <p>${describeFilter(s.filter)} · <${Size} id=${id} /></p>
    <${ErrorBox} error=${count.error} />
    ${
      job
        ? html`<${BulkProgress} job=${job} onClose=${() => setJob(undefined)} />`
        : html`<button type="button" disabled=${count.busy} onClick=${countExactly}>Count exactly</button>`
    }
    <h2>Contacts</h2>
    ${whenLoaded(people, {
      what: 'Loading its contacts',
      empty: 'No contact is in this segment now.',
      isEmpty: (data) => data.items.length === 0,
      show: (data) => html`<ul class="plain" aria-label="Contacts in the segment">
          ${data.items.map((c) => {
            const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
            return html`<li><a href=${link(`/contacts/${c.id}`)}>${name || c.email}</a>${name ? html` <span class="muted">${c.email}</span>` : null}</li>`;
          })}
        </ul>
        <${Pager} page=${pager.page} nextCursor=${data.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />`,
    })}
  </section>`;
}

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

function NewSegment() {
  const [name, setName] = useState('');
  const [all, setAll] = useState('');
  const [any, setAny] = useState('');
  const [none, setNone] = useState('');
  const [withinDays, setWithinDays] = useState('');
  const [engagement, setEngagement] = useState<'' | 'opened' | 'clicked'>('');
  const [engagedDays, setEngagedDays] = useState('30');
  const [field, setField] = useState('');
  const [op, setOp] = useState<Comparison['op']>('eq');
  const [value, setValue] = useState('');
  const save = useAction();
  const filter = (): Record<string, unknown> => {
    const tags = {
      ...(tagList(all).length ? { all: tagList(all) } : {}),
      ...(tagList(any).length ? { any: tagList(any) } : {}),
      ...(tagList(none).length ? { none: tagList(none) } : {}),
    };
    const number = (text: string) => (text.trim() === '' ? text : Number(text));
    return {
      ...(Object.keys(tags).length ? { tags } : {}),
      ...(field.trim()
        ? { fields: [{ field: field.trim(), op, ...(op === 'exists' ? {} : { value: number(value) }) }] }
        : {}),
      ...(withinDays.trim() ? { created: { withinDays: Number(withinDays) } } : {}),
      ...(engagement ? { engagement: { type: engagement, withinDays: Number(engagedDays) } } : {}),
    };
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    let created: Segment | undefined;
    if (
      await save.run(
        async () => (created = await api<Segment>('POST', '/v1/segments', { name, filter: filter() })),
      )
    )
      if (created) window.location.hash = `#/segments/${created.id}`;
  };
  const where = (path: string): string | undefined =>
    ({
      name: 'Name',
      'filter.tags.all': 'Tagged with all of',
      'filter.tags.any': 'Tagged with any of',
      'filter.tags.none': 'Not tagged with',
      'filter.created.withinDays': 'Created in the last (days)',
      'filter.engagement.withinDays': 'Engaged in the last (days)',
    })[path] ?? (path.startsWith('filter.fields') ? 'Field condition' : undefined);
  return html`<section aria-labelledby="new-segment-title">
    <p><a href=${link('/segments')}>← Segments</a></p>
    <h1 id="new-segment-title">New segment</h1>
    <form class="card" onSubmit=${submit} novalidate>
      <${Field} label="Name" id="segment-name" required value=${name} onInput=${setName} />
      <fieldset>
        <legend>Tags</legend>
        <${Field} label="Tagged with all of" id="segment-all" value=${all} onInput=${setAll} hint="Tags separated by commas." />
        <${Field} label="Tagged with any of" id="segment-any" value=${any} onInput=${setAny} />
        <${Field} label="Not tagged with" id="segment-none" value=${none} onInput=${setNone} />
      </fieldset>
      <fieldset>
        <legend>Field condition</legend>
        <div class="inline-fields">
          <${Field} label="Field" id="segment-field" value=${field} onInput=${setField} hint="A property or custom field, e.g. city." />
          <div class="field">
            <label for="segment-op">Condition</label>
            <select id="segment-op" value=${op} onChange=${(e: Event) => setOp((e.target as HTMLSelectElement).value as Comparison['op'])}>
              ${Object.entries(OPERATORS).map(([k, label]) => html`<option value=${k}>${label}</option>`)}
            </select>
          </div>
          ${op === 'exists' ? null : html`<${Field} label="Value" id="segment-value" value=${value} onInput=${setValue} />`}
        </div>
      </fieldset>
      <fieldset>
        <legend>Activity</legend>
        <${Field} label="Created in the last (days)" id="segment-created" type="number" value=${withinDays} onInput=${setWithinDays} />
        <div class="field">
          <label for="segment-engagement">Email engagement</label>
          <select id="segment-engagement" value=${engagement} onChange=${(e: Event) => setEngagement((e.target as HTMLSelectElement).value as typeof engagement)}>
            <option value="">Any</option>
            <option value="opened">Opened an email</option>
            <option value="clicked">Clicked an email</option>
          </select>
        </div>
        ${engagement ? html`<${Field} label="Engaged in the last (days)" id="segment-engaged" type="number" value=${engagedDays} onInput=${setEngagedDays} />` : null}
      </fieldset>
      <${LiveCount} filter=${filter()} />
      <${ErrorBox} error=${save.error} where=${where} />
      <button type="submit" disabled=${save.busy}>Save segment</button>
    </form>
  </section>`;
}
