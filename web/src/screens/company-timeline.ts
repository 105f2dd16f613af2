/**
 * A company's timeline (`GET /v1/companies/{id}/timeline`), newest first, grouped by day like the
 * contact's ("Today", "Yesterday", then dates; its styles and day labels): created, edited, people
 * joining and leaving, deals linked and unlinked, notes; older entries a page at a time. A note is
 * logged above it (`POST /v1/companies/{id}/notes`).
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { ErrorBox, html, useAction } from '../ui.js';
import { TimelineEntry, TimelineList, useTimelinePages } from './timeline-pages.js';

type Entry = components['schemas']['CompanyEntry'];
const PAGE_SIZE = 25;

const KINDS: Record<Entry['type'], { label: string; icon: string }> = {
  created: { label: 'Created', icon: 'M4 21V8l8-5 8 5v13z M9 21v-6h6v6' },
  edited: { label: 'Edited', icon: 'M4 20h4L19 9l-4-4L4 16z M14 6l4 4' },
  person_joined: {
    label: 'Person joined',
    icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8 M2 21a7 7 0 0 1 14 0 M19 8v6 M16 11h6',
  },
  person_left: {
    label: 'Person left',
    icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8 M2 21a7 7 0 0 1 14 0 M16 11h6',
  },
  deal_linked: { label: 'Deal linked', icon: 'M4 17l5-5 4 4 7-8 M14 8h6v6' },
  deal_unlinked: { label: 'Deal unlinked', icon: 'M4 17l5-5 4 4 7-8 M4 4l16 16' },
  note: { label: 'Note', icon: 'M6 3h9l4 4v14H6z M14 3v5h5 M9 12h7 M9 16h7' },
};

function describe(e: Entry): string {
  const who = e.name ?? (e.contactId ? 'a contact no longer here' : e.dealId ? 'a deleted deal' : '');
  switch (e.type) {
    case 'edited':
      return `Changed ${(e.changed ?? []).map((c) => c.replace(/^fields\./, '')).join(', ')}`;
    case 'person_joined':
      return `${who} ${e.via === 'domain' ? 'joined by email domain' : 'added by hand'}`;
    case 'person_left':
      return `${who} left`;
    case 'deal_linked':
    case 'deal_unlinked':
      return who;
    default:
      return '';
  }
}

export function CompanyTimeline({ companyId, round }: { companyId: string; round: number }) {
  const [logged, setLogged] = useState(0);
  const pages = useTimelinePages<Entry>(`/v1/companies/${companyId}/timeline`, PAGE_SIZE, [
    companyId,
    round,
    logged,
  ]);
  return html`<section class="card company-timeline" aria-labelledby="company-timeline-title">
    <h2 id="company-timeline-title">Timeline</h2>
    <${NoteComposer} companyId=${companyId} onLogged=${() => setLogged((n) => n + 1)} />
    <${TimelineList} pages=${pages} label="Company timeline" idPrefix="company-day" older="entries"
      empty="Nothing on the timeline yet: log a note above."
      entry=${(e: Entry) => html`<${EntryItem} key=${e.id} entry=${e} />`} />
  </section>`;
}

function EntryItem({ entry: e }: { entry: Entry }) {
  const kind = KINDS[e.type];
  return html`<${TimelineEntry} type=${e.type} icon=${kind.icon} label=${kind.label}
    detail=${describe(e) || undefined} at=${e.occurredAt} body=${e.body} />`;
}

function NoteComposer({ companyId, onLogged }: { companyId: string; onLogged: () => void }) {
  const [body, setBody] = useState('');
  const save = useAction();
  return html`<form aria-label="Log a note on the company" onSubmit=${async (ev: Event) => {
    ev.preventDefault();
    if (!body.trim()) return;
    if (await save.run(() => api('POST', `/v1/companies/${companyId}/notes`, { body: body.trim() }))) {
      setBody('');
      onLogged();
    }
  }}>
    <div class="field">
      <label for="company-note">Note</label>
      <textarea id="company-note" rows="2" value=${body}
        onInput=${(ev: Event) => setBody((ev.target as HTMLTextAreaElement).value)}></textarea>
    </div>
    <${ErrorBox} error=${save.error} />
    <button type="submit" disabled=${save.busy || !body.trim()}>Log note</button>
  </form>`;
}
