/**
 * Signing in: the sign-in page (no session), and the dialog over the screen when the API refused
 * the session (401). The dialog leaves the screen mounted under it, so what was typed stays, and
 * the refused requests are sent again once the user has signed in (api.ts). It is modal (the
 * screen is inert meanwhile) and Escape does not dismiss it: signing out is the way to leave.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type AuthConfig, sessionExpired, signOut, startCognitoLogin, useToken } from './auth.js';
import { pageTitle } from './screen-focus.js';
import { Field, html } from './ui.js';
import './styles/frame.css';

const TOKEN_HINT = 'The token npm start printed (also in .tendril-data/local-secrets.json).';
const ENDED = 'Your session has ended. Sign in again to continue where you were.';

export function SignIn({ config, onSignedIn }: { config: AuthConfig; onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  useEffect(() => {
    document.title = pageTitle('Sign in');
  }, []);
  // Said when the API refused the session and the page was loaded again (not after Sign out):
  // signing in again returns to the same screen, since the route is the address's hash.
  const ended = sessionExpired() ? html`<p class="notice" role="status">${ENDED}</p>` : null;
  if (config.auth === 'cognito') {
    return html`<main class="signin"><h1>Tendril</h1>${ended}<button type="button" onClick=${() => startCognitoLogin()}>Sign in</button></main>`;
  }
  return html`<main class="signin">
    <h1>Tendril</h1>
    ${ended}
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      useToken(token);
      onSignedIn();
    }}>
      <${Field} label="Admin token" id="token" type="password" required value=${token} onInput=${setToken}
        hint=${TOKEN_HINT} />
      <button type="submit">Sign in</button>
    </form>
  </main>`;
}

/** Over the screen while the session has ended; gone once signed in again (useToken). */
export function SessionDialog({ config }: { config: AuthConfig }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [token, setToken] = useState('');
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    // Back where the user was (the button that saved, the field typed in) once signed in.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      if (before?.isConnected) before.focus();
    };
  }, []);
  return html`<dialog ref=${dialog} class="session-dialog" aria-labelledby="session-dialog-title"
    aria-describedby="session-dialog-text" onCancel=${(e: Event) => e.preventDefault()}>
    <h2 id="session-dialog-title">Sign in to continue</h2>
    <p id="session-dialog-text">${ENDED} What you typed is kept, and what you were saving is sent once you are signed in.</p>
    ${
      config.auth === 'cognito'
        ? html`<p><button type="button" onClick=${() => startCognitoLogin({ popup: true })}>Sign in</button></p>
            <p class="muted">The sign-in opens in a new window.</p>`
        : html`<form onSubmit=${(e: Event) => {
            e.preventDefault();
            useToken(token);
          }}>
            <${Field} label="Admin token" id="session-token" type="password" required value=${token}
              onInput=${setToken} hint=${TOKEN_HINT} />
            <button type="submit">Sign in</button>
          </form>`
    }
    <p><button type="button" class="link" onClick=${() => signOut('expired')}>Sign out instead</button></p>
  </dialog>`;
}
