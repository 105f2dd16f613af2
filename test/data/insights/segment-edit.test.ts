/**
 * Editing and deleting segments on DynamoDB Local: an edit of a tracked segment's conditions moves
 * its members out (SegmentLeft) and the contacts that now match, and did not before, in
 * (SegmentEntered), once however often it is delivered; an edit or delete at another version is a
 * 409; a segment an active workflow is triggered by is not deleted (segment_in_use, naming it); a
 * deleted segment leaves no item behind (its membership records are dropped, page by page).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as workflows from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import { updateMemberships } from '#insights/membership.js';
import { dropSegmentMemberships, rematchSegment } from '#insights/segment-rematch.js';
import { createSegment, getSegment } from '#insights/segments.js';
import { deleteSegment, updateSegment } from '#insights/segments-edit.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

const membershipEvents = async (t: TestTable, segmentId: string) =>
  (await outboxEvents(t))
    .filter(
      (e) =>
        (e.detailType === 'SegmentEntered' || e.detailType === 'SegmentLeft') &&
        e.detail.segmentId === segmentId,
    )
    .map((e) => `${e.detailType} ${String(e.detail.contactId)}`);

/** The previous conditions the last SegmentChanged of the segment carries (what the consumer is given). */
const lastChange = async (t: TestTable, segmentId: string) =>
  (await outboxEvents(t))
    .filter((e) => e.detailType === 'SegmentChanged' && e.detail.segmentId === segmentId)
    .at(-1)?.detail;

const isConflict = (code: string) => (e: unknown) =>
  e instanceof DomainError && e.kind === 'conflict' && e.code === code;

describe('segment edit and delete', () => {
  it('moves members out and newly matching contacts in when the conditions change', async () => {
    const t = await createTestTable();
    const engine = new RecordingEngine();
    const pros = await createSegment(t.deps, {
      name: 'Pros',
      filter: { fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
    });
    const ada = await contacts.createContact(t.deps, { email: 'ada@example.com', fields: { plan: 'pro' } });
    const bob = await contacts.createContact(t.deps, { email: 'bob@example.com', fields: { plan: 'basic' } });
    const cy = await contacts.createContact(t.deps, { email: 'cy@example.com', fields: { plan: 'pro' } });
    await workflowKit(t, engine).publishedWorkflow({
      name: 'Pro onboarding',
      trigger: { type: 'segmentEntered', segmentId: pros.id },
      steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
    });
    // Ada is recorded (she changed while the segment was tracked); Cy matches but is not recorded yet.
    assert.deepEqual(await updateMemberships(t.deps, ada.id), { entered: [pros.id], left: [] });

    // Any plan: Bob now matches and did not before: he enters. Cy matched before: left as creation leaves him.
    const wider = await updateSegment(t.deps, pros.id, {
      version: 1,
      name: 'Has a plan',
      filter: { fields: [{ field: 'plan', op: 'exists' }] },
    });
    assert.equal(wider.version, 2);
    assert.equal((await getSegment(t.deps, pros.id)).name, 'Has a plan');
    const changed = await lastChange(t, pros.id);
    assert.deepEqual(changed?.previousFilter, { fields: [{ field: 'plan', op: 'eq', value: 'pro' }] });
    assert.equal(changed?.segmentVersion, 2);
    assert.deepEqual(await rematchSegment(t.deps, pros.id, changed?.previousFilter), {
      entered: [bob.id],
      left: [],
    });

    // Basic only: Ada no longer matches and leaves; Bob stays; Cy (not recorded) is not announced.
    await updateSegment(t.deps, pros.id, {
      version: 2,
      filter: { fields: [{ field: 'plan', op: 'eq', value: 'basic' }] },
    });
    const narrower = await lastChange(t, pros.id);
    assert.deepEqual(await rematchSegment(t.deps, pros.id, narrower?.previousFilter), {
      entered: [],
      left: [ada.id],
    });
    // Delivered again: nothing is announced twice.
    assert.deepEqual(await rematchSegment(t.deps, pros.id, narrower?.previousFilter), {
      entered: [],
      left: [],
    });
    assert.deepEqual(await membershipEvents(t, pros.id), [
      `SegmentEntered ${ada.id}`,
      `SegmentEntered ${bob.id}`,
      `SegmentLeft ${ada.id}`,
    ]);
    // The recorded members are those the conditions match: Bob only (Cy's plan is pro).
    assert.deepEqual(await t.deps.store.getSegmentMemberships(bob.id), [pros.id]);
    assert.deepEqual(await t.deps.store.getSegmentMemberships(ada.id), []);
    assert.deepEqual(await t.deps.store.getSegmentMemberships(cy.id), []);

    // A rename only: SegmentChanged without previous conditions (nothing to match again).
    const renamed = await updateSegment(t.deps, pros.id, { version: 3, name: 'Basic plan' });
    assert.equal(renamed.version, 4);
    assert.equal((await lastChange(t, pros.id))?.previousFilter, undefined);
  });

  it('refuses an edit or a delete at another version, and two edits at once save one', async () => {
    const t = await createTestTable();
    const s = await createSegment(t.deps, { name: 'Leads', filter: { tags: { all: ['lead'] } } });
    const both = await Promise.allSettled([
      updateSegment(t.deps, s.id, { version: 1, name: 'Hot leads' }),
      updateSegment(t.deps, s.id, { version: 1, name: 'Cold leads' }),
    ]);
    assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = both.find((r) => r.status === 'rejected');
    assert.ok(refused && isConflict('version_conflict')(refused.reason));
    assert.deepEqual((refused.reason as DomainError).details, { currentVersion: 2 });
    await assert.rejects(
      updateSegment(t.deps, s.id, { version: 1, name: 'Again' }),
      isConflict('version_conflict'),
    );
    await assert.rejects(deleteSegment(t.deps, s.id, 1), isConflict('version_conflict'));
    assert.equal((await getSegment(t.deps, s.id)).version, 2);
    const changes = (await outboxEvents(t)).filter((e) => e.detailType === 'SegmentChanged');
    assert.equal(changes.length, 1, 'a refused edit announces nothing');
    await assert.rejects(
      updateSegment(t.deps, '01JF0000000000000000000000', { version: 1, name: 'x' }),
      (e: unknown) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('refuses to delete a segment that triggers a workflow; deleted, it leaves nothing behind', async () => {
    const t = await createTestTable();
    const engine = new RecordingEngine();
    const vip = await createSegment(t.deps, { name: 'VIP', filter: { tags: { all: ['vip'] } } });
    const other = await createSegment(t.deps, { name: 'Other', filter: { tags: { all: ['vip'] } } });
    const wf = await workflowKit(t, engine).publishedWorkflow({
      name: 'VIP welcome',
      trigger: { type: 'segmentEntered', segmentId: vip.id },
      steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
    });
    await workflowKit(t, engine).publishedWorkflow({
      name: 'Other welcome',
      trigger: { type: 'segmentEntered', segmentId: other.id },
      steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
    });
    // More members than one page of the drop (25).
    const members: string[] = [];
    for (let i = 0; i < 30; i++) {
      const c = await contacts.createContact(t.deps, { email: `vip${i}@example.com`, tags: ['vip'] });
      await updateMemberships(t.deps, c.id);
      members.push(c.id);
    }
    await assert.rejects(deleteSegment(t.deps, vip.id, 1), (e: unknown) => {
      assert.ok(isConflict('segment_in_use')(e));
      assert.deepEqual((e as DomainError).details, { workflows: [{ id: wf.id, name: 'VIP welcome' }] });
      assert.match((e as DomainError).message, /VIP welcome/);
      return true;
    });
    assert.ok(await t.deps.store.getSegment(vip.id), 'still there');

    // Paused, the workflow no longer uses it: deleted, with SegmentDeleted, and its records dropped.
    await workflows.pauseWorkflow(t.deps, wf.id);
    await deleteSegment(t.deps, vip.id, 1);
    assert.equal(await t.deps.store.getSegment(vip.id), undefined);
    const deleted = (await outboxEvents(t)).filter((e) => e.detailType === 'SegmentDeleted');
    assert.deepEqual(
      deleted.map((e) => [e.detail.segmentId, e.detail.name]),
      [[vip.id, 'VIP']],
    );
    assert.equal(await dropSegmentMemberships(t.deps, vip.id), 30);
    assert.equal(await dropSegmentMemberships(t.deps, vip.id), 0, 'again: nothing left to drop');
    const left = (await t.items()).filter(
      (i) =>
        !String(i.PK).startsWith('OUTBOX#') &&
        !['Workflow', 'WorkflowVersion'].includes(String(i._type)) &&
        JSON.stringify(i).includes(vip.id),
    );
    assert.deepEqual(left, [], 'no segment item, membership record or index entry remains');
    // The other segment's records are untouched.
    assert.deepEqual(await t.deps.store.getSegmentMemberships(members[0] as string), [other.id]);
    await assert.rejects(
      deleteSegment(t.deps, vip.id, 1),
      (e: unknown) => e instanceof DomainError && e.kind === 'not_found',
    );
  });
});
