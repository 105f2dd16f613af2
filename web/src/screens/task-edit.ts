/** A task's edit form (title, due, owner, notes) and the new-task form of the tasks screen. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Task } from '../api.js';
import { ErrorBox, Field, html, useAction } from '../ui.js';
import { UserPicker } from '../user-picker.js';
import { ContactChoice, type DealContact } from './deal-parts.js';

/** An ISO time as a `datetime-local` value (the browser's time zone). */
export function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function NotesField({ id, value, onInput }: { id: string; value: string; onInput: (v: string) => void }) {
  return html`<div class="field">
    <label for=${id}>Notes</label>
    <textarea id=${id} name=${id} rows="3" maxlength="5000" value=${value}
      onInput=${(e: Event) => onInput((e.target as HTMLTextAreaElement).value)}></textarea>
  </div>`;
}

/**
 * Edits one task at the version it was read at: a 409 (someone saved it meanwhile) says so and
 * offers to reload the task (the form then shows the saved version, to change again).
 */
export function TaskEditForm({
  task,
  onSaved,
  onCancel,
}: {
  task: Task;
  onSaved: (saved: Task) => void;
  onCancel: () => void;
}) {
  const [base, setBase] = useState(task);
  const [title, setTitle] = useState(task.title);
  const [dueAt, setDueAt] = useState(localInput(task.dueAt));
  const [owner, setOwner] = useState(task.owner ?? '');
  const [notes, setNotes] = useState(task.notes ?? '');
  const action = useAction();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, []);
  const id = (name: string) => `edit-${task.id}-${name}`;
  const save = async (e: Event) => {
    e.preventDefault();
    let saved: Task | undefined;
    const ok = await action.run(async () => {
      saved = await api<Task>('PATCH', `/v1/tasks/${task.id}`, {
        version: base.version,
        title,
        dueAt: new Date(dueAt).toISOString(),
        ...(owner !== (base.owner ?? '') ? { owner: owner || null } : {}),
        notes: notes.trim() ? notes : null,
      });
    });
    if (ok && saved) onSaved(saved);
  };
  const reload = async () => {
    const fresh = await api<Task>('GET', `/v1/tasks/${task.id}`).catch(() => undefined);
    if (!fresh) return;
    setBase(fresh);
    setTitle(fresh.title);
    setDueAt(localInput(fresh.dueAt));
    setOwner(fresh.owner ?? '');
    setNotes(fresh.notes ?? '');
    action.clear();
  };
  const stale = action.error instanceof ApiError && action.error.status === 409;
  return html`<form ref=${form} class="card task-edit" onSubmit=${save} aria-label=${`Edit ${task.title}`}>
    <${Field} label="Title" id=${id('title')} required value=${title} onInput=${setTitle} />
    <${Field} label="Due" id=${id('due')} type="datetime-local" required value=${dueAt} onInput=${setDueAt} />
    <${UserPicker} id=${id('owner')} label="Owner" value=${owner} onChange=${setOwner} />
    <${NotesField} id=${id('notes')} value=${notes} onInput=${setNotes} />
    ${
      stale
        ? html`<div class="error" role="alert">
            <strong>Someone changed this task since you opened it.</strong>
            <div>Reload it to see their version (what you typed here is replaced), then make your change again.</div>
            <div><button type="button" onClick=${reload}>Reload task</button></div>
          </div>`
        : html`<${ErrorBox} error=${action.error} />`
    }
    <div class="actions">
      <button type="submit" disabled=${action.busy}>Save</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

/** Adds a task, for a contact if one is chosen (by name, company or email); its owner is the signed-in user unless another is chosen. */
export function NewTask({ me, onCreated }: { me: string | undefined; onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [owner, setOwner] = useState<string | undefined>(undefined);
  const [notes, setNotes] = useState('');
  const [contact, setContact] = useState<DealContact | undefined>();
  const chosen = owner ?? me ?? '';
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      title,
      dueAt: dueAt ? new Date(dueAt).toISOString() : '',
      ...(chosen ? { owner: chosen } : {}),
      ...(notes.trim() ? { notes } : {}),
      ...(contact ? { contactId: contact.id } : {}),
    };
    if (await action.run(() => api('POST', '/v1/tasks', body))) {
      setTitle('');
      setNotes('');
      setContact(undefined);
      onCreated();
    }
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="new-task">
    <h2 id="new-task">New task</h2>
    <${Field} label="Title" id="task-title" required value=${title} onInput=${setTitle} />
    <${Field} label="Due" id="task-due" type="datetime-local" required value=${dueAt} onInput=${setDueAt} />
    <${UserPicker} id="task-owner" label="Owner" value=${chosen} onChange=${setOwner} />
    <${ContactChoice} id="task-contact" contact=${contact} onChange=${setContact}
      hint="Optional: who the task is about. Search by name, company or email." />
    <${NotesField} id="task-notes" value=${notes} onInput=${setNotes} />
    <${ErrorBox} error=${action.error} />
    <button type="submit" disabled=${action.busy}>Add task</button>
  </form>`;
}
