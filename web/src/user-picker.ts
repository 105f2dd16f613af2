/**
 * Users as owners: a labelled select of the users (GET /v1/users, by name) for an owner field, the
 * signed-in user (GET /v1/me), and an owner's display name. The list is loaded once per page load
 * and shared by every picker; a failed load is retried on the next use. An owner that is not a user
 * (free text written before owners were users) stays selectable as itself until changed.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import type { components } from './api-types.js';
import { html } from './ui.js';

export type User = components['schemas']['User'];

let usersLoad: Promise<User[]> | undefined;
let meLoad: Promise<User> | undefined;

export function loadUsers(): Promise<User[]> {
  usersLoad ??= api<{ items: User[] }>('GET', '/v1/users').then(
    (page) => page.items,
    (err: unknown) => {
      usersLoad = undefined;
      throw err;
    },
  );
  return usersLoad;
}

export function loadMe(): Promise<User> {
  meLoad ??= api<User>('GET', '/v1/me').catch((err: unknown) => {
    meLoad = undefined;
    throw err;
  });
  return meLoad;
}

/** Forgets the loaded users (a user was added). */
export function usersChanged() {
  usersLoad = undefined;
}

/** The users, once loaded (undefined before), and the load's error. */
export function useUsers() {
  const [state, setState] = useState<{ users?: User[]; error?: unknown }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let alive = true;
    loadUsers().then(
      (users) => alive && setState({ users }),
      (error: unknown) => alive && setState({ error }),
    );
    return () => {
      alive = false;
    };
  }, [round]);
  return { ...state, retry: () => setRound((r) => r + 1) };
}

/** An owner as people read it: the user's name, else the stored text itself. */
export const ownerName = (users: User[] | undefined, owner: string | undefined) =>
  owner ? (users?.find((u) => u.id === owner)?.name ?? owner) : '';

export function UserPicker({
  id,
  label,
  value,
  onChange,
  noneLabel = 'Unassigned',
  hint,
  disabled = false,
}: {
  id: string;
  label: string;
  /** A user's id, or '' for none. */
  value: string;
  onChange: (userId: string) => void;
  /** The option meaning "nobody" (or "anyone", in a filter). */
  noneLabel?: string;
  hint?: string;
  disabled?: boolean;
}) {
  const { users, error, retry } = useUsers();
  const known = !value || users?.some((u) => u.id === value);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${id}
      value=${value}
      disabled=${disabled}
      aria-busy=${users === undefined && !error ? 'true' : undefined}
      aria-describedby=${describedBy || undefined}
      onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}
    >
      <option value="">${noneLabel}</option>
      ${users?.map((u) => html`<option value=${u.id}>${u.name}</option>`)}
      ${known ? null : html`<option value=${value}>${value} (not a user)</option>`}
    </select>
    ${hint ? html`<small id=${`${id}-hint`} class="muted">${hint}</small>` : null}
    ${
      error
        ? html`<small id=${`${id}-error`} class="error-text">Users could not be loaded.
            <button type="button" class="link" onClick=${retry}>Retry</button></small>`
        : null
    }
  </div>`;
}
