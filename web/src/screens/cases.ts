/**
 * The cases inbox: queues by status, or an agent's open cases (mine, a user's chosen by name, or
 * nobody's); a new case taken down by hand. Keyboard: j / k move between the cases of the queue,
 * Enter opens one.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Case, type CaseStatus, type Page, query } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, Pager, useAction, useLoad, usePager, when } from '../ui.js';
import { loadMe, ownerName, type User, useUsers } from '../user-picker.js';

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};
const QUEUES: CaseStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];

/** j / k move focus through the queue's case links (not while typing in a field). */
function moveFocus(e: KeyboardEvent) {
  if (e.key !== 'j' && e.key !== 'k') return;
  const target = e.target as HTMLElement;
  if (target.closest('input, textarea, select')) return;
  const links = [...document.querySelectorAll<HTMLAnchorElement>('.case-list a.case-link')];
  if (links.length === 0) return;
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = e.key === 'j' ? Math.min(links.length - 1, at + 1) : Math.max(0, at - 1);
  links[at === -1 ? 0 : next]?.focus();
  e.preventDefault();
}

/** The signed-in user (for "My cases"), once known. */
function useMe() {
  const [me, setMe] = useState<User>();
  useEffect(() => {
    let alive = true;
    loadMe().then(
      (user) => alive && setMe(user),
      () => undefined, // no "My cases" button; the rest works
    );
    return () => {
      alive = false;
    };
  }, []);
  return me;
}

const UNASSIGNED = 'unassigned';

/** Whose open cases are shown, as people read it. */
function queueTitle(assignee: string, me: User | undefined, users: User[] | undefined) {
  if (assignee === UNASSIGNED) return 'Unassigned open cases';
  if (me && assignee === me.id) return 'My open cases';
  return `Open cases of ${ownerName(users, assignee)}`;
}

export function CasesScreen({ queue }: { queue?: string | undefined }) {
  const status = QUEUES.find((q) => q === queue);
  /** The agent whose open cases are shown: a user's id, `unassigned`, or '' (the queues by status). */
  const [assignee, setAssignee] = useState('');
  const { users, error: usersError, retry: retryUsers } = useUsers();
  const me = useMe();
  const pager = usePager();
  const showAgent = (next: string) => {
    pager.reset();
    setAssignee(next);
  };
  const list = useLoad(
    () =>
      api<Page<Case>>(
        'GET',
        `/v1/cases${query({ ...(assignee ? { assignee } : { status: status ?? 'new' }), limit: 25, cursor: pager.cursor })}`,
      ),
    [status, assignee, pager.cursor],
  );
  const current = assignee ? undefined : (status ?? 'new');
  useEffect(() => {
    window.addEventListener('keydown', moveFocus);
    return () => window.removeEventListener('keydown', moveFocus);
  }, []);
  return html`<section aria-labelledby="cases-title" class="cases">
    <h1 id="cases-title">Cases</h1>
    <nav aria-label="Queues" class="tabs case-queues">
      ${QUEUES.map(
        (q) =>
          html`<a href=${`#/cases/queue/${q}`} aria-current=${current === q ? 'page' : undefined}
            onClick=${() => {
              setAssignee('');
              pager.reset();
            }}>${STATUS_LABELS[q]}</a>`,
      )}
    </nav>
    <div class="inline case-agents">
      ${me ? html`<button type="button" class="secondary" aria-pressed=${assignee === me.id ? 'true' : 'false'} onClick=${() => showAgent(me.id)}>My cases</button>` : null}
      <div class="field">
        <label for="case-agent">Agent's open cases</label>
        <select id="case-agent" value=${assignee} aria-busy=${users === undefined && !usersError ? 'true' : undefined}
          aria-describedby=${usersError ? 'case-agent-error' : undefined}
          onChange=${(e: Event) => showAgent((e.target as HTMLSelectElement).value)}>
          <option value="">Everyone (queues by status)</option>
          <option value=${UNASSIGNED}>Unassigned</option>
          ${users?.map((u) => html`<option value=${u.id}>${u.name}</option>`)}
        </select>
        ${
          usersError
            ? html`<small id="case-agent-error" class="error-text">Users could not be loaded.
                <button type="button" class="link" onClick=${retryUsers}>Retry</button></small>`
            : null
        }
      </div>
      ${assignee ? html`<button type="button" class="secondary" onClick=${() => showAgent('')}>Back to queues</button>` : null}
    </div>
    <h2 class="queue-title">${assignee ? queueTitle(assignee, me, users) : STATUS_LABELS[current ?? 'new']}</h2>
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : list.loading && !list.data
          ? html`<${Loading} what="Loading cases" />`
          : list.data?.items.length
            ? html`<ul class="plain case-list" aria-label="Cases">
                ${list.data.items.map((c) => html`<${CaseRow} key=${c.id} c=${c} users=${users} />`)}
              </ul>
              <p class="muted">Keys: j and k move through the cases, Enter opens one.</p>
              <${Pager} page=${pager.page} nextCursor=${list.data.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />`
            : html`<${Empty}>No cases here. Email sent to the support address opens one.</${Empty}>`
    }
    <${NewCase} onCreated=${(c: Case) => {
      window.location.hash = `#/cases/${c.id}`;
    }} />
  </section>`;
}

function CaseRow({ c, users }: { c: Case; users: User[] | undefined }) {
  return html`<li class="case-row">
    <a class="case-link" href=${`#/cases/${c.id}`}>
      <strong>${c.subject}</strong>
      <span class="muted"> #${c.ref}</span>
    </a>
    <div class="case-meta">
      <span class=${`priority priority-${c.priority}`}>${c.priority}</span>
      ${c.flagged ? html`<span class="badge">${c.flagged === 'spoofed' ? 'Sender not verified' : 'Spam'}</span>` : null}
      <span>${c.email}</span>
      <span>${c.assignee ? `Assigned to ${ownerName(users, c.assignee)}` : 'Unassigned'}</span>
      <span>${c.lastMessageFrom === 'in' ? 'Customer wrote' : 'Replied'} ${when(c.lastMessageAt)}</span>
      ${c.rating ? html`<span>Customer rating ${c.rating.score}/5</span>` : null}
    </div>
  </li>`;
}

function NewCase({ onCreated }: { onCreated: (c: Case) => void }) {
  const [email, setEmail] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [priority, setPriority] = useState('normal');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    let created: Case | undefined;
    const ok = await action.run(async () => {
      created = await api<Case>('POST', '/v1/cases', { email, subject, text, priority, channel: 'ui' });
    });
    if (ok && created) onCreated(created);
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-case">
    <h2 id="new-case">New case</h2>
    <p class="muted">Take down a call or a chat: the customer is found, or added, by email.</p>
    <${Field} label="Customer email" id="case-email" type="email" required value=${email} onInput=${setEmail} />
    <${Field} label="Subject" id="case-subject" required value=${subject} onInput=${setSubject} />
    <div class="field">
      <label for="case-text">What the customer said <span aria-hidden="true">*</span></label>
      <textarea id="case-text" rows="4" required value=${text}
        onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
    </div>
    <div class="field">
      <label for="case-priority">Priority</label>
      <select id="case-priority" value=${priority} onChange=${(e: Event) => setPriority((e.target as HTMLSelectElement).value)}>
        ${['low', 'normal', 'high', 'urgent'].map((p) => html`<option value=${p}>${p}</option>`)}
      </select>
    </div>
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Open case</button>
  </form>`;
}
