/**
 * How many contacts the list holds, above it: every contact, a tag's or a stage's, from the counters
 * events keep (GET /v1/contacts/count, a moment behind a change). A search or a band has no counter:
 * it says what its pages showed so far ("25+ results"), never a guessed total.
 */
import { useEffect } from 'preact/hooks';
import { api, query } from '../api.js';
import { html, useLoad } from '../ui.js';
import type { ListFilter } from './contact-list-state.js';

type Count = { count: number; of: 'all' | 'tag' | 'stage' };

const format = new Intl.NumberFormat('en');
const contacts = (n: number) => `${format.format(n)} ${n === 1 ? 'contact' : 'contacts'}`;

/** Whether the list's total is counted (else it is said from the pages read). */
export const counted = (f: ListFilter) => !f.q && !f.email && !f.band;

export function ListCount({
  filter,
  stageLabel,
  page,
  pageSize,
  shown,
  more,
  round,
}: {
  filter: ListFilter;
  stageLabel: string | undefined;
  /** The page shown (from 1), its contacts and whether there are more. */
  page: number;
  pageSize: number;
  shown: number | undefined;
  more: boolean;
  /** Bumped when the list changed here (a contact created, a bulk job done): counted again. */
  round: number;
}) {
  const isCounted = counted(filter);
  const total = useLoad(
    () =>
      isCounted
        ? api<Count>('GET', `/v1/contacts/count${query({ tag: filter.tag, stage: filter.stage })}`)
        : Promise.resolve(undefined),
    [isCounted, filter.tag, filter.stage, round],
  );
  // Events are counted as they arrive: a change made here shows in the total a moment later.
  useEffect(() => {
    if (round === 0 || !isCounted) return;
    const again = setTimeout(total.reload, 2000);
    return () => clearTimeout(again);
  }, [round]);
  let text: string;
  if (!isCounted) {
    if (shown === undefined) text = '';
    else if (filter.email) text = shown === 0 ? '' : contacts(shown);
    else {
      const n = (page - 1) * pageSize + shown;
      text =
        n === 0 ? '' : `${format.format(n)}${more ? '+' : ''} ${n === 1 && !more ? 'result' : 'results'}`;
    }
  } else if (total.data) {
    const n = total.data.count;
    text = filter.tag
      ? `${contacts(n)} tagged “${filter.tag}”`
      : filter.stage
        ? `${contacts(n)} in ${stageLabel ?? filter.stage}`
        : contacts(n);
  } else text = total.error ? '' : 'Counting…';
  return html`<div class="list-count">
    <p id="contacts-count" role="status">${text}</p>
    ${
      total.error && isCounted
        ? html`<p class="muted">The total could not be counted.
            <button type="button" class="link" onClick=${total.reload}>Count again</button></p>`
        : null
    }
  </div>`;
}
