import { mac, macMatches } from '#platform/signing.js';

/** How long a form rendered with a token may be submitted. */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * Fill-time token: `<issuedAtMs>.<nonce>.<hmac>`, embedded in the hosted form as `_ts`. It proves
 * when (and for which form) the page was rendered, so a submission faster than the form's minimum
 * fill time can be dropped as a bot; the nonce makes it single-use (claimed with the submission).
 */
export function signFormToken(secret: string, formId: string, issuedAtMs: number, nonce: string): string {
  return `${issuedAtMs}.${nonce}.${mac(secret, 'form-token', formId, issuedAtMs, nonce)}`;
}

/** The token's issue time and nonce, or undefined when it was not issued by us for this form. */
export function verifyFormToken(
  secret: string,
  formId: string,
  token: string,
): { issuedAt: number; nonce: string } | undefined {
  const match = /^(\d{1,15})\.([0-9A-Za-z]{10,40})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const issuedAt = Number(match[1]);
  return macMatches(mac(secret, 'form-token', formId, issuedAt, match[2]), match[3])
    ? { issuedAt, nonce: match[2] }
    : undefined;
}

/**
 * The token a form re-rendered with its errors carries: the submitted one while it is valid and
 * unused (the fill time already counts), else a new one dated back by the minimum fill time, so a
 * visitor who corrects a field and submits at once is not taken for a bot.
 */
export function rerenderToken(
  secret: string,
  form: { id: string; spam: { minFillSeconds: number } },
  submitted: unknown,
  now: Date,
  nonce: string,
  reusable: boolean,
): string {
  if (reusable && typeof submitted === 'string') {
    const verified = verifyFormToken(secret, form.id, submitted);
    if (verified && now.getTime() - verified.issuedAt < FORM_TOKEN_MAX_AGE_MS) return submitted;
  }
  return signFormToken(secret, form.id, now.getTime() - form.spam.minFillSeconds * 1000, nonce);
}
