import { mac, macMatches } from '#platform/signing.js';

/**
 * Fill-time token: `<issuedAtMs>.<hmac>` embedded in the hosted form as `_ts`. It proves when the
 * form was rendered, so a submission faster than the form's minimum fill time can be dropped as a bot.
 */
export function signFormToken(secret: string, formId: string, issuedAtMs: number): string {
  return `${issuedAtMs}.${mac(secret, 'form-token', formId, issuedAtMs)}`;
}

/** Returns the time the token was issued, or undefined when it was not issued by us for this form. */
export function verifyFormToken(secret: string, formId: string, token: string): number | undefined {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const issuedAt = Number(match[1]);
  return macMatches(mac(secret, 'form-token', formId, issuedAt), match[2]) ? issuedAt : undefined;
}
