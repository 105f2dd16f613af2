import { mac, macMatches } from '#platform/signing.js';

/** Unsubscribe token for one contact: `<contactId>.<hmac>`; it never expires (links live in inboxes). */
export function signUnsubscribeToken(secret: string, contactId: string): string {
  return `${contactId}.${mac(secret, 'unsubscribe', contactId)}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const match = /^([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  return macMatches(mac(secret, 'unsubscribe', match[1]), match[2]) ? match[1] : undefined;
}
