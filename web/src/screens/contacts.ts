/**
 * Contacts: search by email, filter by tag or list a lifecycle stage, paginated, with each one's
 * lead score and stage; select rows for bulk actions (or every contact with the tag filtered by),
 * with their progress; create one.
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
import { STAGES } from './contact-standing.js';
import { TimeZoneInput } from './time-zone-field.js';

type Filter = { email?: string; tag?: string; stage?: LifecycleStage };

/** The page of contacts a filter shows: a stage is listed from its own index. */
const contactsPage = (filter: Filter, cursor: string | undefined) =>
  filter.stage
    ? api<Page<Contact>>(
        'GET',
        `/v1/lifecycle-stages/${filter.stage}/contacts${query({ limit: 25, cursor })}`,
      )
    : api<Page<Contact>>('GET', `/v1/contacts${query({ limit: 25, cursor, ...filter })}`);

export function ContactsScreen() {
  const [email, setEmail] = useState('');
  const [tag, setTag] = useState('');
  const [stage, setStage] = useState('');
  const [filter, setFilter] = useState<Filter>({});
  const [filterProblem, setFilterProblem] = useState('');
  const pager = usePager();
  const list = useLoad(
    () => contactsPage(filter, pager.cursor),
    [pager.cursor, filter.email, filter.tag, filter.stage],
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
  // A selection is of the page shown: a new page or filter starts with none.
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => setSelected([]), [pager.cursor, filter.email, filter.tag, filter.stage]);
  const [job, setJob] = useState<BulkJob>();
  /** Bumped when a job finishes: the bulk bar starts afresh. */
  const [round, setRound] = useState(0);
  const [running, setRunning] = useState(false);
  const apply = (e: Event) => {
    e.preventDefault();
    if (stage && (email.trim() || tag.trim())) {
      setFilterProblem('List a stage on its own: clear the email and the tag first.');
      return;
    }
    setFilterProblem('');
    pager.reset();
    setFilter({
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(tag.trim() ? { tag: tag.trim() } : {}),
      ...(stage ? { stage: stage as LifecycleStage } : {}),
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
      <${Field} label="Email" id="search-email" type="search" value=${email} onInput=${setEmail} placeholder="ada@example.com" />
      <${Field} label="Tag" id="search-tag" value=${tag} onInput=${setTag} placeholder="lead" />
      <div class="field"><label for="search-stage">Lifecycle stage</label>
        <select id="search-stage" value=${stage} aria-describedby="search-problem"
          onChange=${(e: Event) => setStage((e.target as HTMLSelectElement).value)}>
          <option value="">Any stage</option>
          ${Object.entries(STAGES).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
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
      list.loading
        ? html`<${Loading} what="Loading contacts" />`
        : list.data && items.length === 0
          ? html`<${Empty}>No contacts${filter.email || filter.tag || filter.stage ? ' match' : ' yet'}.</${Empty}>`
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
                  <th scope="col" class="num">Score</th><th scope="col">Stage</th><th scope="col" class="created">Created</th>
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
                      <td>${STAGES[standingOf(c.id)?.stage as LifecycleStage] ?? (standings.data ? '—' : '…')}</td>
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
