import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Fill-time token: `<issuedAtMs>.<hmac>` embedded in the hosted form as `_ts`. It proves when the
 * form was rendered, so a submission faster than the form's minimum fill time can be dropped as a bot.
 */
export function signFormToken(secret: string, formId: string, issuedAtMs: number): string {
  return `${issuedAtMs}.${mac(secret, formId, issuedAtMs)}`;
}

/** Returns the time the token was issued, or undefined when it was not issued by us for this form. */
export function verifyFormToken(secret: string, formId: string, token: string): number | undefined {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const issuedAt = Number(match[1]);
  const expected = Buffer.from(mac(secret, formId, issuedAt));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? issuedAt : undefined;
}

function mac(secret: string, formId: string, issuedAtMs: number): string {
  return createHmac('sha256', secret).update(`form-token:${formId}:${issuedAtMs}`).digest('base64url');
}
