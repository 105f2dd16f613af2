/**
 * Cases as workflow triggers on DynamoDB Local: a case opened by email enrolls its contact in the
 * workflows on any new case and on cases from email (not in those on cases from the API), and
 * resolving it enrolls into the workflows on resolutions and on that status; a contact's email in
 * ends the sequences whose goal is emailReplied.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { runStep } from '#automation/steps.js';
import { parseEvent } from '#platform/events.js';
import { updateCase } from '#service/cases.js';
import { type InboundEmail, receiveEmail } from '#service/inbound.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
const engine = new RecordingEngine();

before(async () => {
  t = await createTestTable();
});

const wait = [{ id: 'w', type: 'wait', duration: 'P1D' }];
async function enrolledBy(type: string, caseId: string) {
  const events = (await outboxEvents(t)).filter(
    (e) => e.detailType === type && (e.detail as { caseId?: string }).caseId === caseId,
  );
  assert.equal(events.length, 1, `one ${type}`);
  const triggers = triggersOf(parseEvent(type, events[0]?.detail));
  const enrolled = [];
  for (const trigger of triggers) enrolled.push(...(await enrollFromEvent(t.deps, engine, trigger)));
  return { keys: triggers.map((x) => x.triggerKey), workflows: enrolled.map((e) => e.workflowId).sort() };
}

describe('cases as workflow triggers', () => {
  it('enroll on a new case (by channel), a status and a resolution', async () => {
    const kit = workflowKit(t, engine);
    const anyCase = await kit.publishedWorkflow({
      name: 'Any case',
      trigger: { type: 'caseCreated' },
      steps: wait,
    });
    const fromEmail = await kit.publishedWorkflow({
      name: 'Email cases',
      trigger: { type: 'caseCreated', channel: 'email' },
      steps: wait,
    });
    const fromApi = await kit.publishedWorkflow({
      name: 'API cases',
      trigger: { type: 'caseCreated', channel: 'api' },
      steps: wait,
    });
    const resolved = await kit.publishedWorkflow({
      name: 'Resolved',
      trigger: { type: 'caseResolved' },
      steps: wait,
    });
    const pending = await kit.publishedWorkflow({
      name: 'Waiting',
      trigger: { type: 'caseStatusChanged', status: 'pending' },
      steps: wait,
    });
    const refused = await kit
      .publishedWorkflow({
        name: 'Bad',
        trigger: { type: 'caseStatusChanged', status: 'archived' },
        steps: wait,
      })
      .catch((err: Error) => err);
    assert.ok(refused instanceof Error, 'an unknown status is refused');

    const out = await receiveEmail(
      t.deps,
      { ownAddresses: [] },
      {
        inboundId: 'trig-1',
        from: { address: 'buyer@example.com' },
        to: ['support@example.com'],
        subject: 'Where is my order?',
        text: 'Order 42',
        references: [],
        automatic: false,
        verdict: 'trusted',
        attachments: [],
      },
    );
    assert.ok('caseId' in out);
    const created = await enrolledBy('CaseCreated', out.caseId);
    assert.deepEqual(created.keys, ['case:created', 'case:created:email']);
    assert.deepEqual(created.workflows, [anyCase.id, fromEmail.id].sort());
    assert.ok(!created.workflows.includes(fromApi.id));

    await updateCase(t.deps, out.caseId, { status: 'resolved' });
    const done = await enrolledBy('CaseResolved', out.caseId);
    assert.deepEqual(done.workflows, [resolved.id]);
    const moved = await enrolledBy('CaseStatusChanged', out.caseId);
    assert.deepEqual(moved.keys, ['case:status:resolved']);
    assert.deepEqual(moved.workflows, [], `not the workflow on pending (${pending.id})`);
  });

  it('end a sales sequence whose goal is emailReplied when the contact writes in (not on an autoresponder)', async () => {
    const kit = workflowKit(t, engine);
    await kit.publishedWorkflow({
      name: 'Prospecting',
      trigger: { type: 'tagAdded', tag: 'prospect' },
      goal: { type: 'emailReplied' },
      steps: [
        { id: 'first', type: 'wait', duration: 'P2D' },
        { id: 'second', type: 'wait', duration: 'P2D' },
      ],
    });
    const ctx = {
      scheduler: new RecordingScheduler(),
      mailer: new RecordingMailer(),
      signingSecret: async () => 'secret',
      publicUrl: 'https://crm.example.com',
    };
    const mail = (over: Partial<InboundEmail>): InboundEmail => ({
      inboundId: `goal-${Math.random()}`,
      from: { address: 'prospect@example.com' },
      to: ['support@example.com'],
      subject: 'Re: our offer',
      text: 'Interested',
      references: [],
      automatic: false,
      verdict: 'trusted',
      attachments: [],
      ...over,
    });
    const { step } = await kit.enrolled('prospect', 'prospect@example.com');
    assert.deepEqual(await runStep(t.deps, ctx, step('first', 'enter')), { stop: false });
    await receiveEmail(t.deps, { ownAddresses: [] }, mail({ automatic: true, subject: 'Out of office' }));
    assert.deepEqual(await runStep(t.deps, ctx, step('first', 'enter')), { stop: false }, 'an autoresponder');
    await receiveEmail(t.deps, { ownAddresses: [] }, mail({}));
    assert.deepEqual(await runStep(t.deps, ctx, step('second', 'enter')), { stop: true, reason: 'goal_met' });
  });
});
