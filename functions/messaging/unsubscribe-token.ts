import { mac, macMatches } from '#platform/signing.js';

/**
 * Unsubscribe token for one contact: `<contactId>.<hmac>`, with `.<campaignId>` after the contact in
 * a campaign's email (the unsubscribe counts in that campaign's report) and `.t-<type>` when the
 * email belongs to a subscription type (one-click leaves that type). It never expires (links live in
 * inboxes); everything in it is signed with the contact, so neither a report nor another type can be
 * reached by editing a link.
 */
export interface UnsubscribeSubject {
  contactId: string;
  campaignId?: string;
  subscriptionType?: string;
}

const subjectOf = ({ contactId, campaignId, subscriptionType }: UnsubscribeSubject) =>
  [
    contactId,
    ...(campaignId ? [campaignId] : []),
    ...(subscriptionType ? [`t-${subscriptionType}`] : []),
  ].join('.');

export function signUnsubscribeToken(secret: string, subject: UnsubscribeSubject): string {
  const text = subjectOf(subject);
  return `${text}.${mac(secret, 'unsubscribe', text)}`;
}

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';
const TOKEN = new RegExp(
  `^(${ULID})(?:\\.(${ULID}))?(?:\\.t-([a-z0-9][a-z0-9-]{0,39}))?\\.([A-Za-z0-9_-]{43})$`,
);

export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeSubject | undefined {
  const [, contactId, campaignId, subscriptionType, signature] = TOKEN.exec(token) ?? [];
  if (!contactId || !signature) return undefined;
  const subject = {
    contactId,
    ...(campaignId ? { campaignId } : {}),
    ...(subscriptionType ? { subscriptionType } : {}),
  };
  if (!macMatches(mac(secret, 'unsubscribe', subjectOf(subject)), signature)) return undefined;
  return subject;
}
