/**
 * Segments: saved filters over contacts (tags all/any/none, field comparisons, created within, email
 * engagement). The list shows each segment's size from the counters; a segment's page shows its
 * contacts page by page and counts it exactly on request (a background count job), and is edited in
 * place (the same condition editor, filled in: segments-editor.ts) or deleted after a confirmation
 * (segments-delete.ts); a form saves a new one, each problem said beside its field.
 */
import { useEffect, useState } from 'preact/hooks';
import { type AudienceSize, api, type BulkJob, type Contact, type Page, type Segment } from '../api.js';
import { ErrorBox, html, link, Pager, useAction, useLoad, usePager, whenLoaded } from '../ui.js';
import '../styles/segments.css';
import { BulkProgress } from './bulk-progress.js';
import { SegmentDelete } from './segments-delete.js';
import { SegmentEditor } from './segments-editor.js';
import { describeFilter } from './segments-filter.js';

export { describeFilter } from './segments-filter.js';

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
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const [notice, setNotice] = useState('');
  const count = useAction();
  // Editing puts the focus in the form; leaving it puts it back on Edit.
  useEffect(() => {
    const target =
      mode === 'edit' ? 'edit-segment-name' : mode === 'view' && notice !== '' ? 'segment-edit' : '';
    if (target) document.getElementById(target)?.focus();
  }, [mode]);
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
  const saved = (next: Segment) => {
    setNotice(`Saved ${next.name}: contacts no longer matching leave it, those now matching enter it.`);
    setMode('view');
    segment.reload();
    people.reload();
  };
  const close = (text: string) => {
    setNotice(text);
    setMode('view');
  };
  if (mode === 'edit')
    return html`<section aria-labelledby="segment-title" class="segment-editor">
      <p><a href=${link('/segments')}>← Segments</a></p>
      <h1 id="segment-title">Edit ${s.name}</h1>
      <${SegmentEditor} key=${s.version} segment=${s} onSaved=${saved} onCancel=${() => close('Nothing was changed.')}
        onReload=${segment.reload} />
    </section>`;
  return html`<section aria-labelledby="segment-title">
    <p><a href=${link('/segments')}>← Segments</a></p>
    <h1 id="segment-title">${s.name}</h1>
    <p>${describeFilter(s.filter)} · <${Size} key=${s.version} id=${id} /></p>
    <p class="muted" role="status">${notice}</p>
    <div class="segment-actions">
      <button type="button" id="segment-edit" onClick=${() => setMode('edit')}>Edit</button>
      <button type="button" class="secondary danger" onClick=${() => setMode('delete')}>Delete</button>
    </div>
    ${mode === 'delete' ? html`<${SegmentDelete} segment=${s} onClose=${() => close('')} onReload=${segment.reload} />` : null}
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

function NewSegment() {
  return html`<section aria-labelledby="new-segment-title">
    <p><a href=${link('/segments')}>← Segments</a></p>
    <h1 id="new-segment-title">New segment</h1>
    <${SegmentEditor} onSaved=${(created: Segment) => {
      window.location.hash = `#/segments/${created.id}`;
    }} />
  </section>`;
}
