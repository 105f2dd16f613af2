/**
 * Segment membership on DynamoDB Local: a segment a published workflow is triggered by is tracked; a
 * contact that starts to match it is recorded with SegmentEntered (once, however often it is looked
 * at), leaves it with SegmentLeft, and enters again; an untracked segment announces nothing; a
 * workflow triggered by `segmentEntered` enrolls the contact; a trigger on a missing segment is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enrollFromEvent } from '#automation/enrollment.js';
import * as workflows from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import { updateMemberships } from '#insights/membership.js';
import { createSegment } from '#insights/segments.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

const segmentEvents = async (t: TestTable) =>
  (await outboxEvents(t))
    .filter((e) => e.detailType === 'SegmentEntered' || e.detailType === 'SegmentLeft')
    .map((e) => [e.detailType, e.detail.segmentId, e.detail.contactId]);

describe('segment membership', () => {
  it('announces a contact entering and leaving a tracked segment, once each, and enrolls it', async () => {
    const t = await createTestTable();
    const engine = new RecordingEngine();
    const vip = await createSegment(t.deps, {
      name: 'VIP customers',
      filter: { tags: { all: ['vip'] }, fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
    });
    const other = await createSegment(t.deps, { name: 'Untracked', filter: { tags: { all: ['vip'] } } });
    const ada = await contacts.createContact(t.deps, { email: 'ada@example.com', fields: { plan: 'pro' } });
    // Nothing is tracked yet: nothing is looked at.
    await contacts.addTags(t.deps, ada.id, ['vip']);
    assert.deepEqual(await updateMemberships(t.deps, ada.id), { entered: [], left: [] });

    await assert.rejects(
      workflows.createWorkflow(t.deps, {
        name: 'Nowhere',
        trigger: { type: 'segmentEntered', segmentId: '01JF0000000000000000000000' },
        steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
      }),
      (e: unknown) =>
        e instanceof DomainError &&
        JSON.stringify(e.details).includes('trigger.segmentId') &&
        e.message.includes('do not exist'),
    );
    const wf = await workflowKit(t, engine).publishedWorkflow({
      name: 'VIP welcome',
      trigger: { type: 'segmentEntered', segmentId: vip.id },
      steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
    });

    // Ada matches now: entered once, however often her changes are looked at.
    assert.deepEqual(await updateMemberships(t.deps, ada.id), { entered: [vip.id], left: [] });
    assert.deepEqual(await updateMemberships(t.deps, ada.id), { entered: [], left: [] });
    // Two evaluations side by side: one records, the other finds it recorded.
    const bob = await contacts.createContact(t.deps, { email: 'bob@example.com', fields: { plan: 'pro' } });
    await contacts.addTags(t.deps, bob.id, ['vip']);
    const both = await Promise.all([updateMemberships(t.deps, bob.id), updateMemberships(t.deps, bob.id)]);
    assert.equal(both.flatMap((b) => b.entered).length, 1);

    // Ada leaves (untagged), and enters again.
    await contacts.removeTag(t.deps, ada.id, 'vip');
    assert.deepEqual(await updateMemberships(t.deps, ada.id), { entered: [], left: [vip.id] });
    await contacts.addTags(t.deps, ada.id, ['vip']);
    assert.deepEqual(await updateMemberships(t.deps, ada.id), { entered: [vip.id], left: [] });
    assert.deepEqual(await segmentEvents(t), [
      ['SegmentEntered', vip.id, ada.id],
      ['SegmentEntered', vip.id, bob.id],
      ['SegmentLeft', vip.id, ada.id],
      ['SegmentEntered', vip.id, ada.id],
    ]);
    assert.ok(!(await segmentEvents(t)).some(([, id]) => id === other.id), 'the untracked segment is silent');

    // SegmentEntered enrolls into the workflow it triggers (once per event).
    const [entered] = (await outboxEvents(t)).filter((e) => e.detailType === 'SegmentEntered');
    const trigger = {
      eventId: String(entered?.detail.eventId),
      contactId: ada.id,
      triggerKey: `segment:${vip.id}`,
    };
    const enrolled = await enrollFromEvent(t.deps, engine, trigger);
    assert.deepEqual(
      enrolled.map((e) => e.workflowId),
      [wf.id],
    );
    // The same event again: the same enrollment, not a second one.
    const again = await enrollFromEvent(t.deps, engine, trigger);
    assert.deepEqual(
      again.map((e) => e.id),
      enrolled.map((e) => e.id),
    );

    // Paused, the workflow no longer tracks its segment: changes announce nothing.
    await workflows.pauseWorkflow(t.deps, wf.id);
    await contacts.removeTag(t.deps, bob.id, 'vip');
    assert.deepEqual(await updateMemberships(t.deps, bob.id), { entered: [], left: [] });
  });
});
