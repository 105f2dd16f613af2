/**
 * A contact's tasks: an index item per (contact, task) in the contact's partition, written in the same
 * transaction as the task (the `putTask` translator adds it when the task has a contact; a task's
 * contact never changes), read as one Query per contact and one BatchGet of the tasks. The contact's
 * erasure removes its items with its partition. Tasks created before this index had no item: the
 * reconciler's backfill (backfill.ts) writes theirs once.
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a task of the contact | `CONTACT#<contactId>` | `TASK#<taskId>` |
 */
import { contactPartition } from '#contacts/keys.js';
import { decode, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import type { Part } from '#platform/dynamo/unit-of-work.js';
import { type CrmTask, TaskSchema } from './model.js';

export interface ContactTaskReads {
  /** The contact's tasks (at most `limit` index items read), soonest due first. */
  listTasksOfContact(contactId: string, limit: number): Promise<CrmTask[]>;
}

const PREFIX = 'TASK#';
export const contactTaskKey = (contactId: string, taskId: string): Key => ({
  PK: contactPartition(contactId),
  SK: `${PREFIX}${taskId}`,
});

/** The index item of a contact's task. */
export const contactTaskItem = (contactId: string, taskId: string) => ({
  ...contactTaskKey(contactId, taskId),
  ...stamp('ContactTask'),
  taskId,
});

/** The index item of a task with a contact (none without one): idempotent, so every put may write it. */
export const contactTaskParts = (TableName: string, task: CrmTask): Part[] =>
  task.contactId ? [{ item: { Put: { TableName, Item: contactTaskItem(task.contactId, task.id) } } }] : [];

export function contactTaskReads(table: Table): ContactTaskReads {
  return {
    async listTasksOfContact(contactId, limit) {
      const page = await table.query({ partition: contactPartition(contactId), prefix: PREFIX }, { limit });
      const ids = [...new Set(page.items.map((item) => String(item.taskId)))];
      if (ids.length === 0) return [];
      // salesKeys.task (store-dynamo.ts imports this module, so the key is spelled here).
      const tasks = (await table.batchGet(ids.map((id) => ({ PK: `TASK#${id}`, SK: 'TASK' })))).map((item) =>
        decode(TaskSchema, item),
      );
      return tasks
        .filter((t) => t.contactId === contactId)
        .sort((a, b) => (a.dueAt === b.dueAt ? (a.id < b.id ? -1 : 1) : a.dueAt < b.dueAt ? -1 : 1));
    },
  };
}
