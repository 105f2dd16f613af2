/**
 * Whether a workflow condition holds for a contact. Tags and fields are read off the contact; an
 * email's opens and clicks are asked of `email` (the enrollment's sends when a step runs, what the
 * marketer assumed in a dry run).
 */
import { matchesComparison } from '#contacts/fields.js';
import type { Contact } from '#contacts/model.js';
import type { Condition } from './language.js';

export type EmailCheck = (kind: 'opened' | 'clicked', step: string) => Promise<boolean> | boolean;

export async function conditionHolds(
  contact: Pick<Contact, 'tags' | 'fields'>,
  c: Condition,
  email: EmailCheck,
): Promise<boolean> {
  if ('hasTag' in c) return contact.tags.includes(c.hasTag);
  if ('all' in c) {
    for (const sub of c.all) if (!(await conditionHolds(contact, sub, email))) return false;
    return true;
  }
  if ('any' in c) {
    for (const sub of c.any) if (await conditionHolds(contact, sub, email)) return true;
    return false;
  }
  if ('not' in c) return !(await conditionHolds(contact, c.not, email));
  if ('emailOpened' in c) return email('opened', c.emailOpened.step);
  if ('emailClicked' in c) return email('clicked', c.emailClicked.step);
  return matchesComparison(contact.fields, c);
}
