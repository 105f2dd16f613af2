/**
 * A contact's email standing: unsubscribed (their choice), or suppressed (the address bounced, its
 * owner complained, or it was unsubscribed on an earlier record of the address). The suppression
 * list is kept per address and outlives the contact, so a deleted and re-created contact is shown,
 * and treated, as it really is. Only fresh consent lifts it: a form submitted with consent, or the
 * person's own signed link; a hard bounce is never lifted (the address does not take mail).
 */
import { conflict, notFound } from '#platform/errors.js';
import { CommitConflict, emit } from '#platform/store.js';
import { type Activity, type Contact, type Suppression, systemActivity } from './model.js';
import type { ContactsDeps, ContactsWrite } from './store.js';

/** What a new record of a suppressed address starts with. */
export function suppressionState(
  suppression: Suppression | undefined,
): Pick<Contact, 'unsubscribedAt' | 'emailSuppression'> {
  if (!suppression) return {};
  return suppression.reason === 'unsubscribed'
    ? { unsubscribedAt: suppression.at }
    : { emailSuppression: { reason: suppression.reason, at: suppression.at } };
}

/** Whether fresh consent would change anything for the contact (it is unsubscribed or suppressed, not bounced). */
export const canResubscribe = (contact: Pick<Contact, 'unsubscribedAt' | 'emailSuppression'>) =>
  contact.emailSuppression?.reason !== 'bounce' &&
  (contact.unsubscribedAt !== undefined || contact.emailSuppression !== undefined);

export type ConsentEvidence = { source: 'form'; formId: string; sourceIp: string } | { source: 'link' };

/**
 * The writes of a resubscription besides the contact's own update (done by the caller, in the same
 * transaction): the address off the suppression list, a timeline entry and ContactResubscribed.
 */
export function resubscribeWrites(
  deps: ContactsDeps,
  contact: Pick<Contact, 'id' | 'email'>,
  now: Date,
  evidence: ConsentEvidence,
): ContactsWrite[] {
  const at = now.toISOString();
  const activity: Activity = systemActivity(
    deps,
    contact.id,
    'email',
    evidence.source === 'form'
      ? 'Resubscribed by giving consent on a form'
      : 'Resubscribed with their own link',
    at,
    { event: 'resubscribed', ...evidence },
  );
  return [
    { kind: 'liftSuppression', email: contact.email, at },
    { kind: 'putActivity', activity, checkContact: false },
    emit(deps, now, 'ContactResubscribed', {
      contactId: contact.id,
      source: evidence.source,
      ...(evidence.source === 'form' ? { formId: evidence.formId } : {}),
    }),
  ];
}

/** Resubscribes a contact on fresh consent. Idempotent: a subscribed contact stays as it is. */
export async function resubscribe(
  deps: ContactsDeps,
  contactId: string,
  evidence: ConsentEvidence,
): Promise<Contact> {
  const contact = await deps.store.getContact(contactId);
  if (!contact) throw notFound('contact', contactId);
  if (contact.emailSuppression?.reason === 'bounce') {
    throw conflict(
      'email_bounced',
      `${contact.email} bounced: it does not take mail; correct the address instead`,
    );
  }
  if (!canResubscribe(contact)) return contact;
  const now = deps.clock.now();
  try {
    await deps.store.commit([
      { kind: 'resubscribe', contactId, at: now.toISOString() },
      ...resubscribeWrites(deps, contact, now, evidence),
    ]);
  } catch (err) {
    // Resubscribed meanwhile (a double click): the same outcome.
    if (!(err instanceof CommitConflict)) throw err;
  }
  const { unsubscribedAt: _u, emailSuppression: _s, ...subscribed } = contact;
  return { ...subscribed, version: contact.version + 1, updatedAt: now.toISOString() };
}
