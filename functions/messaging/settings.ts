/**
 * The workspace's email settings: the frequency cap on marketing emails and the subscription types.
 * Saved whole; with the `updatedAt` the edit started from, only if nobody saved since (a 409
 * otherwise, as the screen does); without it, over whatever is saved (an API client setting a value).
 * A subscription type is never removed (contacts' choices and campaigns refer to it): it is renamed.
 */
import { conflict, invalid, validationError } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import { slug, unaccented } from '#platform/values.js';
import type { EmailSettings, SubscriptionType } from './model.js';
import type { MessagingDeps } from './store.js';

export const getEmailSettings = (deps: MessagingDeps): Promise<EmailSettings> =>
  deps.store.getEmailSettings();

/** A subscription type as edited: a new one has no id yet (it is made from its name). */
export interface SubscriptionTypeInput {
  id?: string;
  name: string;
  description?: string;
}

export interface EmailSettingsInput {
  /** `null`: no cap. */
  frequencyCap: { max: number; days: number } | null;
  /** All the types, in order; absent: the saved ones are kept. */
  subscriptionTypes?: SubscriptionTypeInput[];
  /** Links in marketing emails identify the contact to the site's tracking snippet; absent: kept. */
  identifyVisitors?: boolean | undefined;
  /** The site's domains (only links to them carry the token); absent: kept. */
  siteDomains?: string[] | undefined;
  /** The `updatedAt` of the settings this edit started from (absent: saved over whatever is there). */
  expectedUpdatedAt?: string;
}

/** An id from a name: "Événements & webinars" → `evenements-webinars`. */
export function typeIdFrom(name: string, taken: Set<string>): string {
  const base = slug(name, 36, 'type');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The types to save: the saved ones all kept (by id), new ones given ids, names unique. */
export function subscriptionTypesToSave(
  saved: SubscriptionType[],
  input: SubscriptionTypeInput[],
): SubscriptionType[] {
  const savedIds = new Set(saved.map((t) => t.id));
  const unknown = input.flatMap((t, i) =>
    t.id !== undefined && !savedIds.has(t.id)
      ? [{ path: `subscriptionTypes.${i}.id`, message: `no subscription type ${t.id}` }]
      : [],
  );
  if (unknown.length > 0) throw invalid('unknown_subscription_type', 'unknown subscription type', unknown);
  const ids = input.flatMap((t, i) => (t.id ? [{ id: t.id, i }] : []));
  const seen = new Set<string>();
  for (const { id, i } of ids) {
    if (seen.has(id))
      throw invalid('duplicate_subscription_type', `subscription type ${id} is listed twice`, [
        { path: `subscriptionTypes.${i}.id`, message: `${id} is listed twice` },
      ]);
    seen.add(id);
  }
  const kept = new Set(ids.map((t) => t.id));
  const removed = saved.filter((t) => !kept.has(t.id));
  if (removed.length > 0)
    throw invalid(
      'subscription_type_removed',
      `a subscription type cannot be removed (contacts' choices refer to it): rename it instead`,
      removed.map((t) => ({ path: 'subscriptionTypes', message: `${t.name} (${t.id}) is missing` })),
    );
  const names = new Map<string, number>();
  input.forEach((t, i) => {
    // The same name up to case, spaces and accents ("Évènements" and "evenements") is the same name.
    const key = unaccented(t.name).trim().replace(/\s+/g, ' ').toLowerCase();
    const first = names.get(key);
    if (first !== undefined)
      throw invalid('duplicate_subscription_type', `two subscription types are named ${t.name.trim()}`, [
        { path: `subscriptionTypes.${i}.name`, message: `the same name as type ${first + 1}` },
      ]);
    names.set(key, i);
  });
  const taken = new Set(savedIds);
  return input.map((t) => {
    const id = t.id ?? typeIdFrom(t.name, taken);
    taken.add(id);
    const description = t.description?.trim();
    return { id, name: t.name.trim(), ...(description ? { description } : {}) };
  });
}

export async function saveEmailSettings(
  deps: MessagingDeps,
  input: EmailSettingsInput,
): Promise<EmailSettings> {
  const saved = await deps.store.getEmailSettings();
  if (input.expectedUpdatedAt !== undefined && saved.updatedAt !== input.expectedUpdatedAt)
    throw conflict('settings_changed', 'the email settings were changed meanwhile; reload and retry');
  const domains = [...new Set(input.siteDomains ?? saved.siteDomains ?? [])];
  const identify = input.identifyVisitors ?? saved.identifyVisitors ?? false;
  if (identify && domains.length === 0)
    throw validationError('the email settings are not valid', [
      {
        path: 'siteDomains',
        message: 'name your site’s domain: only links to it identify visitors',
        code: 'required',
      },
    ]);
  const types =
    input.subscriptionTypes === undefined
      ? saved.subscriptionTypes
      : subscriptionTypesToSave(saved.subscriptionTypes ?? [], input.subscriptionTypes);
  const settings: EmailSettings = {
    ...(input.frequencyCap ? { frequencyCap: input.frequencyCap } : {}),
    ...(types && types.length > 0 ? { subscriptionTypes: types } : {}),
    ...(identify ? { identifyVisitors: true } : {}),
    ...(domains.length > 0 ? { siteDomains: domains } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.commit([
      {
        kind: 'putEmailSettings',
        settings,
        // Guarded by what was read: a type saved meanwhile is never dropped by this save.
        ...(saved.updatedAt ? { expectedUpdatedAt: saved.updatedAt } : {}),
      },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('settings_changed', 'the email settings were changed meanwhile; reload and retry');
    throw err;
  }
  return settings;
}
