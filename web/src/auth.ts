/**
 * Sign-in. Locally: the admin token `npm start` prints. In the cloud: Cognito's managed login
 * (authorization code + PKCE), the ID token becoming the bearer token of API calls.
 * `/config.json` says which (written by `npm start`, and by CDK next to the app).
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

export const currentToken = () => sessionStorage.getItem(KEY);
/** Whether the last session ended because the API refused its token (not by signing out). */
export const sessionExpired = () => sessionStorage.getItem(ENDED) === 'expired';
export function useToken(token: string) {
  sessionStorage.removeItem(ENDED);
  sessionStorage.setItem(KEY, token.trim());
}
/** Signs out; `expired` when the API refused the token, so the sign-in page can say why. */
export function signOut(reason?: 'expired') {
  sessionStorage.removeItem(KEY);
  if (reason) sessionStorage.setItem(ENDED, reason);
  else sessionStorage.removeItem(ENDED);
  window.dispatchEvent(new Event('tendril:signed-out'));
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export async function startCognitoLogin() {
  if (config.auth !== 'cognito') return;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('tendril.pkce', verifier);
  // The managed login comes back to the app's address: the screen the user was on is kept here.
  sessionStorage.setItem(RETURN_TO, window.location.hash);
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

async function completeCognitoLogin(c: Extract<AuthConfig, { auth: 'cognito' }>) {
  const code = new URLSearchParams(window.location.search).get('code');
  const verifier = sessionStorage.getItem('tendril.pkce');
  if (!code || !verifier) return;
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
  sessionStorage.removeItem('tendril.pkce');
  const returnTo = sessionStorage.getItem(RETURN_TO) ?? '';
  sessionStorage.removeItem(RETURN_TO);
  window.history.replaceState(null, '', window.location.pathname + (window.location.hash || returnTo));
  if (res.ok) useToken(((await res.json()) as { id_token: string }).id_token);
}
