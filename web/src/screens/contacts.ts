/**
 * Contacts: the list people work from. Search by name, company, part of the email or phone (`q`, the
 * search index; a whole address is looked up exactly), filter by tag, or list a lifecycle stage or a
 * likelihood band, paginated; every contact and a tag's newest or oldest first; the total above the
 * list (from the counters events keep); the columns chosen (kept in this browser); saved views of all
 * that for the workspace, the one open in the address (contact-list-*.ts). Rows are selected for bulk
 * actions (or every contact with the tag filtered by), with their progress; a contact is created below.
 */
import '../styles/contact-list.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type BulkJob, type Contact, type Page, query, type StandingSummary } from '../api.js';
import type { components } from '../api-types.js';
import { useStageLabels } from '../stage-labels.js';
import { Empty, ErrorBox, html, Loading, Pager, useLoad, usePager } from '../ui.js';
import { useUsers } from '../user-picker.js';
import { BulkBar } from './bulk-bar.js';
import { BULK_FINISHED, BulkProgress } from './bulk-progress.js';
import { ColumnsControl } from './contact-list-columns.js';
import { counted, ListCount } from './contact-list-count.js';
import { NoContactsYet } from './contact-list-empty.js';
import { FilterForm } from './contact-list-filters.js';
import { NewContact } from './contact-list-new.js';
import {
  allColumns,
  type ContactView,
  changedFrom,
  type FieldDefinition,
  inOrder,
  isNameSort,
  type ListFilter,
  type ListState,
  listHash,
  NEWEST,
  nameSortable,
  parseListHash,
  type Sort,
  sameFilter,
  sortable,
  sortFits,
  storeColumns,
  storedColumns,
  viewColumns,
  viewState,
} from './contact-list-state.js';
import { ContactsTable } from './contact-list-table.js';
import { ViewsBar } from './contact-list-views.js';

type ContactLikelihood = components['schemas']['ContactLikelihood'];
const PAGE_SIZE = 25;

/** The page of contacts a list shows: a stage and a band are each listed from their own index. */
const contactsPage = (filter: ListFilter, sort: Sort, cursor: string | undefined) =>
  filter.stage
    ? api<Page<Contact>>(
        'GET',
        `/v1/lifecycle-stages/${filter.stage}/contacts${query({ limit: PAGE_SIZE, cursor })}`,
      )
    : filter.band
      ? api<Page<Contact>>(
          'GET',
          `/v1/predictions/bands/${filter.band}/contacts${query({ limit: PAGE_SIZE, cursor })}`,
        )
      : api<Page<Contact>>(
          'GET',
          `/v1/contacts${query({ limit: PAGE_SIZE, cursor, ...filter, sort: sortFits(filter, sort) ? sort : undefined })}`,
        );

/** The order of a list that has its own (not chosen). */
const OWN_ORDER = (f: ListFilter) =>
  f.q
    ? 'In the order of the words found.'
    : f.stage
      ? 'The latest to reach the stage first.'
      : f.band
        ? 'The most likely to convert first.'
        : '';

const byName = (views: ContactView[]) =>
  views.sort(
    (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id),
  );

const ownAddress = (hash: string) => hash === '#/contacts' || hash.startsWith('#/contacts?');

export function ContactsScreen() {
  const stages = useStageLabels();
  const [state, setState] = useState<ListState>(() => parseListHash(window.location.hash));
  const [columns, setColumns] = useState<string[]>(storedColumns);
  const [notice, setNotice] = useState('');
  const pager = usePager();
  /** The view whose columns are shown (applied once when opened, by the select or the address). */
  const applied = useRef<string | undefined>(undefined);

  /** Shows a list and writes it into the address (a reload or a shared link keeps it). */
  const go = (next: ListState, nextColumns?: string[]) => {
    setState(next);
    pager.reset();
    if (nextColumns) setColumns(nextColumns);
    const hash = listHash(next);
    if (window.location.hash !== hash) history.replaceState(history.state, '', hash);
  };
  // An address typed or followed (the Contacts link, back): its list.
  useEffect(() => {
    const follow = () => {
      if (!ownAddress(window.location.hash)) return;
      const next = parseListHash(window.location.hash);
      setState(next);
      pager.reset();
      if (!next.viewId && applied.current) {
        applied.current = undefined;
        setColumns(storedColumns());
      }
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const views = useLoad(() => api<{ items: ContactView[] }>('GET', '/v1/contact-views'), []);
  // The views as last read, with what was saved or deleted here since (shown at once).
  const [viewList, setViewList] = useState<ContactView[]>();
  useEffect(() => {
    if (views.data) setViewList(views.data.items);
  }, [views.data]);
  const current = viewList?.find((v) => v.id === state.viewId);
  // A view named by the address: its columns (and, when the address says nothing else, its list).
  useEffect(() => {
    if (!state.viewId || !viewList || applied.current === state.viewId) return;
    const view = viewList.find((v) => v.id === state.viewId);
    if (!view) {
      setNotice('The saved view in the address no longer exists: the list is shown without it.');
      const { viewId: _gone, ...rest } = state;
      go(rest);
      return;
    }
    applied.current = view.id;
    const bare = sameFilter(state.filter, {}) && state.sort === NEWEST;
    go(bare ? viewState(view) : state, viewColumns(view));
  }, [state.viewId, viewList]);

  const fields = useLoad(() => api<{ items: FieldDefinition[] }>('GET', '/v1/fields'), []);
  const defs = allColumns(fields.data?.items ?? []);
  const shownColumns = inOrder(columns, defs);
  // The browser keeps its own choice for the list without a view; a view's columns are the view's.
  const chooseColumns = (next: string[]) => {
    setColumns(next);
    if (!state.viewId) storeColumns(next);
  };
  const openView = (view: ContactView | undefined) => {
    setNotice('');
    applied.current = view?.id;
    if (view) go(viewState(view), viewColumns(view));
    else go({ filter: {}, sort: NEWEST }, storedColumns());
  };

  const { filter, sort } = state;
  const filterKey = `${filter.q}|${filter.email}|${filter.tag}|${filter.stage}|${filter.band}`;
  const list = useLoad(() => contactsPage(filter, sort, pager.cursor), [pager.cursor, filterKey, sort]);
  const items = list.data?.items ?? [];
  const ids = items.map((c) => c.id).join(',');
  const needStandings = columns.includes('score') || columns.includes('stage');
  const needLikelihoods = columns.includes('likelihood');
  // The page's scores and stages: one batched read, shown when they come.
  const standings = useLoad(
    () =>
      ids && needStandings
        ? api<{ items: StandingSummary[] }>('GET', `/v1/standings${query({ ids })}`)
        : Promise.resolve({ items: [] }),
    [ids, needStandings],
  );
  // Their likelihoods, as the daily trainer stored them: another batched read.
  const likelihoods = useLoad(
    () =>
      ids && needLikelihoods
        ? api<{ items: ContactLikelihood[] }>('GET', `/v1/predictions${query({ ids })}`)
        : Promise.resolve({ items: [] }),
    [ids, needLikelihoods],
  );
  const { users } = useUsers();

  // A selection is of the page shown: a new page, filter or order starts with none.
  const [selected, setSelected] = useState<string[]>([]);
  useEffect(() => setSelected([]), [pager.cursor, filterKey, sort]);
  const [job, setJob] = useState<BulkJob>();
  /** Bumped when a job finishes: the bulk bar starts afresh. */
  const [round, setRound] = useState(0);
  /** Bumped when the list changed here (a job done, a contact created): its total is counted again. */
  const [counting, setCounting] = useState(0);
  const [running, setRunning] = useState(false);
  const started = (next: BulkJob) => {
    setJob(next);
    setRunning(!BULK_FINISHED.includes(next.status));
  };
  const finished = () => {
    setRunning(false);
    setSelected([]);
    setRound((r) => r + 1);
    setCounting((r) => r + 1);
    list.reload();
  };
  // A contact created while the list is by name takes its place once the name index has it (the
  // search consumer, about a second): the page is read again two seconds later.
  const [placed, setPlaced] = useState(0);
  useEffect(() => {
    if (placed === 0) return;
    const again = setTimeout(list.reload, 2000);
    return () => clearTimeout(again);
  }, [placed]);
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)));
  const canSort = sortable(filter);
  const canSortByName = nameSortable(filter);
  const inNameOrder = canSortByName && isNameSort(sort);
  return html`<section aria-labelledby="contacts-title" class="contact-list">
    <h1 id="contacts-title">Contacts</h1>
    <${ViewsBar} views=${views} items=${viewList ?? []} current=${current}
      changed=${current ? changedFrom(current, state, shownColumns) : false}
      state=${state} columns=${shownColumns} onOpen=${openView}
      onSaved=${(view: ContactView) => {
        applied.current = view.id;
        setViewList((list) => byName([...(list ?? []).filter((v) => v.id !== view.id), view]));
        go({ ...state, viewId: view.id });
        views.reload();
      }}
      onDeleted=${(id: string) => {
        setViewList((list) => list?.filter((v) => v.id !== id));
        openView(undefined);
        views.reload();
      }} />
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    <${FilterForm} filter=${filter} onApply=${(f: ListFilter) => {
      setNotice('');
      go({ ...state, filter: f, sort: sortFits(f, sort) ? sort : NEWEST });
    }} />
    <div class="list-toolbar">
      <${ListCount} filter=${filter} stageLabel=${filter.stage ? stages[filter.stage] : undefined}
        page=${pager.page} pageSize=${PAGE_SIZE} shown=${list.data && !list.loading ? items.length : undefined}
        more=${Boolean(list.data?.nextCursor)} round=${counting} />
      <div class="list-controls">
        ${
          canSort
            ? html`<div class="field order-field"><label for="list-order">Order</label>
                <select id="list-order" value=${sort}
                  onChange=${(e: Event) => go({ ...state, sort: (e.target as HTMLSelectElement).value as Sort })}>
                  <option value="-created">Newest first</option>
                  <option value="created">Oldest first</option>
                  ${
                    canSortByName
                      ? html`<option value="name">Name A to Z</option>
                        <option value="-name">Name Z to A</option>`
                      : null
                  }
                </select></div>`
            : html`<p class="muted own-order">${OWN_ORDER(filter)}</p>`
        }
        <${ColumnsControl} columns=${shownColumns} all=${defs} fieldsError=${fields.error}
          onRetryFields=${fields.reload} onChange=${chooseColumns} />
      </div>
    </div>
    ${
      inNameOrder
        ? html`<p class="muted name-order-note">By first name, then last name; a contact without a name by its email. A new or renamed contact takes its place a moment after the change.</p>`
        : null
    }
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
      standings.error
        ? html`<p class="muted">Scores and stages could not be loaded:</p>
          <${ErrorBox} error=${standings.error} onRetry=${standings.reload} />`
        : null
    }
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
          ? filter.email || filter.q || filter.tag || filter.stage || filter.band
            ? html`<${Empty}>No contacts match.</${Empty}>`
            : html`<${NoContactsYet} />`
          : list.data
            ? html`<${ContactsTable} items=${items} columns=${shownColumns} defs=${defs} selected=${selected}
                onToggle=${toggle} onTogglePage=${(on: boolean) => setSelected(on ? items.map((c) => c.id) : [])}
                sort=${canSort ? sort : undefined} byName=${canSortByName} onSort=${(s: Sort) => go({ ...state, sort: s })}
                data=${{
                  standingOf: (id: string) => standings.data?.items.find((s) => s.contactId === id),
                  standingsLoaded: standings.data !== undefined,
                  likelihoodOf: (id: string) => likelihoods.data?.items.find((l) => l.contactId === id),
                  likelihoodsLoaded: likelihoods.data !== undefined,
                  stages,
                  fields: fields.data?.items ?? [],
                  users,
                }} />`
            : null
    }
    <${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />
    <${NewContact} onCreated=${() => {
      list.reload();
      if (inNameOrder) setPlaced((r) => r + 1);
      if (counted(filter)) setCounting((r) => r + 1);
    }} />
  </section>`;
}
