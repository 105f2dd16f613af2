/** Tasks due: open tasks due within a week (or all), complete them, add one. */
import { useState } from 'preact/hooks';
import { api, type Page, query, type Task } from '../api.js';
import { Empty, ErrorBox, Field, html, Loading, useAction, useLoad, when } from '../ui.js';

export function TasksScreen() {
  const [owner, setOwner] = useState('');
  const [filter, setFilter] = useState('');
  const [all, setAll] = useState(false);
  const list = useLoad(() => {
    const dueBefore = all ? undefined : new Date(Date.now() + 7 * 86_400_000).toISOString();
    return api<Page<Task>>(
      'GET',
      `/v1/tasks${query({ status: 'open', owner: filter, dueBefore, limit: 100 })}`,
    );
  }, [filter, all]);
  const action = useAction();
  const complete = async (t: Task) => {
    if (await action.run(() => api('PATCH', `/v1/tasks/${t.id}`, { version: t.version, status: 'done' })))
      list.reload();
  };
  const overdue = (t: Task) => Date.parse(t.dueAt) < Date.now();
  return html`<section aria-labelledby="tasks-title">
    <h1 id="tasks-title">Tasks due</h1>
    <form class="inline" onSubmit=${(e: Event) => {
      e.preventDefault();
      setFilter(owner.trim());
    }}>
      <${Field} label="Owner" id="task-owner-filter" value=${owner} onInput=${setOwner} />
      <div class="field"><label><input type="checkbox" checked=${all} onChange=${() => setAll(!all)} /> Show later tasks too</label></div>
      <button type="submit">Filter</button>
    </form>
    <${ErrorBox} error=${list.error ?? action.error} />
    ${
      list.loading && !list.data
        ? html`<${Loading} />`
        : list.data?.items.length
          ? html`<ul class="plain" aria-label="Open tasks">
              ${list.data.items.map(
                (t) => html`<li class=${overdue(t) ? 'overdue' : ''}>
                  <button type="button" onClick=${() => complete(t)} aria-label=${`Complete ${t.title}`}>Done</button>
                  <strong>${t.title}</strong> due ${when(t.dueAt)}${overdue(t) ? ' (overdue)' : ''}
                  ${t.owner ? html` · ${t.owner}` : null}
                  ${t.contactId ? html` · <a href=${`#/contacts/${t.contactId}`}>contact</a>` : null}
                </li>`,
              )}
            </ul>`
          : html`<${Empty}>Nothing due. Well done.</${Empty}>`
    }
    <${NewTask} onCreated=${list.reload} />
  </section>`;
}

function NewTask({ onCreated }: { onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [owner, setOwner] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { title, dueAt: dueAt ? new Date(dueAt).toISOString() : '', ...(owner ? { owner } : {}) };
    if (await action.run(() => api('POST', '/v1/tasks', body))) {
      setTitle('');
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-task">
    <h2 id="new-task">New task</h2>
    <${Field} label="Title" id="task-title" required value=${title} onInput=${setTitle} />
    <${Field} label="Due" id="task-due" type="datetime-local" required value=${dueAt} onInput=${setDueAt} />
    <${Field} label="Owner" id="task-owner" value=${owner} onInput=${setOwner} />
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Add task</button>
  </form>`;
}
