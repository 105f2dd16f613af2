/**
 * Case assignees are users, on DynamoDB Local: a user's id (or email, taken as them) is stored as
 * the id and found in that agent's queue; anyone else is a 400 `invalid_reference` with nothing
 * written; a case assigned before assignees were users keeps its text, readable and listed, until it
 * is reassigned; the case's assignee as people read it (a canned response's `{{ agent }}`).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { User } from '#access/model.js';
import { resolveOwner, type UserDirectory } from '#access/users.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { assigneeName, listCases, openCase, updateCase, viewCase } from '#service/cases.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
const grace: User = { id: 'user-grace', name: 'Grace Hopper', email: 'Grace@Example.com' };
const ana: User = { id: 'user-ana', name: 'Ana Agent', email: 'ana@example.com' };
const users: UserDirectory = {
  list: async () => [ana, grace],
  get: async (id) => [ana, grace].find((u) => u.id === id),
  add: async () => {
    throw new Error('not here');
  },
};
/** The API's check (cases-api). */
const assigneeOf = (assignee: string) => resolveOwner(users, assignee, 'assignee');
const refusedAsUnknown = (err: unknown) => {
  assert.ok(err instanceof DomainError);
  assert.equal(STATUS_OF[err.kind], 400);
  assert.equal(err.code, 'invalid_reference');
  assert.deepEqual(
    (err.details as Array<{ path: string }>).map((d) => d.path),
    ['assignee'],
  );
  return true;
};
let n = 0;
const open = () =>
  openCase(t.deps, {
    subject: `Question ${++n}`,
    email: `customer${n}@example.com`,
    priority: 'normal',
    channel: 'api',
    tags: [],
    message: { kind: 'inbound', text: 'Hello', attachments: [] },
  });
const assignedEvents = async (caseId: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === 'CaseAssigned' && e.detail.caseId === caseId);

before(async () => {
  t = await createTestTable();
});

describe('case assignees', () => {
  it('stores a user by id (an email of a user is taken as them) and lists the case in their queue', async () => {
    const c = await open();
    const byEmail = await updateCase(t.deps, c.id, { assignee: 'grace@example.com' }, undefined, assigneeOf);
    assert.equal(byEmail.assignee, grace.id);
    assert.deepEqual(
      (await listCases(t.deps, { assignee: grace.id, limit: 10 })).items.map((x) => x.id),
      [c.id],
    );
    const byId = await updateCase(t.deps, c.id, { assignee: ana.id }, undefined, assigneeOf);
    assert.equal(byId.assignee, ana.id);
    assert.equal((await listCases(t.deps, { assignee: grace.id, limit: 10 })).items.length, 0);
    assert.equal(await assigneeName(t.deps, users, c.id), 'Ana Agent');
    const events = await assignedEvents(c.id);
    assert.deepEqual(
      events.map((e) => [e.detail.from, e.detail.to]),
      [
        [undefined, grace.id],
        [grace.id, ana.id],
      ],
    );
    const none = await updateCase(t.deps, c.id, { assignee: null }, undefined, assigneeOf);
    assert.equal(none.assignee, undefined);
    assert.ok(
      (await listCases(t.deps, { assignee: 'unassigned', limit: 100 })).items.some((x) => x.id === c.id),
    );
    assert.equal(await assigneeName(t.deps, users, c.id), undefined);
  });

  it('refuses someone who is not a user with a 400, and writes nothing', async () => {
    const c = await open();
    const before = await t.items();
    for (const stranger of ['Grace', 'nobody@example.com', 'user-gone'])
      await assert.rejects(
        updateCase(
          t.deps,
          c.id,
          { assignee: stranger, status: 'open', priority: 'high', expectedVersion: c.version },
          undefined,
          assigneeOf,
        ),
        refusedAsUnknown,
      );
    assert.deepEqual(await t.items(), before, 'not a single item changed');
    const after = (await viewCase(t.deps, c.id)).case;
    assert.deepEqual(
      [after.version, after.status, after.priority, after.assignee],
      [1, 'new', 'normal', undefined],
    );
  });

  it('keeps a case assigned before assignees were users readable and listed until it is reassigned', async () => {
    const c = await open();
    // As written before: free text, no check.
    const legacy = { ...c, assignee: 'Old Desk', version: c.version + 1 };
    await t.deps.store.commit([{ kind: 'putCase', case: legacy, expectedVersion: c.version }]);
    assert.equal((await viewCase(t.deps, c.id)).case.assignee, 'Old Desk');
    assert.deepEqual(
      (await listCases(t.deps, { assignee: 'old desk', limit: 10 })).items.map((x) => x.id),
      [c.id],
    );
    assert.equal(await assigneeName(t.deps, users, c.id), 'Old Desk');
    // Other changes (and the same text sent back) keep it without asking the users directory.
    const never = async (a: string): Promise<string> => assert.fail(`checked ${a}`);
    const moved = await updateCase(
      t.deps,
      c.id,
      { priority: 'high', assignee: 'Old Desk' },
      undefined,
      never,
    );
    assert.deepEqual([moved.priority, moved.assignee], ['high', 'Old Desk']);
    // Reassigned: to a user only.
    await assert.rejects(
      updateCase(t.deps, c.id, { assignee: 'New Desk' }, undefined, assigneeOf),
      refusedAsUnknown,
    );
    const reassigned = await updateCase(t.deps, c.id, { assignee: grace.id }, undefined, assigneeOf);
    assert.equal(reassigned.assignee, grace.id);
    assert.equal((await listCases(t.deps, { assignee: 'old desk', limit: 10 })).items.length, 0);
  });
});
