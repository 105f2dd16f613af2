/**
 * A workflow's `updateField` step: sets a text property or a custom field of the contact (null
 * clears it) as an edit in the UI would — typed by the field's definition, with `ContactUpdated` —
 * at the version it reads, again if someone else changed the contact meanwhile. Setting the value
 * it already has changes nothing, so a retried step is harmless.
 */
import type { Contact, FieldValue } from '#contacts/model.js';
import { type ContactPatch, getContact, updateContact } from '#contacts/rules.js';
import type { ContactsDeps } from '#contacts/store.js';
import { DomainError } from '#platform/errors.js';
import { isWorkflowProperty } from './language.js';

const ATTEMPTS = 5;

export async function setField(
  deps: ContactsDeps,
  read: Contact,
  field: string,
  value: FieldValue | null,
): Promise<Contact> {
  let contact = read;
  for (let attempt = 1; ; attempt++) {
    const patch: ContactPatch = isWorkflowProperty(field)
      ? { version: contact.version, [field]: value === null ? null : String(value) }
      : { version: contact.version, fields: { [field]: value } };
    try {
      return await updateContact(deps, contact.id, patch);
    } catch (err) {
      const stale = err instanceof DomainError && err.code === 'version_conflict';
      if (!stale || attempt >= ATTEMPTS) throw err;
      contact = await getContact(deps, contact.id);
    }
  }
}
