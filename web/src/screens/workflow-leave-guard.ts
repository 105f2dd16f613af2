/**
 * The warning before leaving a workflow with unsaved changes: closing the tab or reloading asks the
 * browser's own question (`beforeunload`); going to another screen of the app (a link, Back, a typed
 * address) is held and a dialog asks "Stay" or "Leave without saving". A change of the screen's own
 * state (its tab in the address) is not leaving.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import '../styles/workflow-steps.css';
import { html } from '../ui.js';

/** The screen an address shows: its hash without the screen's own state (`?tab=json`). */
const screenOf = (url: string) => (new URL(url, window.location.href).hash || '#/contacts').split('?')[0];

/** The guard of the screen open now, if it has one. */
let active: { holds: (to: string, from: string) => boolean; ask: (to: string) => void } | undefined;

// Back, Forward or a typed address. Listeners of one event run in the order they were added, and the
// app's router re-renders (leaving this screen) as soon as its own listener returns: this one is
// added when the module loads, before the router's, so it can hold the move — the router is not told,
// and the address is put back while the dialog asks.
window.addEventListener('hashchange', (e) => {
  if (!active?.holds(e.newURL, e.oldURL)) return;
  e.stopImmediatePropagation();
  history.replaceState(history.state, '', e.oldURL);
  active.ask(e.newURL);
});

export function useLeaveGuard(unsaved: boolean) {
  /** Where the user asked to go, while the dialog asks. */
  const [pending, setPending] = useState<string>();
  const dirty = useRef(unsaved);
  dirty.current = unsaved;
  /** Set when leaving is decided (Leave, or the screen moving itself after a save). */
  const passing = useRef(false);

  useEffect(() => {
    const holds = (to: string, from = window.location.href) =>
      dirty.current && !passing.current && screenOf(to) !== screenOf(from);
    const guard = { holds, ask: setPending };
    active = guard;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirty.current || passing.current) return;
      e.preventDefault();
      // Older browsers ask only when returnValue is set.
      e.returnValue = '';
    };
    // A link to another screen: held before the address changes (no extra history entry).
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href^="#/"]');
      if (!a || a.getAttribute('target')) return;
      const to = (a as HTMLAnchorElement).href;
      if (!holds(to)) return;
      e.preventDefault();
      setPending(to);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      if (active === guard) active = undefined;
    };
  }, []);

  const leave = () => {
    if (!pending) return;
    passing.current = true;
    window.location.href = pending;
  };
  return {
    /** The screen moves itself (a new workflow saved): no warning. */
    pass: () => {
      passing.current = true;
    },
    dialog: pending ? html`<${LeaveDialog} onStay=${() => setPending(undefined)} onLeave=${leave} />` : null,
  };
}

function LeaveDialog({ onStay, onLeave }: { onStay: () => void; onLeave: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    stay.current?.focus();
    return () => opener?.focus?.();
  }, []);
  return html`<dialog ref=${dialog} class="leave-dialog" role="alertdialog" aria-modal="true"
    aria-labelledby="leave-title" aria-describedby="leave-what"
    onCancel=${(e: Event) => {
      e.preventDefault();
      onStay();
    }}>
    <h2 id="leave-title">Leave without saving?</h2>
    <p id="leave-what">This workflow has changes that are not saved. If you leave now, they are lost.</p>
    <div class="leave-buttons">
      <button type="button" class="secondary" onClick=${onLeave}>Leave without saving</button>
      <button type="button" ref=${stay} onClick=${onStay}>Stay</button>
    </div>
  </dialog>`;
}
