/**
 * Sign-in. Locally: the admin token `npm start` prints. In the cloud: Cognito's managed login
 * (authorization code + PKCE), the ID token becoming the bearer token of API calls.
 * `/config.json` says which (written by `npm start`, and by CDK next to the app).
 *
 * A session the API refuses (401) is not a sign-out: the screen stays as it is (what was typed with
 * it) under a sign-in dialog, and the requests that were refused wait and are sent again once the
 * user has signed in (`whenSignedInAgain`). In the cloud that sign-in happens in a pop-up window,
 * which hands the new token back (a BroadcastChannel) and closes.
 */
export type AuthConfig =
  | { auth: 'token' }
  | { auth: 'cognito'; domain: string; clientId: string; redirectUri: string };

const KEY = 'tendril.token';
let config: AuthConfig = { auth: 'token' };

export async function loadConfig(): Promise<AuthConfig> {
  const res = await fetch('/config.json').catch(() => undefined);
  if (res?.ok) config = (await res.json()) as AuthConfig;
  if (config.auth === 'cognito') await completeCognitoLogin(config);
  return config;
}

const ENDED = 'tendril.session-ended';
const RETURN_TO = 'tendril.return-to';
/** The pop-up sign-in's way back to the app's window. */
const CHANNEL = 'tendril.sign-in';
export const SESSION_EXPIRED_EVENT = 'tendril:session-expired';
export const SIGNED_IN_EVENT = 'tendril:signed-in';

export const currentToken = () => sessionStorage.getItem(KEY);
/** Whether the last session ended because the API refused its token (not by signing out). */
export const sessionExpired = () => sessionStorage.getItem(ENDED) === 'expired';

/** Requests refused for an ended session, waiting for the next sign-in (or a sign-out). */
let waiting: Array<{ resume: () => void; giveUp: () => void }> = [];

export function useToken(token: string) {
  sessionStorage.removeItem(ENDED);
  sessionStorage.setItem(KEY, token.trim());
  const resumed = waiting;
  waiting = [];
  for (const w of resumed) w.resume();
  window.dispatchEvent(new Event(SIGNED_IN_EVENT));
}

/**
 * The API refused the session: its token is dropped, the app asks for a sign-in over the screen, and
 * the promise settles once the user has signed in again (resolved: send the request again) or signed
 * out (rejected).
 */
export function whenSignedInAgain(): Promise<void> {
  sessionStorage.removeItem(KEY);
  sessionStorage.setItem(ENDED, 'expired');
  const settled = new Promise<void>((resume, reject) => {
    waiting.push({ resume, giveUp: () => reject(new Error('signed out')) });
  });
  window.dispatchEvent(new Event(SESSION_EXPIRED_EVENT));
  return settled;
}

/** Signs out; `expired` when the API refused the token, so the sign-in page can say why. */
export function signOut(reason?: 'expired') {
  sessionStorage.removeItem(KEY);
  if (reason) sessionStorage.setItem(ENDED, reason);
  else sessionStorage.removeItem(ENDED);
  const abandoned = waiting;
  waiting = [];
  for (const w of abandoned) w.giveUp();
  window.dispatchEvent(new Event('tendril:signed-out'));
}

/** In the app's window: takes the token a pop-up sign-in sends back (returns the listener's undoing). */
export function listenForPopupSignIn(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (e: MessageEvent<{ token?: unknown }>) => {
    if (typeof e.data?.token === 'string' && e.data.token) useToken(e.data.token);
  };
  return () => channel.close();
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/**
 * Cognito's managed login: in this window (the app reloads, back on the screen it was on), or with
 * `popup` in a pop-up window, leaving this one (and what was typed in it) as it is. A blocked pop-up
 * falls back to this window.
 */
export async function startCognitoLogin(options: { popup?: boolean } = {}) {
  if (config.auth !== 'cognito') return;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = `${options.popup ? 'popup' : 'page'}.${base64url(crypto.getRandomValues(new Uint8Array(16)))}`;
  // Kept by its state, in localStorage: a pop-up window has its own sessionStorage.
  localStorage.setItem(`tendril.pkce.${state}`, verifier);
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  if (options.popup && window.open(url.toString(), 'tendril-sign-in', 'popup,width=480,height=640')) return;
  // The managed login comes back to the app's address: the screen the user was on is kept here.
  sessionStorage.setItem(RETURN_TO, window.location.hash);
  window.location.assign(url.toString());
}

async function completeCognitoLogin(c: Extract<AuthConfig, { auth: 'cognito' }>) {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const state = params.get('state') ?? '';
  const verifier = localStorage.getItem(`tendril.pkce.${state}`);
  if (!code || !verifier) return;
  localStorage.removeItem(`tendril.pkce.${state}`);
  const res = await fetch(new URL('/oauth2/token', c.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: c.clientId,
      code,
      redirect_uri: c.redirectUri,
      code_verifier: verifier,
    }),
  });
  const token = res.ok ? ((await res.json()) as { id_token: string }).id_token : undefined;
  if (state.startsWith('popup.') && typeof BroadcastChannel !== 'undefined') {
    // The pop-up of an ended session: the token goes to the app's window, and the pop-up closes.
    const channel = new BroadcastChannel(CHANNEL);
    if (token) channel.postMessage({ token });
    channel.close();
    window.close();
    return;
  }
  const returnTo = sessionStorage.getItem(RETURN_TO) ?? '';
  sessionStorage.removeItem(RETURN_TO);
  window.history.replaceState(null, '', window.location.pathname + (window.location.hash || returnTo));
  if (token) useToken(token);
}
