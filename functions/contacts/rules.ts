/** Contacts: create, update, erase, tags and the activity timeline. */
import { conflict, notFound, staleVersion } from '#platform/errors.js';
import { makeEvent } from '#platform/events.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { ownValue, uniqueSorted } from '#platform/values.js';
import { coerceFields, typedFields } from './field-definitions.js';
import {
  CONTACT_PROPERTIES,
  type ConsentRecord,
  type Contact,
  type ContactProperty,
  type CustomFields,
  type FieldValue,
  type Suppression,
  withCanonicalTimeZone,
} from './model.js';
import type { ContactsDeps, ContactsWrite } from './store.js';
import { type ConsentEvidence, canResubscribe, resubscribeWrites, suppressionState } from './subscription.js';

/** The timeline's use cases live in activities.ts. */
export { listActivities, type ManualActivity, recordActivity } from './activities.js';

export interface NewContact {
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | undefined;
  company?: string | undefined;
  source?: string | undefined;
  /** An IANA time zone (`Europe/Paris`), stored in its canonical spelling. */
  timeZone?: string | undefined;
  owner?: string | undefined;
  fields?: CustomFields | undefined;
  tags?: string[] | undefined;
}

export type ContactPatch = {
  version: number;
  email?: string | undefined;
  fields?: Record<string, FieldValue | null>;
} & {
  [K in ContactProperty]?: string | null;
};

/** Which import wrote a contact, and whether its events may trigger workflows (`silent`: not). */
export interface ImportOrigin {
  importId: string;
  silent: boolean;
}

const originPayload = (origin?: ImportOrigin) =>
  origin ? { fromImport: origin.importId, ...(origin.silent ? { silent: true } : {}) } : {};

export function tagWrites(
  deps: ContactsDeps,
  contactId: string,
  tags: string[],
  now: Date,
  origin?: ImportOrigin,
): ContactsWrite[] {
  return tags.flatMap((tag): ContactsWrite[] => [
    { kind: 'addTag', contactId, tag, taggedAt: now.toISOString() },
    emit(deps, now, 'ContactTagged', { contactId, tag, ...originPayload(origin) }),
  ]);
}

/** The writes that create a contact with its tags, its creation event and one event per tag. */
export function newContactWrites(
  deps: ContactsDeps,
  input: NewContact,
  now: Date,
  /** The address's entry on the suppression list, if any: a new record of it is not mailable either. */
  suppression?: Suppression,
  origin?: ImportOrigin,
): { contact: Contact; writes: ContactsWrite[] } {
  const at = now.toISOString();
  const tags = uniqueSorted(input.tags ?? []);
  const contact: Contact = {
    id: deps.ids.next(),
    email: input.email,
    ...pickProperties(input),
    fields: input.fields ?? {},
    tags,
    ...suppressionState(suppression),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const writes: ContactsWrite[] = [
    { kind: 'createContact', contact },
    emit(deps, now, 'ContactCreated', {
      contactId: contact.id,
      ...(contact.source ? { source: contact.source } : {}),
      ...originPayload(origin),
    }),
    ...tagWrites(deps, contact.id, tags, now, origin),
  ];
  return { contact, writes };
}

/**
 * The writes that upsert a contact by email: create it, or fill only its blanks and add missing tags
 * (never overwriting what it has). One ContactTagged event per tag actually added. When a known
 * contact gains nothing, nothing of it is written (`writesContact` false): concurrent submissions of
 * one email then do not contend for the contact's item.
 */
export function upsertContactWrites(
  deps: ContactsDeps,
  existing: Contact | undefined,
  input: NewContact,
  now: Date,
  consent?: { record: ConsentRecord; evidence: ConsentEvidence },
  /** The address's suppression, when there is no contact yet (the caller reads it). */
  suppression?: Suppression,
): { contactId: string; created: boolean; writesContact: boolean; writes: ContactsWrite[] } {
  const at = now.toISOString();
  if (!existing) {
    // Fresh consent on a new record of a suppressed (not bounced) address lifts the suppression.
    const lifts = consent && suppression && suppression.reason !== 'bounce';
    const created = newContactWrites(deps, input, now, lifts ? undefined : suppression);
    if (consent) created.contact.consent = consent.record;
    const writes =
      lifts && consent
        ? [...created.writes, ...resubscribeWrites(deps, created.contact, now, consent.evidence)]
        : created.writes;
    return { contactId: created.contact.id, created: true, writesContact: true, writes };
  }
  const contactId = existing.id;
  const addTags = uniqueSorted(input.tags ?? []).filter((t) => !existing.tags.includes(t));
  const fillBlanks = blanksOf(existing, { ...pickProperties(input), fields: input.fields ?? {} });
  // Consent evidence goes on the contact once; every later consent stays on the timeline, and
  // resubscribes a contact who had unsubscribed.
  const recordConsent = consent && !existing.consent ? consent.record : undefined;
  const resubscribes = consent !== undefined && canResubscribe(existing);
  if (addTags.length === 0 && Object.keys(fillBlanks).length === 0 && !recordConsent && !resubscribes) {
    return { contactId, created: false, writesContact: false, writes: [] };
  }
  return {
    contactId,
    created: false,
    writesContact: true,
    writes: [
      {
        kind: 'mergeContact',
        contactId,
        fillBlanks,
        addTags,
        ...(recordConsent ? { consent: recordConsent } : {}),
        ...(resubscribes ? { resubscribe: true } : {}),
        updatedAt: at,
      },
      ...tagWrites(deps, contactId, addTags, now),
      ...(resubscribes && consent ? resubscribeWrites(deps, existing, now, consent.evidence) : []),
    ],
  };
}

/** The properties and custom fields the contact has no value for yet. */
export function blanksOf(
  existing: Contact,
  values: Partial<Record<ContactProperty, string>> & { fields: CustomFields },
): Partial<Record<ContactProperty, string>> & { fields?: CustomFields } {
  const { fields, ...properties } = values;
  const out: Partial<Record<ContactProperty, string>> & { fields?: CustomFields } = {};
  for (const [name, value] of Object.entries(properties) as [ContactProperty, string][]) {
    if (existing[name] === undefined) out[name] = value;
  }
  const newFields = Object.entries(fields).filter(([name]) => ownValue(existing.fields, name) === undefined);
  if (newFields.length > 0) out.fields = Object.fromEntries(newFields);
  return out;
}

function pickProperties(input: Partial<Record<ContactProperty, string | null | undefined>>) {
  const out: Partial<Record<ContactProperty, string>> = {};
  for (const key of CONTACT_PROPERTIES) {
    const value = input[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

async function emailTakenError(deps: ContactsDeps, email: string) {
  const existingId = await deps.store.findContactIdByEmail(email);
  return conflict('email_taken', `a contact with email ${email} already exists`, { existingId });
}

export async function createContact(deps: ContactsDeps, given: NewContact): Promise<Contact> {
  const raw = withCanonicalTimeZone(given);
  const [existingId, suppression, fields] = await Promise.all([
    deps.store.findContactIdByEmail(raw.email),
    deps.store.getSuppression(raw.email),
    typedFields(deps, raw.fields),
  ]);
  const input = { ...raw, ...(fields ? { fields } : {}) };
  if (existingId)
    throw conflict('email_taken', `a contact with email ${input.email} already exists`, { existingId });
  const { contact, writes } = newContactWrites(deps, input, deps.clock.now(), suppression);
  try {
    await deps.store.commit(writes);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'createContact')
      throw await emailTakenError(deps, input.email);
    throw err;
  }
  return contact;
}

export async function getContact(deps: ContactsDeps, id: string): Promise<Contact> {
  const contact = await deps.store.getContact(id);
  if (!contact) throw notFound('contact', id);
  return contact;
}

export async function updateContact(
  deps: ContactsDeps,
  id: string,
  givenPatch: ContactPatch,
): Promise<Contact> {
  const rawPatch = withCanonicalTimeZone(givenPatch);
  const [current, definitions] = await Promise.all([
    getContact(deps, id),
    rawPatch.fields && Object.keys(rawPatch.fields).length > 0 ? deps.store.listFieldDefinitions() : [],
  ]);
  const patch = rawPatch.fields
    ? { ...rawPatch, fields: coerceFields(definitions, rawPatch.fields) }
    : rawPatch;
  if (current.version !== patch.version) throw staleContact(current);
  const now = deps.clock.now();
  const next: Contact = { ...current, fields: { ...current.fields } };
  const changed: string[] = [];
  if (patch.email !== undefined && patch.email !== current.email) {
    next.email = patch.email;
    changed.push('email');
    // A new address has its own standing: a bounce of the old one does not carry over, a
    // suppression of the new one does. (An unsubscribe is the person's, and stays.)
    delete next.emailSuppression;
    const { emailSuppression } = suppressionState(await deps.store.getSuppression(patch.email));
    if (emailSuppression && emailSuppression.reason !== 'unsubscribed')
      next.emailSuppression = emailSuppression;
    else if (emailSuppression && !next.unsubscribedAt) next.unsubscribedAt = emailSuppression.at;
  }
  for (const key of CONTACT_PROPERTIES) {
    const value = patch[key];
    if (value === undefined || value === (current[key] ?? null)) continue;
    if (value === null) delete next[key];
    else next[key] = value;
    changed.push(key);
  }
  for (const [key, value] of Object.entries(patch.fields ?? {})) {
    if (value === (ownValue(current.fields, key) ?? null)) continue;
    if (value === null) delete next.fields[key];
    else next.fields[key] = value;
    changed.push(`fields.${key}`);
  }
  if (changed.length === 0) return current;
  next.version = current.version + 1;
  next.updatedAt = now.toISOString();
  try {
    await deps.store.commit([
      {
        kind: 'replaceContact',
        contact: next,
        expectedVersion: current.version,
        previousEmail: current.email,
      },
      emit(deps, now, 'ContactUpdated', { contactId: id, changed }),
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    if (err.part === 'email') throw await emailTakenError(deps, next.email);
    const latest = await getContact(deps, id);
    throw staleContact(latest);
  }
  return next;
}

const staleContact = (current: Contact) => staleVersion('contact', current.id, current.version);

/**
 * Erases a contact. Its `ContactDeleted` event carries the tags it had and its lifecycle stage at
 * deletion (when it had one), so counters of contacts by stage can count it out.
 */
export async function deleteContact(deps: ContactsDeps, id: string): Promise<void> {
  const [contact, lifecycleStage] = await Promise.all([
    getContact(deps, id),
    deps.store.getLifecycleStage(id),
  ]);
  const now = deps.clock.now();
  await deps.store.deleteContact(contact, [
    makeEvent(
      'ContactDeleted',
      { contactId: id, tags: contact.tags, ...(lifecycleStage ? { lifecycleStage } : {}) },
      { eventId: deps.ids.next(), occurredAt: now.toISOString() },
    ),
  ]);
}

/** Adds tags; each tag not already on the contact is written and announced exactly once. */
export async function addTags(
  deps: ContactsDeps,
  id: string,
  tags: string[],
): Promise<{ contact: Contact; added: string[] }> {
  const added = await withOptimisticRetry(
    async () => {
      const contact = await getContact(deps, id);
      const toAdd = uniqueSorted(tags).filter((t) => !contact.tags.includes(t));
      if (toAdd.length === 0) return [];
      const now = deps.clock.now();
      await deps.store.commit([
        { kind: 'mergeContact', contactId: id, fillBlanks: {}, addTags: toAdd, updatedAt: now.toISOString() },
        ...tagWrites(deps, id, toAdd, now),
      ]);
      return toAdd;
    },
    (c) => c.write.kind === 'addTag',
  ).catch(async (err) => {
    if (err instanceof CommitConflict && err.write.kind === 'mergeContact') throw notFound('contact', id);
    throw err;
  });
  return { contact: await getContact(deps, id), added };
}

export async function removeTag(deps: ContactsDeps, id: string, tag: string): Promise<{ removed: boolean }> {
  const contact = await getContact(deps, id);
  if (!contact.tags.includes(tag)) return { removed: false };
  const now = deps.clock.now();
  try {
    await deps.store.commit([
      { kind: 'removeTag', contactId: id, tag, updatedAt: now.toISOString() },
      emit(deps, now, 'ContactUntagged', { contactId: id, tag }),
    ]);
  } catch (err) {
    // Someone else removed it between our read and our write: the end state is what was asked for.
    if (err instanceof CommitConflict && err.write.kind === 'removeTag') return { removed: false };
    throw err;
  }
  return { removed: true };
}

export interface ContactQuery extends ListOptions {
  tag?: string | undefined;
  email?: string | undefined;
}

export async function listContacts(deps: ContactsDeps, query: ContactQuery): Promise<Page<Contact>> {
  if (query.email !== undefined) {
    const id = await deps.store.findContactIdByEmail(query.email);
    const contact = id ? await deps.store.getContact(id) : undefined;
    return { items: contact ? [contact] : [] };
  }
  if (query.tag !== undefined) return deps.store.listContactsByTag(query.tag, query);
  return deps.store.listContacts(query);
}
