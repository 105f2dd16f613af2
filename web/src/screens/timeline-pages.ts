/**
 * What the contact and company timelines share: their entries read a page at a time (older pages
 * appended, a late answer of an earlier request ignored), and grouped by day, newest first.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page } from '../api.js';
import { Empty, ErrorBox, html, Loading } from '../ui.js';

export const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;

/** "Today", "Yesterday", or the date in words. */
export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(d) === dayKey(now)) return 'Today';
  if (dayKey(d) === dayKey(yesterday)) return 'Yesterday';
  return d.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
  });
}

/** Entries by day, in the order given (newest first). */
export function byDay<T extends { occurredAt: string }>(
  items: T[],
): Array<{ key: string; label: string; items: T[] }> {
  const groups: Array<{ key: string; label: string; items: T[] }> = [];
  const now = new Date();
  for (const item of items) {
    const key = dayKey(new Date(item.occurredAt));
    const last = groups[groups.length - 1];
    if (last?.key === key) last.items.push(item);
    else groups.push({ key, label: dayLabel(item.occurredAt, now), items: [item] });
  }
  return groups;
}

/** The entries at `path` (`?limit=&cursor=` added), read again whenever `deps` change. */
export function useTimelinePages<T>(path: string, pageSize: number, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const request = useRef(0);
  const load = (cursor?: string) => {
    const mine = ++request.current;
    setLoading(true);
    setError(undefined);
    const q = `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    api<Page<T>>('GET', `${path}?${q}`).then(
      (page) => {
        if (mine !== request.current) return;
        setItems((before) => (cursor ? [...before, ...page.items] : page.items));
        setNext(page.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== request.current) return;
        setError(err);
        setLoading(false);
      },
    );
  };
  useEffect(() => load(), deps);
  return { items, next, loading, error, load };
}

type Pages<T> = ReturnType<typeof useTimelinePages<T>>;

/**
 * A timeline's body: its entries by day (each day a heading over its list), or the empty text; the
 * loading and error (Retry) states; and the button that reads the next, older page.
 */
export function TimelineList<T extends { id: string; occurredAt: string }>({
  pages,
  label,
  idPrefix,
  empty,
  older,
  entry,
}: {
  pages: Pages<T>;
  /** The whole list's accessible name ("Timeline"). */
  label: string;
  /** Prefix of each day heading's id (unique on the page). */
  idPrefix: string;
  empty: string;
  /** What the older pages are called ("activity", "entries"). */
  older: string;
  entry: (item: T) => unknown;
}) {
  const { items, next, loading, error, load } = pages;
  const groups = byDay(items);
  return html`${
    groups.length > 0
      ? html`<ol class="timeline contact-timeline" aria-label=${label}>
          ${groups.map(
            (g) => html`<li class="timeline-day" key=${g.key}>
              <h3 id=${`${idPrefix}-${g.key}`} class="timeline-day-title">${g.label}</h3>
              <ol class="timeline-entries" aria-labelledby=${`${idPrefix}-${g.key}`}>${g.items.map(entry)}</ol>
            </li>`,
          )}
        </ol>`
      : loading || error
        ? null
        : html`<${Empty}>${empty}</${Empty}>`
  }
  ${loading ? html`<${Loading} what=${items.length ? `Loading older ${older}` : 'Loading the timeline'} />` : null}
  <${ErrorBox} error=${error} onRetry=${() => load(items.length ? next : undefined)} />
  ${
    next && !loading && !error
      ? html`<button type="button" class="secondary" onClick=${() => load(next)}>Show older ${older}</button>`
      : null
  }`;
}

/** One entry: its icon, what it is, details, the time, and a body. */
export function TimelineEntry({
  type,
  icon,
  label,
  detail,
  at,
  body,
}: {
  type: string;
  icon: string;
  label: string;
  detail?: string | undefined;
  at: string;
  body?: string | undefined;
}) {
  return html`<li class=${`timeline-entry is-${type}`}>
    <span class="timeline-icon" aria-hidden="true">
      <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8"
        stroke-linecap="round" stroke-linejoin="round" focusable="false"><path d=${icon} /></svg>
    </span>
    <div class="timeline-text">
      <p class="timeline-head">
        <strong>${label}</strong>${detail ? html` <span class="muted">· ${detail}</span>` : null}
        <time datetime=${at} class="muted">${new Date(at).toLocaleTimeString(undefined, {
          hour: '2-digit',
          minute: '2-digit',
        })}</time>
      </p>
      ${body ? html`<p class="timeline-body wrap-anywhere">${body}</p>` : null}
    </div>
  </li>`;
}
