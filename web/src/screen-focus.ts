/**
 * Each screen's page title and, after a route change, where the focus lands: the title is the
 * screen's h1 ("Contacts · Tendril"; a record's page, the record's name), kept up to date as the
 * heading changes (a record loaded, renamed). On a route change (not the app's first render) the focus
 * moves to the new screen's h1 (made focusable with tabindex=-1), or to `#main` until there is one,
 * so screen-reader and keyboard users start on the new screen rather than on the link they used.
 *
 * The focus is only taken from nowhere in particular (the page, `#main`, the heading put there
 * before a loading heading was replaced) or, at first, from the navigation that changed the route:
 * a screen that focuses something of its own (a panel, a form) keeps it, and once the user presses
 * a key or clicks, the focus is theirs.
 */
import { useEffect, useRef } from 'preact/hooks';

export const pageTitle = (name: string) => `${name} · Tendril`;

/** `path` is the route without its query (`#/contacts/123`); `fallback` names a screen without an h1. */
export function useScreenTitleAndFocus(path: string, fallback: string) {
  const first = useRef(true);
  /** What the previous route change focused: a focus still there is nowhere in particular now. */
  const previous = useRef<HTMLElement>();
  useEffect(() => {
    const main = document.getElementById('main');
    if (!main) return;
    let moveFocus = !first.current;
    first.current = false;
    /** What this route change focused (the heading, or `#main` until there was one). */
    let ours: HTMLElement | undefined;

    const settle = () => {
      const h1 = main.querySelector('h1');
      const name = h1?.textContent?.replace(/\s+/g, ' ').trim();
      const title = pageTitle(name || fallback);
      if (document.title !== title) document.title = title;
      if (!moveFocus) return;
      const active = document.activeElement;
      const free =
        !active ||
        active === document.body ||
        active === main ||
        (ours !== undefined && active === ours) ||
        (ours === undefined && (active === previous.current || active.closest('#main-nav, .skip') !== null));
      if (!free) return;
      const target = h1 ?? main;
      if (target === active) return;
      if (target === h1 && !h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
      target.focus();
      ours = target;
      previous.current = target;
    };

    const observer = new MutationObserver(settle);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    // The user acts: from now on the focus is theirs.
    const stop = () => {
      moveFocus = false;
    };
    window.addEventListener('keydown', stop, { capture: true, once: true });
    window.addEventListener('pointerdown', stop, { capture: true, once: true });
    settle();
    return () => {
      observer.disconnect();
      window.removeEventListener('keydown', stop, { capture: true });
      window.removeEventListener('pointerdown', stop, { capture: true });
    };
  }, [path, fallback]);
}
