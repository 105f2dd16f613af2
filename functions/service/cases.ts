/**
 * Cases: opening one for a contact (matched, or created, by email), reading it with its thread,
 * the queues (by status, by assignee), and an agent's changes (status, priority, assignee, tags).
 * Every change is one transaction with its events; resolving announces CaseResolved.
 */
import type { UserDirectory } from '#access/users.js';
import { systemActivity } from '#contacts/model.js';
import { upsertContactWrites } from '#contacts/rules.js';
import { notFound, staleVersion } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import type { Scheduler } from '#platform/scheduler.js';
import { type Emit, emit, type ListOptions, type Page } from '#platform/store.js';
import { normalizeEmail, uniqueSorted } from '#platform/values.js';
import type { Case, CaseChannel, CaseMessage, CasePatch, CasePriority, CaseStatus } from './model.js';
import { commitWithSla } from './sla.js';
import type { CaseQuery, ServiceDeps, ServiceWrite } from './store.js';

/** The most messages a case's page shows (its latest). */
export const THREAD_LIMIT = 500;

/** What every case event says of its case. */
export const caseEventBase = (c: Pick<Case, 'id' | 'contactId' | 'priority' | 'assignee' | 'createdAt'>) => ({
  caseId: c.id,
  contactId: c.contactId,
  priority: c.priority,
  openedAt: c.createdAt,
  ...(c.assignee ? { assignee: c.assignee } : {}),
});

/** Whether the case's SLA target was missed (its breach recorded) before now: a late answer. */
export const missed = (c: Pick<Case, 'sla'>, target: 'first_response' | 'resolution') =>
  c.sla?.breached.includes(target) ?? false;

/** The case's reference: the last 8 characters of its id (its random part), shown as `[#K7Q2M9XA]`. */
export const refOf = (id: string) => id.slice(-8);
export const subjectTag = (c: Pick<Case, 'ref'>) => `[#${c.ref}]`;
const REF_IN_SUBJECT = /\[#([0-9A-HJKMNP-TV-Z]{8})\]/i;
/** The reference a subject carries (a reply to one of the case's emails), upper-cased. */
export const refInSubject = (subject: string) => REF_IN_SUBJECT.exec(subject)?.[1]?.toUpperCase();

export interface Opening {
  subject: string;
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  priority: CasePriority;
  channel: CaseChannel;
  assignee?: string | undefined;
  tags: string[];
  flagged?: Case['flagged'];
  /** The first message (the customer's words), without its ids. */
  message: Omit<CaseMessage, 'id' | 'caseId' | 'at'>;
  /** Email ids replies to the first message will quote. */
  emailIds?: string[];
  /** Written in the same transaction (an inbound email's claim). */
  extra?: (caseId: string) => ServiceWrite[];
  /** Where its SLA timers are scheduled (none: no SLA kept). */
  scheduler?: Scheduler | undefined;
  /** The contact wrote in by email (a person, not a machine): workflows with the `emailReplied` goal end. */
  replied?: boolean;
}

/** Opens a case and its first message, on the contact with that email (created when unknown). */
export async function openCase(deps: ServiceDeps, opening: Opening): Promise<Case> {
  return withOptimisticRetry(
    () => commitOpening(deps, opening),
    // Another case took the same reference (8 random characters: rare), or the contact was created
    // meanwhile: read again, with a new id. An inbound email taken in already is its caller's.
    (c) => c.part !== 'duplicate',
  );
}

async function commitOpening(deps: ServiceDeps, opening: Opening): Promise<Case> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const email = normalizeEmail(opening.email);
  const existingId = await deps.store.findContactIdByEmail(email);
  const existing = existingId ? await deps.store.getContact(existingId) : undefined;
  const suppression = existing ? undefined : await deps.store.getSuppression(email);
  const { contactId, writes } = upsertContactWrites(
    deps,
    existing,
    {
      email,
      ...(opening.firstName ? { firstName: opening.firstName } : {}),
      ...(opening.lastName ? { lastName: opening.lastName } : {}),
      source: `case:${opening.channel}`,
    },
    now,
    undefined,
    suppression,
  );
  const id = deps.ids.next();
  const c: Case = {
    id,
    ref: refOf(id),
    subject: opening.subject,
    status: 'new',
    priority: opening.priority,
    channel: opening.channel,
    contactId,
    email,
    ...(opening.assignee ? { assignee: opening.assignee } : {}),
    tags: uniqueSorted(opening.tags),
    messageCount: 1,
    lastMessageFrom: 'in',
    lastMessageAt: at,
    ...(opening.flagged ? { flagged: opening.flagged } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const message: CaseMessage = { ...opening.message, id: deps.ids.next(), caseId: id, at };
  return commitWithSla(deps, opening.scheduler, undefined, c, now, (opened) => [
    ...writes,
    { kind: 'openCase', case: opened },
    { kind: 'addCaseMessage', message, emailIds: opening.emailIds ?? [] },
    {
      kind: 'putActivity',
      activity: systemActivity(deps, contactId, 'case', `Opened case ${subjectTag(c)} "${c.subject}"`, at, {
        caseId: id,
      }),
      checkContact: false,
    },
    emit(deps, now, 'CaseCreated', { ...caseEventBase(c), channel: c.channel }),
    ...(opening.replied ? [{ kind: 'markReplied' as const, contactId, at }] : []),
    ...(opening.extra?.(id) ?? []),
  ]);
}

export async function getCase(deps: ServiceDeps, id: string): Promise<Case> {
  const c = await deps.store.getCase(id);
  if (!c) throw notFound('case', id);
  return c;
}

/** The case's assignee as people read it: a user's name, else (text from before users) the text itself. */
export async function assigneeName(
  deps: ServiceDeps,
  users: Pick<UserDirectory, 'get'>,
  caseId: string,
): Promise<string | undefined> {
  const c = await getCase(deps, caseId);
  if (!c.assignee) return undefined;
  return (await users.get(c.assignee))?.name ?? c.assignee;
}

export async function viewCase(deps: ServiceDeps, id: string) {
  const [c, messages] = await Promise.all([getCase(deps, id), deps.store.listCaseMessages(id, THREAD_LIMIT)]);
  return { case: c, messages };
}

export const listCases = (deps: ServiceDeps, query: CaseQuery): Promise<Page<Case>> =>
  deps.store.listCases(query);

/**
 * `moved` (the case as read, `current`, perhaps with a new status) with one more message written at
 * `at`: by the customer (`in`) or an agent (`out`); a note or automatic mail is neither's last word.
 */
export const withMessage = (current: Case, moved: Case, at: string, from?: 'in' | 'out'): Case => ({
  ...moved,
  messageCount: current.messageCount + 1,
  ...(from ? { lastMessageFrom: from, lastMessageAt: at } : {}),
  version: current.version + 1,
  updatedAt: at,
});

/** A contact's cases (a 404 for a contact that does not exist). */
export async function listContactCases(deps: ServiceDeps, contactId: string, options: ListOptions) {
  if (!(await deps.store.getContact(contactId))) throw notFound('contact', contactId);
  return deps.store.listContactCases(contactId, options);
}

/**
 * The case moved to `to` at `now`: its new fields and the events that announce the move (none when
 * it stays). Resolving stamps `resolvedAt`; reopening clears it.
 */
export function moveStatus(
  deps: ServiceDeps,
  c: Case,
  to: CaseStatus,
  now: Date,
): { case: Case; events: Emit[] } {
  if (c.status === to) return { case: c, events: [] };
  const at = now.toISOString();
  const base = caseEventBase(c);
  const { resolvedAt: _, ...rest } = c;
  const moved: Case =
    to === 'resolved'
      ? { ...c, status: to, resolvedAt: at }
      : to === 'closed'
        ? { ...c, status: to }
        : { ...rest, status: to };
  return {
    case: moved,
    events: [
      emit(deps, now, 'CaseStatusChanged', { ...base, from: c.status, to }),
      ...(to === 'resolved'
        ? [emit(deps, now, 'CaseResolved', { ...base, late: missed(c, 'resolution') })]
        : []),
    ],
  };
}

/**
 * Who an assignment names, as it is stored: a user's id. The API passes the users check
 * (`resolveOwner` of access/users.ts: a user's id, or a user's email taken as them; anything else a
 * 400 `invalid_reference` on `assignee`, before anything is written).
 */
export type AssigneeOf = (assignee: string) => Promise<string>;

/**
 * An agent's change of status, priority, assignee or tags (409 when `expectedVersion` is stale). A
 * new assignee goes through `assigneeOf`; the one the case has is kept as it is (text written before
 * assignees were users included).
 */
export async function updateCase(
  deps: ServiceDeps,
  id: string,
  given: CasePatch,
  scheduler?: Scheduler,
  assigneeOf: AssigneeOf = async (assignee) => assignee,
): Promise<Case> {
  const resolved = new Map<string, string>();
  return withOptimisticRetry(
    async () => {
      const current = await getCase(deps, id);
      if (given.expectedVersion !== undefined && given.expectedVersion !== current.version)
        throw staleVersion('case', id, current.version);
      let patch = given;
      if (typeof given.assignee === 'string' && given.assignee !== current.assignee) {
        const assignee = resolved.get(given.assignee) ?? (await assigneeOf(given.assignee));
        resolved.set(given.assignee, assignee);
        patch = { ...given, assignee };
      }
      const now = deps.clock.now();
      let next: Case = current;
      if (patch.priority) next = { ...next, priority: patch.priority };
      if (patch.tags) next = { ...next, tags: uniqueSorted(patch.tags) };
      // The status moves first (announced with the agent the case had), then the agent changes
      // (announced with the new status): a consumer applying the two in any order agrees.
      const statusMoved = patch.status
        ? moveStatus(deps, next, patch.status, now)
        : { case: next, events: [] };
      const { assignee: _, ...unassigned } = statusMoved.case;
      next =
        patch.assignee === null
          ? unassigned
          : patch.assignee !== undefined
            ? { ...statusMoved.case, assignee: patch.assignee }
            : statusMoved.case;
      const moved = { case: next, events: statusMoved.events };
      const reassigned =
        (current.assignee ?? '') !== (next.assignee ?? '')
          ? [
              emit(deps, now, 'CaseAssigned', {
                ...caseEventBase(moved.case),
                status: moved.case.status,
                ...(current.assignee ? { from: current.assignee } : {}),
                ...(next.assignee ? { to: next.assignee } : {}),
              }),
            ]
          : [];
      return commitWithSla(
        deps,
        scheduler,
        current,
        { ...moved.case, version: current.version + 1, updatedAt: now.toISOString() },
        now,
        (saved) => [
          { kind: 'putCase', case: saved, expectedVersion: current.version },
          ...moved.events,
          ...reassigned,
        ],
      );
    },
    // A concurrent change is read again (a version the client named is then found stale: 409).
    (c) => c.part === 'version',
  );
}
