/**
 * The contacts list's filter form: words to search (a whole address is looked up exactly), a tag, a
 * lifecycle stage or a likelihood band. What cannot be listed together is said before anything is
 * asked. Its fields show the list's filter again whenever that changes (a view opened).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LifecycleStage } from '../api.js';
import { useStageLabels } from '../stage-labels.js';
import { Field, html } from '../ui.js';
import type { Band, ListFilter } from './contact-list-state.js';

/** The bands as the filter names them (their bounds: predictions/model.ts). */
export const BANDS: Record<Band, string> = {
  high: 'High (50% or more)',
  medium: 'Medium (20–49%)',
  low: 'Low (under 20%)',
};

/** A whole email address (looked up exactly) rather than words to search. */
const WHOLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Text the search can read: a word of 2 letters or digits. */
const SEARCHABLE = /[\p{L}\p{N}]{2}/u;

/** Why a filter cannot be listed (a stage and a band are each read from an index of their own), or ''. */
function filterProblemOf(search: string, tag: string, stage: string, band: string): string {
  if (search && !WHOLE_EMAIL.test(search) && !SEARCHABLE.test(search))
    return 'Search needs at least two letters or digits of a name, company, email or phone.';
  if (search && tag) return 'Search or filter by tag, not both: clear one of them first.';
  if (stage && band) return 'List a stage or a likelihood band, not both: clear one of them first.';
  if (stage && (search || tag)) return 'List a stage on its own: clear the search and the tag first.';
  if (band && (search || tag))
    return 'List a likelihood band on its own: clear the search and the tag first.';
  return '';
}

const keyOf = (f: ListFilter) => `${f.q ?? f.email ?? ''}|${f.tag ?? ''}|${f.stage ?? ''}|${f.band ?? ''}`;

export function FilterForm({ filter, onApply }: { filter: ListFilter; onApply: (f: ListFilter) => void }) {
  const stages = useStageLabels();
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const [stage, setStage] = useState('');
  const [band, setBand] = useState('');
  const [problem, setProblem] = useState('');
  const shown = keyOf(filter);
  // The form shows a filter chosen elsewhere (a view, the address); the one it applied itself it
  // already shows, and a choice made since (before the list re-rendered) is kept.
  const applied = useRef('');
  useEffect(() => {
    if (shown === applied.current) {
      applied.current = '';
      return;
    }
    setSearch(filter.q ?? filter.email ?? '');
    setTag(filter.tag ?? '');
    setStage(filter.stage ?? '');
    setBand(filter.band ?? '');
    setProblem('');
  }, [shown]);
  const apply = (e: Event) => {
    e.preventDefault();
    const words = search.trim();
    const found = filterProblemOf(words, tag.trim(), stage, band);
    setProblem(found);
    if (found) return;
    const next: ListFilter = {
      ...(words ? (WHOLE_EMAIL.test(words) ? { email: words } : { q: words }) : {}),
      ...(tag.trim() ? { tag: tag.trim() } : {}),
      ...(stage ? { stage: stage as LifecycleStage } : {}),
      ...(band ? { band: band as Band } : {}),
    };
    applied.current = keyOf(next) === shown ? '' : keyOf(next);
    onApply(next);
  };
  return html`<form class="inline" role="search" onSubmit=${apply}>
    <${Field} label="Name, company, email or phone" id="search-q" type="search" value=${search} onInput=${setSearch}
      placeholder="ada love" hint="Every word must match; a whole email address is looked up exactly." />
    <${Field} label="Tag" id="search-tag" value=${tag} onInput=${setTag} placeholder="lead" />
    <div class="field"><label for="search-stage">Lifecycle stage</label>
      <select id="search-stage" value=${stage} aria-describedby="search-problem"
        onChange=${(e: Event) => setStage((e.target as HTMLSelectElement).value)}>
        <option value="">Any stage</option>
        ${Object.entries(stages).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select></div>
    <div class="field"><label for="search-band">Likelihood to convert</label>
      <select id="search-band" value=${band} aria-describedby="search-problem"
        onChange=${(e: Event) => setBand((e.target as HTMLSelectElement).value)}>
        <option value="">Any likelihood</option>
        ${Object.entries(BANDS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select></div>
    <div class="field"><button type="submit">Search</button></div>
    <small id="search-problem" class="problem" role="alert">${problem}</small>
  </form>`;
}
