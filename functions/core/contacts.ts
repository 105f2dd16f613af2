import { makeEvent } from '../contracts/events.js';
import { conflict, notFound } from './errors.js';
import {
  type Activity,
  CONTACT_PROPERTIES,
  type ConsentRecord,
  type Contact,
  type ContactProperty,
  type CustomFields,
  type FieldValue,
  type Page,
} from './model.js';
import { CommitConflict, type Deps, type ListOptions, type Write } from './ports.js';
import { withOptimisticRetry } from './retry.js';
import { uniqueSorted } from './values.js';

export interface NewContact {
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | undefined;
  company?: string | undefined;
  source?: string | undefined;
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

export type ManualActivity = Pick<Activity, 'type' | 'body' | 'amount' | 'currency'> & {
  occurredAt?: string | undefined;
};

/** Builds the event metadata for one event of this operation. */
export function eventMeta(deps: Deps, now: Date) {
  return { eventId: deps.ids.next(), occurredAt: now.toISOString() };
}

function tagWrites(deps: Deps, contactId: string, tags: string[], now: Date): Write[] {
  return tags.flatMap((tag): Write[] => [
    { kind: 'addTag', contactId, tag, taggedAt: now.toISOString() },
    { kind: 'emit', event: makeEvent('ContactTagged', { contactId, tag }, eventMeta(deps, now)) },
  ]);
}

/** The writes that create a contact with its tags, its creation event and one event per tag. */
export function newContactWrites(
  deps: Deps,
  input: NewContact,
  now: Date,
): { contact: Contact; writes: Write[] } {
  const at = now.toISOString();
  const tags = uniqueSorted(input.tags ?? []);
  const contact: Contact = {
    id: deps.ids.next(),
    email: input.email,
    ...pickProperties(input),
    fields: input.fields ?? {},
    tags,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const writes: Write[] = [
    { kind: 'createContact', contact },
    {
      kind: 'emit',
      event: makeEvent(
        'ContactCreated',
        {
          contactId: contact.id,
          email: contact.email,
          ...(contact.source ? { source: contact.source } : {}),
        },
        eventMeta(deps, now),
      ),
    },
    ...tagWrites(deps, contact.id, tags, now),
  ];
  return { contact, writes };
}

/**
 * The writes that upsert a contact by email: create it, or fill only its blanks and add missing tags
 * (never overwriting what it has). One ContactTagged event per tag actually added.
 */
export function upsertContactWrites(
  deps: Deps,
  existing: Contact | undefined,
  input: NewContact,
  now: Date,
  consent?: ConsentRecord,
): { contactId: string; created: boolean; writes: Write[] } {
  const at = now.toISOString();
  if (!existing) {
    const created = newContactWrites(deps, input, now);
    if (consent) created.contact.consent = consent;
    return { contactId: created.contact.id, created: true, writes: created.writes };
  }
  const contactId = existing.id;
  const addTags = uniqueSorted(input.tags ?? []).filter((t) => !existing.tags.includes(t));
  return {
    contactId,
    created: false,
    writes: [
      {
        kind: 'mergeContact',
        contactId,
        fillBlanks: { ...pickProperties(input), fields: input.fields ?? {} },
        addTags,
        ...(consent ? { consent } : {}),
        updatedAt: at,
      },
      ...tagWrites(deps, contactId, addTags, now),
    ],
  };
}

function pickProperties(input: Partial<Record<ContactProperty, string | null | undefined>>) {
  const out: Partial<Record<ContactProperty, string>> = {};
  for (const key of CONTACT_PROPERTIES) {
    const value = input[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

async function emailTakenError(deps: Deps, email: string) {
  const existingId = await deps.store.findContactIdByEmail(email);
  return conflict('email_taken', `a contact with email ${email} already exists`, { existingId });
}

export async function createContact(deps: Deps, input: NewContact): Promise<Contact> {
  const existingId = await deps.store.findContactIdByEmail(input.email);
  if (existingId)
    throw conflict('email_taken', `a contact with email ${input.email} already exists`, { existingId });
  const { contact, writes } = newContactWrites(deps, input, deps.clock.now());
  try {
    await deps.store.commit(writes);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'createContact')
      throw await emailTakenError(deps, input.email);
    throw err;
  }
  return contact;
}

export async function getContact(deps: Deps, id: string): Promise<Contact> {
  const contact = await deps.store.getContact(id);
  if (!contact) throw notFound('contact', id);
  return contact;
}

export async function updateContact(deps: Deps, id: string, patch: ContactPatch): Promise<Contact> {
  const current = await getContact(deps, id);
  if (current.version !== patch.version) throw staleVersion(current);
  const now = deps.clock.now();
  const next: Contact = { ...current, fields: { ...current.fields } };
  const changed: string[] = [];
  if (patch.email !== undefined && patch.email !== current.email) {
    next.email = patch.email;
    changed.push('email');
  }
  for (const key of CONTACT_PROPERTIES) {
    const value = patch[key];
    if (value === undefined || value === (current[key] ?? null)) continue;
    if (value === null) delete next[key];
    else next[key] = value;
    changed.push(key);
  }
  for (const [key, value] of Object.entries(patch.fields ?? {})) {
    if (value === (current.fields[key] ?? null)) continue;
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
      { kind: 'emit', event: makeEvent('ContactUpdated', { contactId: id, changed }, eventMeta(deps, now)) },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    if (err.part === 'email') throw await emailTakenError(deps, next.email);
    const latest = await getContact(deps, id);
    throw staleVersion(latest);
  }
  return next;
}

function staleVersion(current: Contact) {
  return conflict(
    'version_conflict',
    `contact ${current.id} is at version ${current.version}; reload and retry`,
    {
      currentVersion: current.version,
    },
  );
}

export async function deleteContact(deps: Deps, id: string): Promise<void> {
  const contact = await getContact(deps, id);
  const now = deps.clock.now();
  await deps.store.deleteContact(contact, [
    makeEvent('ContactDeleted', { contactId: id, tags: contact.tags }, eventMeta(deps, now)),
  ]);
}

/** Adds tags; each tag not already on the contact is written and announced exactly once. */
export async function addTags(
  deps: Deps,
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

export async function removeTag(deps: Deps, id: string, tag: string): Promise<{ removed: boolean }> {
  const contact = await getContact(deps, id);
  if (!contact.tags.includes(tag)) return { removed: false };
  const now = deps.clock.now();
  try {
    await deps.store.commit([
      { kind: 'removeTag', contactId: id, tag, updatedAt: now.toISOString() },
      { kind: 'emit', event: makeEvent('ContactUntagged', { contactId: id, tag }, eventMeta(deps, now)) },
    ]);
  } catch (err) {
    // Someone else removed it between our read and our write: the end state is what was asked for.
    if (err instanceof CommitConflict && err.write.kind === 'removeTag') return { removed: false };
    throw err;
  }
  return { removed: true };
}

export async function recordActivity(
  deps: Deps,
  contactId: string,
  input: ManualActivity,
): Promise<Activity> {
  await getContact(deps, contactId);
  const now = deps.clock.now();
  const activity: Activity = {
    id: deps.ids.next(),
    contactId,
    type: input.type,
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    occurredAt: input.occurredAt ?? now.toISOString(),
    recordedAt: now.toISOString(),
  };
  try {
    await deps.store.commit([
      { kind: 'putActivity', activity, checkContact: true },
      {
        kind: 'emit',
        event: makeEvent(
          'ActivityRecorded',
          { contactId, activityId: activity.id, type: activity.type },
          eventMeta(deps, now),
        ),
      },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putActivity')
      throw notFound('contact', contactId);
    throw err;
  }
  return activity;
}

export async function listActivities(
  deps: Deps,
  contactId: string,
  options: ListOptions,
): Promise<Page<Activity>> {
  await getContact(deps, contactId);
  return deps.store.listActivities(contactId, options);
}

export interface ContactQuery extends ListOptions {
  tag?: string | undefined;
  email?: string | undefined;
}

export async function listContacts(deps: Deps, query: ContactQuery): Promise<Page<Contact>> {
  if (query.email !== undefined) {
    const id = await deps.store.findContactIdByEmail(query.email);
    const contact = id ? await deps.store.getContact(id) : undefined;
    return { items: contact ? [contact] : [] };
  }
  if (query.tag !== undefined) return deps.store.listContactsByTag(query.tag, query);
  return deps.store.listContacts(query);
}
