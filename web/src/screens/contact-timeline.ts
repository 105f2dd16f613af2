/**
 * The contact's timeline, newest first, grouped by day ("Today", "Yesterday", then dates, in this
 * browser's time zone); each entry with an icon and its kind in words, a call's outcome and length, a
 * meeting's length and attendees. Older entries come a page at a time.
 */
import type { Activity } from '../api.js';
import { html, money } from '../ui.js';
import { OUTCOMES } from './contact-composer.js';
import { TimelineEntry, TimelineList, useTimelinePages } from './timeline-pages.js';

const PAGE_SIZE = 25;

/** Each kind of entry: its name and its icon (24×24 strokes). */
const KINDS: Record<Activity['type'], { label: string; icon: string }> = {
  note: { label: 'Note', icon: 'M6 3h9l4 4v14H6z M14 3v5h5 M9 12h7 M9 16h7' },
  call: {
    label: 'Call',
    icon: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  },
  meeting: { label: 'Meeting', icon: 'M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5' },
  email: { label: 'Email', icon: 'M3 6h18v12H3z M3 6l9 7 9-7' },
  purchase: { label: 'Purchase', icon: 'M4 5h2l2 10h10l2-7H7 M9 19a1 1 0 1 0 0 .1 M17 19a1 1 0 1 0 0 .1' },
  form_submitted: { label: 'Form', icon: 'M5 3h14v18H5z M8 8h8 M8 12h8 M8 16h4' },
  deal_stage_changed: { label: 'Deal', icon: 'M4 17l5-5 4 4 7-8 M14 8h6v6' },
  task_due: { label: 'Task', icon: 'M4 4h16v16H4z M8 12l3 3 5-6' },
  event_tracked: { label: 'Product event', icon: 'M3 12h4l3-7 4 14 3-7h4' },
  case: { label: 'Case', icon: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18 M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8' },
};

function details(a: Activity): string[] {
  const out: string[] = [];
  if (a.outcome) out.push(OUTCOMES[a.outcome] ?? a.outcome);
  if (a.durationMinutes !== undefined) out.push(`${a.durationMinutes} min`);
  if (a.amount !== undefined && a.currency) out.push(money(a.amount, a.currency));
  if (a.attendees?.length) out.push(`with ${a.attendees.join(', ')}`);
  return out;
}

export function ContactTimeline({ contactId, round }: { contactId: string; round: number }) {
  const pages = useTimelinePages<Activity>(`/v1/contacts/${contactId}/activities`, PAGE_SIZE, [
    contactId,
    round,
  ]);
  return html`<section class="card" aria-labelledby="timeline-title">
    <h2 id="timeline-title">Timeline</h2>
    <${TimelineList} pages=${pages} label="Timeline" idPrefix="day" older="activity"
      empty="Nothing on the timeline yet: log a note, a call or a meeting above."
      entry=${(a: Activity) => html`<${Entry} key=${a.id} activity=${a} />`} />
  </section>`;
}

function Entry({ activity: a }: { activity: Activity }) {
  const kind = KINDS[a.type] ?? { label: a.type, icon: KINDS.note.icon };
  const extra = details(a);
  return html`<${TimelineEntry} type=${a.type} icon=${kind.icon} label=${kind.label}
    detail=${extra.length ? extra.join(' · ') : undefined} at=${a.occurredAt} body=${a.body} />`;
}
