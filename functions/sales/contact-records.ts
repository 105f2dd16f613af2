/** A contact's deals and tasks, read for its page (a contact that does not exist is a 404). */
import type { ContactsReads } from '#contacts/store.js';
import { notFound } from '#platform/errors.js';
import type { ContactDealReads } from './contact-deals.js';
import type { ContactTaskReads } from './contact-tasks.js';
import type { CrmTask, Deal, TaskStatus } from './model.js';

export const CONTACT_DEALS_LIMIT = 50;
export const CONTACT_TASKS_LIMIT = 100;

type Reads = Pick<ContactsReads, 'getContact'>;

async function mustExist(store: Reads, contactId: string) {
  if (!(await store.getContact(contactId))) throw notFound('contact', contactId);
}

export async function dealsOfContact(
  deps: { store: Reads & ContactDealReads },
  contactId: string,
): Promise<{ items: Deal[] }> {
  await mustExist(deps.store, contactId);
  return { items: await deps.store.listDealsOfContacts([contactId], CONTACT_DEALS_LIMIT) };
}

export async function tasksOfContact(
  deps: { store: Reads & ContactTaskReads },
  contactId: string,
  status: TaskStatus,
): Promise<{ items: CrmTask[] }> {
  await mustExist(deps.store, contactId);
  const tasks = await deps.store.listTasksOfContact(contactId, CONTACT_TASKS_LIMIT);
  return { items: tasks.filter((t) => t.status === status) };
}
