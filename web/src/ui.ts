/** Shared UI pieces: loading, empty and error states, labelled fields, a pager, data loading. */
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export { html };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  // `reload` always runs the latest `load` (a callback captured earlier must not fetch stale filters),
  // and only the latest request may set the state.
  const current = useRef(load);
  current.current = load;
  const latest = useRef(0);
  const reload = useCallback(() => {
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    current.current().then(
      (data) => request === latest.current && setState({ data, loading: false }),
      (error: unknown) => request === latest.current && setState({ error, loading: false }),
    );
  }, []);
  useEffect(reload, deps);
  return { ...state, reload };
}

/**
 * Loads a record and loads it again every second while `again` says so (a job running). `again` is
 * made afresh for each round, so it may keep state across polls. A failed poll stops the polling and
 * keeps its error; `refresh` (Retry) starts a new round.
 */
export function usePoll<T>(load: () => Promise<T>, again: () => (value: T) => boolean, deps: unknown[]) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const more = again();
    const poll = async () => {
      try {
        const next = await load();
        if (!alive) return;
        setValue(next);
        setError(undefined);
        if (more(next)) timer = setTimeout(poll, 1000);
      } catch (err) {
        if (alive) setError(err);
      }
    };
    void poll();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [...deps, round]);
  return { value, error, refresh: () => setRound((r) => r + 1) };
}

/** Runs an action, keeping its error for display; returns whether it succeeded. */
export function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, clear: () => setError(undefined) };
}

export const Loading = ({ what = 'Loading' }: { what?: string }) =>
  html`<p class="muted" role="status" aria-live="polite">${what}…</p>`;

export const Empty = ({ children }: { children: ComponentChildren }) =>
  html`<p class="empty">${children}</p>`;

/**
 * An error as the API worded it, with its problems listed; `onRetry` adds a Retry button, and
 * `where` names a problem's path in the user's terms (a column rather than `mapping.2`).
 */
export function ErrorBox({
  error,
  onRetry,
  where,
}: {
  error: unknown;
  onRetry?: () => void;
  where?: (path: string) => string | undefined;
}) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  const message = apiError?.message ?? (error instanceof Error ? error.message : String(error));
  return html`<div class="error" role="alert">
    <strong>${message}</strong>
    ${
      apiError && apiError.problems.length > 0
        ? html`<ul>
            ${apiError.problems.map(
              (p) =>
                html`<li>${where?.(p.path) ?? html`<code>${p.path || '(body)'}</code>`} ${p.message}</li>`,
            )}
          </ul>`
        : null
    }
    ${onRetry ? html`<div><button type="button" onClick=${onRetry}>Retry</button></div>` : null}
  </div>`;
}

/**
 * A loaded list's one state: loading, its error with Retry (never beside an empty-state message: a
 * failed load says nothing about whether there is anything), empty, or its items.
 */
export function whenLoaded<T>(
  state: { data?: T | undefined; error?: unknown; loading: boolean; reload: () => void },
  view: {
    what?: string;
    empty: ComponentChildren;
    isEmpty: (data: T) => boolean;
    show: (data: T) => ComponentChildren;
  },
) {
  if (state.data === undefined) {
    return state.error
      ? html`<${ErrorBox} error=${state.error} onRetry=${state.reload} />`
      : html`<${Loading} what=${view.what} />`;
  }
  return view.isEmpty(state.data) ? html`<${Empty}>${view.empty}</${Empty}>` : view.show(state.data);
}

/** Saves text as a file the browser downloads (for downloads that need the bearer token). */
export function saveFile(text: string, filename: string, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Field({
  label,
  id,
  value,
  onInput,
  type = 'text',
  required = false,
  placeholder,
  hint,
}: {
  label: string;
  id: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  required?: boolean;
  placeholder?: string;
  hint?: string;
}) {
  return html`<div class="field">
    <label for=${id}>${label}${required ? html` <span aria-hidden="true">*</span>` : null}</label>
    <input
      id=${id}
      name=${id}
      type=${type}
      value=${value}
      required=${required}
      placeholder=${placeholder}
      aria-describedby=${hint ? `${id}-hint` : undefined}
      onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
    />
    ${hint ? html`<small id=${`${id}-hint`} class="muted">${hint}</small>` : null}
  </div>`;
}

/** Cursor pagination: keeps the cursors of the pages seen so Previous works too. */
export function usePager() {
  const [stack, setStack] = useState<Array<string | undefined>>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (c: string) => setStack([...stack, c]),
    prev: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([undefined]),
  };
}

export function Pager({
  page,
  nextCursor,
  onNext,
  onPrev,
}: {
  page: number;
  nextCursor?: string | undefined;
  onNext: (c: string) => void;
  onPrev: () => void;
}) {
  return html`<nav class="pager" aria-label="Pages">
    <button type="button" disabled=${page <= 1} onClick=${onPrev}>Previous</button>
    <span>Page ${page}</span>
    <button type="button" disabled=${!nextCursor} onClick=${() => nextCursor && onNext(nextCursor)}>Next</button>
  </nav>`;
}

export const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '');
export const money = (amount: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
export const link = (hash: string) => `#${hash}`;

/** Retry (reload what is saved) only for a save refused because someone saved meanwhile; not for a refused value. */
export const retryOnConflict = (error: unknown, reload: () => void) =>
  error instanceof ApiError && error.status === 409 ? reload : undefined;

/**
 * A native modal `<dialog>` shown when it mounts (the focus kept inside, Escape its `cancel`); when it
 * unmounts the focus goes back to what had it before (the button that opened it).
 */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => opener?.focus?.();
  }, []);
  return ref;
}

/** Focus on the heading of the form just saved (its form is drawn anew with what was saved). */
export function useFocusOnMount(focus: boolean) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  return ref;
}

/** A refusal's problems, each a link that focuses the control it is about (or its name in code). */
export function ProblemList({
  problems,
}: {
  problems: Array<{ control?: string | undefined; label: string; text: string }>;
}) {
  return html`<ul>${problems.map(
    (p) =>
      html`<li>${
        p.control
          ? html`<a href=${`#${p.control}`} onClick=${(e: Event) => {
              e.preventDefault();
              document.getElementById(p.control as string)?.focus();
            }}>${p.label}</a>`
          : html`<code>${p.label}</code>`
      }: ${p.text}</li>`,
  )}</ul>`;
}
