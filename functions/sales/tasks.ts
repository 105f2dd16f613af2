/**
 * Follow-up tasks. A task due in the future gets a one-time reminder schedule named after its due
 * time; moving the due time replaces the schedule, completing the task cancels it. The reminder
 * checks, when it fires, that the task is still open and still due at that time. Giving a task an
 * owner (creating it with one, or reassigning it) schedules the owner's email a few seconds out,
 * named after the task's version (task-notices.ts sends it, and the reminder's, once).
 */
import { systemActivity } from '#contacts/model.js';
import { conflict, invalidReference, notFound } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict, emit, type Page } from '#platform/store.js';
import type { CrmTask, TaskStatus } from './model.js';
import type { SalesDeps, SalesWrite, TaskQuery } from './store.js';

export interface NewTask {
  title: string;
  dueAt: string;
  contactId?: string | undefined;
  dealId?: string | undefined;
  owner?: string | undefined;
  notes?: string | undefined;
}

export interface TaskPatch {
  version: number;
  title?: string | undefined;
  dueAt?: string | undefined;
  status?: TaskStatus | undefined;
  owner?: string | null | undefined;
  notes?: string | null | undefined;
}

/** The owner's "assigned to you" email is scheduled this soon: a schedule is never in the past. */
export const ASSIGNED_NOTICE_DELAY_MS = 15_000;

/** The schedule of the email telling `task`'s owner it is theirs (one per version that assigned it). */
export const assignedNotice = (task: CrmTask, now: Date) => ({
  name: `task-${task.id}-assigned-${task.version}`.slice(0, 64),
  at: new Date(now.getTime() + ASSIGNED_NOTICE_DELAY_MS),
  action: {
    kind: 'taskAssigned' as const,
    taskId: task.id,
    owner: task.owner ?? '',
    version: task.version,
    plannedAt: now.toISOString(),
  },
});

/** Schedule names are unique per task and due time (EventBridge Scheduler: [0-9A-Za-z._-]{1,64}). */
export const reminderName = (task: Pick<CrmTask, 'id' | 'dueAt'>) =>
  `task-${task.id}-${Math.floor(Date.parse(task.dueAt) / 1000)}`.slice(0, 64);

const needsReminder = (task: CrmTask, now: Date) =>
  task.status === 'open' && !task.remindedAt && Date.parse(task.dueAt) > now.getTime();

async function checkReferences(
  deps: SalesDeps,
  input: { contactId?: string | undefined; dealId?: string | undefined },
) {
  const [contact, deal] = await Promise.all([
    input.contactId ? deps.store.getContact(input.contactId) : undefined,
    input.dealId ? deps.store.getDeal(input.dealId) : undefined,
  ]);
  if (input.contactId && !contact) throw invalidReference('contactId', 'contact', input.contactId);
  if (input.dealId && !deal) throw invalidReference('dealId', 'deal', input.dealId);
}

/**
 * Creates a task and its reminder. With `options.id` the call is idempotent (workflow steps retry):
 * the reminder is created under a deterministic name first, then the task; a second create is a no-op.
 */
export async function createTask(
  deps: SalesDeps,
  scheduler: Scheduler,
  input: NewTask,
  options: { id?: string; source?: CrmTask['source'] } = {},
): Promise<CrmTask> {
  await checkReferences(deps, input);
  const now = deps.clock.now();
  const at = now.toISOString();
  const task: CrmTask = {
    id: options.id ?? deps.ids.next(),
    title: input.title,
    dueAt: new Date(input.dueAt).toISOString(),
    status: 'open',
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(input.dealId ? { dealId: input.dealId } : {}),
    ...(input.owner ? { owner: input.owner } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
    ...(options.source ? { source: options.source } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const remind = needsReminder(task, now);
  if (remind) {
    await scheduler.scheduleOnce(reminderName(task), new Date(task.dueAt), {
      kind: 'taskReminder',
      taskId: task.id,
      dueAt: task.dueAt,
    });
  }
  const notice = task.owner ? assignedNotice(task, now) : undefined;
  if (notice) await scheduler.scheduleOnce(notice.name, notice.at, notice.action);
  try {
    await deps.store.commit([
      { kind: 'putTask', task },
      emit(deps, now, 'TaskCreated', {
        taskId: task.id,
        dueAt: task.dueAt,
        ...(task.contactId ? { contactId: task.contactId } : {}),
        ...(task.owner ? { owner: task.owner } : {}),
      }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && options.id) return (await deps.store.getTask(options.id)) ?? task;
    if (remind) await scheduler.cancel(reminderName(task));
    if (notice) await scheduler.cancel(notice.name);
    throw err;
  }
  return task;
}

export async function getTask(deps: SalesDeps, id: string): Promise<CrmTask> {
  const task = await deps.store.getTask(id);
  if (!task) throw notFound('task', id);
  return task;
}

export const listTasks = (deps: SalesDeps, query: TaskQuery): Promise<Page<CrmTask>> =>
  deps.store.listTasks(query);

/**
 * Edits, completes or reopens a task (optimistic concurrency on `version`), keeping its reminder in
 * step. A new owner goes through `ownerOf` (the users check: a user's id, else 400); an unchanged
 * one is kept as it is (a free-text owner written before owners were users included).
 */
export async function updateTask(
  deps: SalesDeps,
  scheduler: Scheduler,
  id: string,
  patch: TaskPatch,
  ownerOf: (owner: string) => Promise<string> = async (owner) => owner,
): Promise<CrmTask> {
  const current = await getTask(deps, id);
  if (current.version !== patch.version) throw staleTask(current);
  if (typeof patch.owner === 'string' && patch.owner !== current.owner)
    patch = { ...patch, owner: await ownerOf(patch.owner) };
  const now = deps.clock.now();
  const at = now.toISOString();
  const next: CrmTask = { ...current };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.dueAt !== undefined && Date.parse(patch.dueAt) !== Date.parse(current.dueAt)) {
    next.dueAt = new Date(patch.dueAt).toISOString();
    delete next.remindedAt;
  }
  if (patch.owner === null) delete next.owner;
  else if (patch.owner !== undefined) next.owner = patch.owner;
  if (patch.notes === null || patch.notes === '') delete next.notes;
  else if (patch.notes !== undefined) next.notes = patch.notes;
  if (patch.status !== undefined && patch.status !== current.status) {
    next.status = patch.status;
    if (patch.status === 'done') next.completedAt = at;
    else delete next.completedAt;
  }
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  next.version = current.version + 1;
  next.updatedAt = at;

  const before = needsReminder(current, now) ? reminderName(current) : undefined;
  const after = needsReminder(next, now) ? reminderName(next) : undefined;
  if (after && after !== before) {
    await scheduler.scheduleOnce(after, new Date(next.dueAt), {
      kind: 'taskReminder',
      taskId: id,
      dueAt: next.dueAt,
    });
  }
  // Reassigned (to someone): the new owner is told.
  const notice =
    next.owner && next.owner !== current.owner && next.status === 'open'
      ? assignedNotice(next, now)
      : undefined;
  if (notice) await scheduler.scheduleOnce(notice.name, notice.at, notice.action);
  const writes: SalesWrite[] = [{ kind: 'putTask', task: next, expectedVersion: current.version }];
  if (next.status === 'done' && current.status !== 'done') {
    writes.push(
      emit(deps, now, 'TaskCompleted', {
        taskId: id,
        ...(next.contactId ? { contactId: next.contactId } : {}),
      }),
    );
  }
  try {
    await deps.store.commit(writes);
  } catch (err) {
    if (after && after !== before) await scheduler.cancel(after);
    if (notice) await scheduler.cancel(notice.name);
    if (err instanceof CommitConflict) throw staleTask(await getTask(deps, id));
    throw err;
  }
  // A stale reminder would be ignored when it fires; deleting it keeps the schedule group tidy.
  if (before && before !== after) await scheduler.cancel(before);
  return next;
}

const staleTask = (current: CrmTask) =>
  conflict(
    'version_conflict',
    `task "${current.title}" was changed by someone else since you read it (it is now at version ${current.version}); reload it and make your change again`,
    { currentVersion: current.version },
  );

/**
 * The reminder schedule fired: if the task is still open and due at that time, mark it reminded,
 * note it on the contact's timeline and announce TaskDue. Idempotent: a repeated firing is ignored.
 */
export async function fireTaskReminder(deps: SalesDeps, taskId: string, dueAt: string): Promise<string> {
  return withOptimisticRetry(
    async () => {
      const task = await deps.store.getTask(taskId);
      if (!task) return 'ignored: task deleted';
      if (task.status !== 'open') return 'ignored: task done';
      if (task.dueAt !== dueAt) return 'ignored: task rescheduled';
      if (task.remindedAt) return 'ignored: already reminded';
      const now = deps.clock.now();
      const at = now.toISOString();
      const contact = task.contactId ? await deps.store.getContact(task.contactId) : undefined;
      const writes: SalesWrite[] = [
        {
          kind: 'putTask',
          task: { ...task, remindedAt: at, version: task.version + 1, updatedAt: at },
          expectedVersion: task.version,
        },
        emit(deps, now, 'TaskDue', {
          taskId,
          title: task.title,
          dueAt: task.dueAt,
          ...(task.contactId ? { contactId: task.contactId } : {}),
          ...(task.owner ? { owner: task.owner } : {}),
        }),
      ];
      if (contact) {
        const activity = systemActivity(deps, contact.id, 'task_due', `Task due: ${task.title}`, at, {
          taskId,
          dueAt: task.dueAt,
          ...(task.owner ? { owner: task.owner } : {}),
        });
        writes.push({ kind: 'putActivity', activity, checkContact: true });
      }
      await deps.store.commit(writes);
      return 'reminded';
    },
    () => true,
    5,
  );
}
