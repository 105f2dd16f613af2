import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 over `purpose` and parts, base64url (43 characters). */
export function mac(secret: string, purpose: string, ...parts: Array<string | number>): string {
  return createHmac('sha256', secret)
    .update([purpose, ...parts].join(':'))
    .digest('base64url');
}

export function macMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
