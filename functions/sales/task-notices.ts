/**
 * Emails to a task's owner: "assigned to you" when a task is given an owner (created with one, or
 * reassigned; its schedule fires a few seconds later), and "due now" when its reminder fires. Sent
 * once each through access/notices.ts (claim, send, record), to the owner's address in the users
 * directory; an owner who is not a user (free text written before owners were users) gets none.
 * Workflows' createTask steps go through createTask, so their owners are told the same way.
 */

import { type NoticeResult, notifyUser } from '#access/notices.js';
import type { AccessDeps } from '#access/store.js';
import type { UserDirectory } from '#access/users.js';
import type { Mailer } from '#messaging/mailer.js';
import { SYSTEM_EMAILS } from '#messaging/system-emails.js';
import { RetryableError } from '#platform/errors.js';
import type { CrmTask } from './model.js';
import type { SalesDeps } from './store.js';

export interface TaskNoticeContext {
  users: UserDirectory;
  mailer: Mailer;
  /** Where the admin UI is (links to the tasks screen). */
  publicUrl: string;
}

export interface AssignedAction {
  taskId: string;
  owner: string;
  version: number;
  /** When the schedule was made (just before the commit that assigns the task). */
  plannedAt: string;
}

/** How long a notice may find its task not yet committed (a slow commit) before taking it as failed. */
const COMMIT_GRACE_MS = 5 * 60_000;

const when = (iso: string) => new Date(iso).toUTCString().replace(':00 GMT', ' UTC');

function lines(task: CrmTask, publicUrl: string): string {
  return [
    `Due: ${when(task.dueAt)}`,
    ...(task.notes ? [`Notes: ${task.notes}`] : []),
    '',
    `Your tasks: ${publicUrl}/#/tasks`,
  ].join('\n');
}

async function send(
  access: AccessDeps,
  ctx: TaskNoticeContext,
  task: CrmTask,
  key: string,
  what: 'assigned' | 'due',
): Promise<NoticeResult | 'skipped: the owner is not a user'> {
  const user = task.owner ? await ctx.users.get(task.owner) : undefined;
  if (!user) return 'skipped: the owner is not a user';
  return notifyUser(access, ctx.mailer, {
    key,
    to: user,
    subject: what === 'assigned' ? `Task assigned to you: ${task.title}` : `Task due: ${task.title}`,
    text: `${what === 'assigned' ? 'A task is now yours' : 'A task of yours is due'}: ${task.title}\n${lines(task, ctx.publicUrl)}\n`,
    tags: {
      taskId: task.id,
      templateId: what === 'assigned' ? SYSTEM_EMAILS.taskAssigned : SYSTEM_EMAILS.taskDue,
    },
  });
}

/** The "assigned to you" email, if the task is still that owner's and open. */
export async function fireAssignedNotice(
  sales: SalesDeps,
  access: AccessDeps,
  ctx: TaskNoticeContext,
  action: AssignedAction,
): Promise<string> {
  const task = await sales.store.getTask(action.taskId);
  if (!task || task.version < action.version) {
    // Scheduled just before the commit: it may fire before the commit lands.
    if (sales.clock.now().getTime() - Date.parse(action.plannedAt) < COMMIT_GRACE_MS)
      throw new RetryableError(`task ${action.taskId}: its assignment is not committed yet`);
    return 'ignored: the assignment was never committed';
  }
  if (task.owner !== action.owner) return 'ignored: reassigned since';
  if (task.status !== 'open') return 'ignored: task done';
  const outcome = await send(access, ctx, task, `task.${task.id}.assigned.${action.version}`, 'assigned');
  return `assigned notice: ${outcome}`;
}

/** The "due" email of a reminder that fired (after fireTaskReminder), if the task is still due then. */
export async function remindOwner(
  sales: SalesDeps,
  access: AccessDeps,
  ctx: TaskNoticeContext,
  taskId: string,
  dueAt: string,
): Promise<string> {
  const task = await sales.store.getTask(taskId);
  if (task?.status !== 'open' || task.dueAt !== dueAt || !task.owner) return 'no due notice';
  const outcome = await send(access, ctx, task, `task.${task.id}.due.${Date.parse(dueAt) / 1000}`, 'due');
  return `due notice: ${outcome}`;
}
