/**
 * Contacts: search by name, company, part of the email or phone (`q`, the search index; a whole
 * address is looked up exactly), filter by tag, or list a lifecycle stage or a likelihood band,
 * paginated, with each one's lead score, stage and likelihood to convert (as the daily trainer
 * stored it); select rows for bulk actions (or every contact with the tag filtered by), with their
 * progress; create one.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  type BulkJob,
  type Contact,
  type LifecycleStage,
  type Page,
  query,
  type StandingSummary,
} from '../api.js';
import type { components } from '../api-types.js';
import { useStageLabels } from '../stage-labels.js';
import {
  Empty,
  ErrorBox,
  Field,
  html,
  Loading,
  link,
  Pager,
  useAction,
  useLoad,
  usePager,
  when,
} from '../ui.js';
import { BulkBar } from './bulk-bar.js';
import { BULK_FINISHED, BulkProgress } from './bulk-progress.js';
import { likelihoodText } from './contact-prediction.js';
import { TimeZoneInput } from './time-zone-field.js';

type ContactLikelihood = components['schemas']['ContactLikelihood'];
type Band = ContactLikelihood['band'];
/** The bands as the filter names them (their bounds: predictions/model.ts). */
const BANDS: Record<Band, string> = {
  high: 'High (50% or more)',
  medium: 'Medium (20–49%)',
  low: 'Low (under 20%)',
};
const BAND_WORD: Record<Band, string> = { high: 'high', medium: 'medium', low: 'low' };

type Filter = { email?: string; q?: string; tag?: string; stage?: LifecycleStage; band?: Band };

/** A whole email address (looked up exactly) rather than words to search. */
const WHOLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Text the search can read: a word of 2 letters or digits. */
const SEARCHABLE = /[\p{L}\p{N}]{2}/u;

/** The page of contacts a filter shows: a stage and a band are each listed from their own index. */
const contactsPage = (filter: Filter, cursor: string | undefined) =>
  filter.stage
    ? api<Page<Contact>>(
        'GET',
        `/v1/lifecycle-stages/${filter.stage}/contacts${query({ limit: 25, cursor })}`,
      )
    : filter.band
      ? api<Page<Contact>>(
          'GET',
          `/v1/predictions/bands/${filter.band}/contacts${query({ limit: 25, cursor })}`,
        )
      : api<Page<Contact>>('GET', `/v1/contacts${query({ limit: 25, cursor, ...filter })}`);

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

export function ContactsScreen() {
  const stages = useStageLabels();
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const [stage, setStage] = useState('');
  const [band, setBand] = useState('');
  const [filter, setFilter] = useState<Filter>({});
  const [filterProblem, setFilterProblem] = useState('');
  const pager = usePager();
  const list = useLoad(
    () => contactsPage(filter, pager.cursor),
    [pager.cursor, filter.email, filter.q, filter.tag, filter.stage, filter.band],
  );
  const ids = (list.data?.items ?? []).map((c) => c.id).join(',');
  // The page's scores and stages: one batched read, shown when they come.
  const standings = useLoad(
    () =>
      ids
        ? api<{ items: StandingSummary[] }>('GET', `/v1/standings${query({ ids })}`)
        : Promise.resolve({ items: [] }),
    [ids],
  );
  const standingOf = (id: string) => standings.data?.items.find((s) => s.contactId === id);
  // Their likelihoods, as the daily trainer stored them: another batched read.
  const likelihoods = useLoad(
    () =>
      ids
        ? api<{ items: ContactLikelihood[] }>('GET', `/v1/predictions${query({ ids })}`)
        : Promise.resolve({ items: [] }),
    [ids],
  );
  const likelihoodOf = (id: string) => likelihoods.data?.items.find((l) => l.contactId === id);
  // A selection is of the page shown: a new page or filter starts with none.
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(
    () => setSelected([]),
    [pager.cursor, filter.email, filter.q, filter.tag, filter.stage, filter.band],
  );
  const [job, setJob] = useState<BulkJob>();
  /** Bumped when a job finishes: the bulk bar starts afresh. */
  const [round, setRound] = useState(0);
  const [running, setRunning] = useState(false);
  const apply = (e: Event) => {
    e.preventDefault();
    const words = search.trim();
    const problem = filterProblemOf(words, tag.trim(), stage, band);
    setFilterProblem(problem);
    if (problem) return;
    pager.reset();
    setFilter({
      ...(words ? (WHOLE_EMAIL.test(words) ? { email: words } : { q: words }) : {}),
      ...(tag.trim() ? { tag: tag.trim() } : {}),
      ...(stage ? { stage: stage as LifecycleStage } : {}),
      ...(band ? { band: band as Band } : {}),
    });
  };
  const started = (next: BulkJob) => {
    setJob(next);
    setRunning(!BULK_FINISHED.includes(next.status));
  };
  const finished = () => {
    setRunning(false);
    setSelected([]);
    setRound((r) => r + 1);
    list.reload();
  };
  const items = list.data?.items ?? [];
  const onPage = items.filter((c) => selected.includes(c.id)).length;
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)));
  const togglePage = (on: boolean) => setSelected(on ? items.map((c) => c.id) : []);
  return html`<section aria-labelledby="contacts-title">
    <h1 id="contacts-title">Contacts</h1>
    <form class="inline" role="search" onSubmit=${apply}>
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
      <small id="search-problem" class="problem" role="alert">${filterProblem}</small>
    </form>
    ${
      selected.length > 0 || filter.tag
        ? html`<${BulkBar} key=${`${round}:${filter.tag ?? ''}`} selected=${selected} filterTag=${filter.tag} running=${running}
            onStarted=${started} onClear=${() => setSelected([])} />`
        : null
    }
    ${
      job
        ? html`<${BulkProgress} key=${job.id} job=${job} onFinished=${finished}
            onClose=${() => setJob(undefined)} />`
        : null
    }
    <${ErrorBox} error=${list.error} onRetry=${list.reload} />
    ${
      likelihoods.error
        ? html`<p class="muted" id="likelihoods-failed">Likelihoods could not be loaded:</p>
          <${ErrorBox} error=${likelihoods.error} onRetry=${likelihoods.reload} />`
        : null
    }
    ${
      list.loading
        ? html`<${Loading} what="Loading contacts" />`
        : list.data && items.length === 0
          ? html`<${Empty}>No contacts${filter.email || filter.q || filter.tag || filter.stage || filter.band ? ' match' : ' yet'}.</${Empty}>`
          : list.data
            ? html`<div class="table-scroll"><table class="contacts-table">
                <caption class="sr-only">Contacts</caption>
                <thead><tr>
                  <th scope="col" class="select">
                    <input type="checkbox" id="select-page" aria-label="Select all contacts on this page"
                      checked=${onPage > 0 && onPage === items.length}
                      indeterminate=${onPage > 0 && onPage < items.length}
                      onChange=${(e: Event) => togglePage((e.target as HTMLInputElement).checked)} />
                  </th>
                  <th scope="col">Email</th><th scope="col">Name</th><th scope="col">Tags</th>
                  <th scope="col" class="num">Score</th><th scope="col">Stage</th>
                  <th scope="col" class="num">Likelihood</th><th scope="col" class="created">Created</th>
                </tr></thead>
                <tbody>
                  ${items.map(
                    (c) => html`<tr key=${c.id} class=${selected.includes(c.id) ? 'selected' : undefined}>
                      <td class="select">
                        <input type="checkbox" aria-label=${`Select ${c.email}`} checked=${selected.includes(c.id)}
                          onChange=${(e: Event) => toggle(c.id, (e.target as HTMLInputElement).checked)} />
                      </td>
                      <td class="email"><a href=${link(`/contacts/${c.id}`)}>${c.email}</a></td>
                      <td>${[c.firstName, c.lastName].filter(Boolean).join(' ')}</td>
                      <td>${c.tags.map((t) => html`<span class="tag">${t}</span>`)}</td>
                      <td class="num">${standingOf(c.id)?.score ?? (standings.data ? 0 : '…')}</td>
                      <td>${stages[standingOf(c.id)?.stage as LifecycleStage] ?? (standings.data ? '—' : '…')}</td>
                      <td class="num likelihood">${likelihoodCell(likelihoodOf(c.id), likelihoods.data !== undefined)}</td>
                      <td class="created">${when(c.createdAt)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table></div>`
            : null
    }
    <${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />
    <${NewContact} onCreated=${list.reload} />
  </section>`;
}

/** "72% high", with when it was scored as a tooltip; "—" for a contact never scored, "…" while loading. */
function likelihoodCell(l: ContactLikelihood | undefined, loaded: boolean) {
  if (!l)
    return loaded
      ? html`<span title="Not scored yet: the daily training scores every contact">—</span>`
      : '…';
  return html`<span title=${`Scored ${when(l.scoredAt)}`}>${likelihoodText(l.likelihood)} <span class=${`band is-${l.band}`}>${BAND_WORD[l.band]}</span></span>`;
}

function NewContact({ onCreated }: { onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [timeZone, setTimeZone] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      email,
      ...(firstName ? { firstName } : {}),
      ...(timeZone.trim() ? { timeZone: timeZone.trim() } : {}),
    };
    if (await action.run(() => api('POST', '/v1/contacts', body))) {
      setEmail('');
      setFirstName('');
      setTimeZone('');
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-contact">
    <h2 id="new-contact">New contact</h2>
    <${Field} label="Email" id="new-contact-email" type="email" required value=${email} onInput=${setEmail} />
    <${Field} label="First name" id="new-contact-first" value=${firstName} onInput=${setFirstName} />
    <${TimeZoneInput} id="new-contact-time-zone" value=${timeZone} onInput=${setTimeZone} />
    <${ErrorBox} error=${action.error} where=${(path: string) => (path === 'timeZone' ? 'Time zone' : undefined)} />
    <button type="submit" disabled=${action.busy}>Create contact</button>
  </form>`;
}
