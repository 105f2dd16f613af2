/**
 * Tasks: "My tasks" (the signed-in user's) by default, or anyone's; by status (all open, overdue, due
 * today, upcoming, done). Complete, reopen, edit (title, due, owner, notes) and add tasks. After Done
 * the task leaves the list and focus moves to the next task's title (or the list's heading): never
 * onto the next task's Done, so pressing Enter twice completes one task.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page, query, type Task } from '../api.js';
import { Empty, ErrorBox, html, Loading, useAction, useLoad, when } from '../ui.js';
import { loadMe, ownerName, type User, UserPicker, useUsers } from '../user-picker.js';
import { NewTask, TaskEditForm } from './task-edit.js';

type Status = 'open' | 'overdue' | 'today' | 'upcoming' | 'done';
const STATUSES: Array<[Status, string]> = [
  ['open', 'All open'],
  ['overdue', 'Overdue'],
  ['today', 'Due today'],
  ['upcoming', 'Upcoming'],
  ['done', 'Done'],
];
const EMPTY: Record<Status, string> = {
  open: 'No open tasks. Well done.',
  overdue: 'Nothing overdue.',
  today: 'Nothing due today.',
  upcoming: 'Nothing coming up after today.',
  done: 'No tasks done yet.',
};

/** The list query of a status: "today" and "upcoming" are the browser's own day. */
export function statusQuery(status: Status, now = new Date()) {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const tomorrow = new Date(today);
  tomorrow.setDate(today.getDate() + 1);
  switch (status) {
    case 'overdue':
      return { status: 'open', dueBefore: now.toISOString() };
    case 'today':
      return { status: 'open', dueAfter: today.toISOString(), dueBefore: tomorrow.toISOString() };
    case 'upcoming':
      return { status: 'open', dueAfter: tomorrow.toISOString() };
    default:
      return { status };
  }
}

export function TasksScreen() {
  const [me, setMe] = useState<{ user?: User; error?: unknown; settled: boolean }>({ settled: false });
  const [meRound, setMeRound] = useState(0);
  useEffect(() => {
    loadMe().then(
      (user) => setMe({ user, settled: true }),
      (error: unknown) => setMe({ error, settled: true }),
    );
  }, [meRound]);
  /** The owner filter as chosen: undefined until chosen (then: the signed-in user); '' anyone. */
  const [chosenOwner, setChosenOwner] = useState<string | undefined>(undefined);
  const owner = chosenOwner ?? me.user?.id ?? '';
  const [status, setStatus] = useState<Status>('open');
  const { users } = useUsers();
  const list = useLoad(
    () =>
      me.settled
        ? api<Page<Task>>('GET', `/v1/tasks${query({ ...statusQuery(status), owner, limit: 100 })}`)
        : new Promise<Page<Task>>(() => {}),
    [owner, status, me.settled],
  );
  const action = useAction();
  const [editing, setEditing] = useState<string>();
  // Completed (or reopened) here: out of the list at once, while it still shows the version changed.
  const [gone, setGone] = useState<Map<string, number>>(new Map());
  const pending = useRef(new Set<string>());
  /** Where the focus goes next: a task's title (else the list's heading), now or once the list is loaded again. */
  const focusTarget = useRef<{ id?: string | undefined; afterLoad: boolean } | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = (list.data?.items ?? []).filter((t) => gone.get(t.id) !== t.version);

  useEffect(() => {
    const target = focusTarget.current;
    if (!target || (target.afterLoad && list.loading)) return;
    focusTarget.current = undefined;
    const el = target.id ? document.getElementById(`task-${target.id}`) : undefined;
    (el ?? heading.current)?.focus();
  });

  const setDone = async (t: Task, done: boolean) => {
    if (pending.current.has(t.id)) return; // a second press while the first is saved
    pending.current.add(t.id);
    const at = shown.findIndex((x) => x.id === t.id);
    const next = shown[at + 1] ?? shown[at - 1];
    const ok = await action.run(() =>
      api('PATCH', `/v1/tasks/${t.id}`, { version: t.version, status: done ? 'done' : 'open' }),
    );
    pending.current.delete(t.id);
    if (ok) {
      setGone((g) => new Map(g).set(t.id, t.version));
      focusTarget.current = { id: next?.id, afterLoad: false };
    }
    list.reload();
  };

  const mine = !!me.user && owner === me.user.id;
  const title = mine ? 'My tasks' : owner ? `Tasks of ${ownerName(users, owner)}` : "Everyone's tasks";
  const statusLabel = STATUSES.find(([s]) => s === status)?.[1] ?? '';
  return html`<section aria-labelledby="tasks-title" class="tasks">
    <h1 id="tasks-title">Tasks</h1>
    <div class="inline task-filters" role="group" aria-label="Filters">
      <button type="button" aria-pressed=${mine ? 'true' : 'false'} disabled=${!me.user}
        onClick=${() => setChosenOwner(me.user?.id)}>My tasks</button>
      <${UserPicker} id="task-owner-filter" label="Owner" noneLabel="Anyone" value=${owner} onChange=${setChosenOwner} />
      <div class="field">
        <label for="task-status-filter">Status</label>
        <select id="task-status-filter" value=${status}
          onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value as Status)}>
          ${STATUSES.map(([s, label]) => html`<option value=${s}>${label}</option>`)}
        </select>
      </div>
    </div>
    ${me.error ? html`<${ErrorBox} error=${me.error} onRetry=${() => setMeRound((r) => r + 1)} />` : null}
    <h2 id="task-list-title" tabindex="-1" ref=${heading}>${title}: ${statusLabel.toLowerCase()}</h2>
    <${ErrorBox} error=${action.error} />
    ${
      list.error && !list.data
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : !list.data
          ? html`<${Loading} what="Loading tasks" />`
          : shown.length === 0
            ? html`<${Empty}>${EMPTY[status]}</${Empty}>`
            : html`<ul class="plain task-list" aria-labelledby="task-list-title">
                ${shown.map((t) =>
                  editing === t.id
                    ? html`<li key=${t.id}>
                        <${TaskEditForm}
                          task=${t}
                          onSaved=${(saved: Task) => {
                            setEditing(undefined);
                            // Its row may leave the list (given to someone else): the heading then.
                            focusTarget.current = { id: saved.id, afterLoad: true };
                            list.reload();
                          }}
                          onCancel=${() => {
                            setEditing(undefined);
                            focusTarget.current = { id: t.id, afterLoad: false };
                          }}
                        />
                      </li>`
                    : html`<${TaskRow}
                        key=${t.id}
                        task=${t}
                        owner=${ownerName(users, t.owner)}
                        onDone=${() => setDone(t, t.status !== 'done')}
                        onEdit=${() => setEditing(t.id)}
                      />`,
                )}
              </ul>`
    }
    <${NewTask} me=${me.user?.id} onCreated=${list.reload} />
  </section>`;
}

function TaskRow({
  task: t,
  owner,
  onDone,
  onEdit,
}: {
  task: Task;
  owner: string;
  onDone: () => void;
  onEdit: () => void;
}) {
  const overdue = t.status === 'open' && Date.parse(t.dueAt) < Date.now();
  // The accessible name starts with the visible text (WCAG 2.5.3, axe's label-content-name-mismatch).
  const doneLabel = t.status === 'done' ? 'Reopen' : 'Done';
  return html`<li class=${`task-row${overdue ? ' overdue' : ''}`}>
    <div class="task-main">
      <strong id=${`task-${t.id}`} tabindex="-1" class="task-title">${t.title}</strong>
      <span class="task-meta">
        due ${when(t.dueAt)}${overdue ? ' (overdue)' : ''}${owner ? ` · ${owner}` : ''}
        ${t.contactId ? html` · <a href=${`#/contacts/${t.contactId}`}>contact</a>` : null}
      </span>
      ${t.notes ? html`<p class="task-notes">${t.notes}</p>` : null}
    </div>
    <div class="task-actions">
      <button type="button" onClick=${onDone} aria-label=${`${doneLabel}: ${t.title}`}>${doneLabel}</button>
      <button type="button" onClick=${onEdit} aria-label=${`Edit: ${t.title}`}>Edit</button>
    </div>
  </li>`;
}
