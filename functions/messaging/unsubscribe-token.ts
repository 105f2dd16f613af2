import { mac, macMatches } from '#platform/signing.js';

/**
 * Unsubscribe token for one contact: `<contactId>.<hmac>`, or `<contactId>.<campaignId>.<hmac>` in a
 * campaign's email (the unsubscribe counts in that campaign's report). It never expires (links live
 * in inboxes); the campaign is signed with the contact, so a report cannot be inflated by hand.
 */
export function signUnsubscribeToken(secret: string, contactId: string, campaignId?: string): string {
  const subject = campaignId ? `${contactId}.${campaignId}` : contactId;
  return `${subject}.${mac(secret, 'unsubscribe', subject)}`;
}

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
const TOKEN = new RegExp(`^(${ULID})(?:\\.(${ULID}))?\\.([A-Za-z0-9_-]{43})$`);

export function verifyUnsubscribeToken(
  secret: string,
  token: string,
): { contactId: string; campaignId?: string } | undefined {
  const match = TOKEN.exec(token);
  const [, contactId, campaignId, signature] = match ?? [];
  if (!contactId || !signature) return undefined;
  const subject = campaignId ? `${contactId}.${campaignId}` : contactId;
  if (!macMatches(mac(secret, 'unsubscribe', subject), signature)) return undefined;
  return { contactId, ...(campaignId ? { campaignId } : {}) };
}
