/**
 * A contact's email preferences, as the unsubscribe page shows and saves them: subscribed to all
 * marketing email or not (an unsubscribe from all is lifted only by fresh consent, see
 * contacts/subscription.ts), and, while subscribed, which subscription types it left. Leaving or
 * joining a type is recorded on the timeline and as ContactUnsubscribed / ContactResubscribed with
 * the type; the contact's choice is written whole, if nobody changed the contact meanwhile.
 */
import { type Contact, systemActivity } from '#contacts/model.js';
import { invalid, notFound } from '#platform/errors.js';
import { CommitConflict, emit } from '#platform/store.js';
import type { SubscriptionType } from './model.js';
import type { MessagingDeps, MessagingWrite } from './store.js';

export interface Preferences {
  contact: Contact;
  /** The workspace's subscription types, in order. */
  types: SubscriptionType[];
  /** Unsubscribed from all marketing email (the types do not apply). */
  unsubscribedFromAll: boolean;
  /** The ids of the types the contact receives. */
  subscribed: string[];
}

export async function getPreferences(deps: MessagingDeps, contactId: string): Promise<Preferences> {
  const [contact, settings] = await Promise.all([
    deps.store.getContact(contactId),
    deps.store.getEmailSettings(),
  ]);
  if (!contact) throw notFound('contact', contactId);
  const types = settings.subscriptionTypes ?? [];
  const left = new Set(contact.unsubscribedFrom ?? []);
  return {
    contact,
    types,
    unsubscribedFromAll: contact.unsubscribedAt !== undefined,
    subscribed: types.filter((t) => !left.has(t.id)).map((t) => t.id),
  };
}

/**
 * Sets the types the contact receives (the others it leaves). Returns the preferences as saved.
 * Unknown type ids are a 400; a contact changed meanwhile (another tab) is read again and the
 * choice applied to it.
 */
export const savePreferences = (
  deps: MessagingDeps,
  contactId: string,
  subscribed: string[],
  campaignId?: string,
): Promise<Preferences> => choosePreferences(deps, contactId, () => subscribed, campaignId);

/** RFC 8058 one-click for an email of `type`: the contact leaves that type (idempotent). */
export const leaveType = (
  deps: MessagingDeps,
  contactId: string,
  type: string,
  campaignId?: string,
): Promise<Preferences> =>
  choosePreferences(deps, contactId, (current) => current.subscribed.filter((id) => id !== type), campaignId);

/**
 * Writes the types `choose` picks from the contact's preferences as read — read once per attempt,
 * so a choice made relative to them (leaving one type) is applied to what is there when it lands.
 */
async function choosePreferences(
  deps: MessagingDeps,
  contactId: string,
  choose: (current: Preferences) => string[],
  campaignId?: string,
): Promise<Preferences> {
  for (let attempt = 0; ; attempt++) {
    const current = await getPreferences(deps, contactId);
    // Unsubscribed from all marketing email: the types do not apply until they resubscribe.
    if (current.unsubscribedFromAll) return current;
    const subscribed = choose(current);
    const known = new Set(current.types.map((t) => t.id));
    const unknown = subscribed.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw invalid(
        'unknown_subscription_type',
        'unknown subscription type',
        unknown.map((id) => ({ path: 'types', message: `no subscription type ${id}` })),
      );
    const wanted = new Set(subscribed);
    const before = new Set(current.contact.unsubscribedFrom ?? []);
    const left = current.types.filter((t) => !wanted.has(t.id) && !before.has(t.id));
    const joined = current.types.filter((t) => wanted.has(t.id) && before.has(t.id));
    if (left.length === 0 && joined.length === 0) return current;
    // Kept in the order of the settings; ids of types no longer listed are kept as they were.
    const unsubscribedFrom = [
      ...current.types.filter((t) => !wanted.has(t.id)).map((t) => t.id),
      ...[...before].filter((id) => !known.has(id)),
    ];
    const now = deps.clock.now();
    const at = now.toISOString();
    const entry = (type: SubscriptionType, joining: boolean): MessagingWrite[] => [
      {
        kind: 'putActivity',
        activity: systemActivity(
          deps,
          contactId,
          'email',
          joining ? `Resubscribed to ${type.name} with their own link` : `Unsubscribed from ${type.name}`,
          at,
          {
            event: joining ? 'resubscribed' : 'unsubscribed',
            subscriptionType: type.id,
            source: 'link',
            ...(campaignId && !joining ? { campaignId } : {}),
          },
        ),
        checkContact: false,
      },
      joining
        ? emit(deps, now, 'ContactResubscribed', { contactId, source: 'link', subscriptionType: type.id })
        : emit(deps, now, 'ContactUnsubscribed', {
            contactId,
            subscriptionType: type.id,
            ...(campaignId ? { campaignId } : {}),
          }),
    ];
    try {
      await deps.store.commit([
        {
          kind: 'setUnsubscribedFrom',
          contactId,
          types: unsubscribedFrom,
          version: current.contact.version,
          at,
        },
        ...left.flatMap((t) => entry(t, false)),
        ...joined.flatMap((t) => entry(t, true)),
      ]);
    } catch (err) {
      if (err instanceof CommitConflict && attempt < 3) continue;
      throw err;
    }
    const contact: Contact = {
      ...current.contact,
      unsubscribedFrom,
      version: current.contact.version + 1,
      updatedAt: at,
    };
    if (unsubscribedFrom.length === 0) delete contact.unsubscribedFrom;
    return { ...current, contact, subscribed: [...wanted] };
  }
}
