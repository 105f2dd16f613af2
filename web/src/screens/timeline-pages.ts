/**
 * What the contact and company timelines share: their entries read a page at a time (older pages
 * appended, a late answer of an earlier request ignored), and grouped by day, newest first.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page } from '../api.js';

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
